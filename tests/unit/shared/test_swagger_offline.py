"""/api/docs is drawn from files in the repository: no outside host, so it works offline."""

import re

import pytest

from services.registration.entrypoints.api import create_app
from tests.conftest import settings_for

OUTSIDE = re.compile(r"""(?:src|href)=["'](?:https?:)?//""")


@pytest.fixture
def client(sqlite_url, tmp_path):
    return create_app(settings_for("registration", sqlite_url, var_dir=tmp_path)).test_client()


def test_the_docs_page_loads_swagger_ui_from_this_api_and_nothing_from_outside(client):
    page = client.get("/api/docs").get_data(as_text=True)
    assert not OUTSIDE.search(page)
    assert '"validatorUrl": null' in page
    for asset in re.findall(r'(?:src|href)="(/api/swagger-ui/[^"]+)"', page):
        r = client.get(asset)
        assert r.status_code == 200 and len(r.data) > 1000, asset
    assert len(re.findall(r"/api/swagger-ui/", page)) == 3
