"""Keyset pages on PostgreSQL: its collation orders and compares Vietnamese names alike."""

import pytest
import sqlalchemy as sa

from tests.unit.shared.test_pages import ROWS, every_page, md, things

pytestmark = pytest.mark.integration


@pytest.fixture
def conn(pg_url):
    engine = sa.create_engine(pg_url)
    md.create_all(engine)
    with engine.begin() as c:
        c.execute(things.insert(), ROWS)
    with engine.connect() as c:
        yield c
    engine.dispose()


@pytest.mark.parametrize("limit", [1, 3, 50])
@pytest.mark.parametrize(
    "order", [(things.c.name, things.c.id), (things.c.year.desc(), things.c.name, things.c.id)]
)
def test_following_the_keys_visits_each_row_once_in_the_order_of_one_read(conn, order, limit):
    whole = [r.id for r in conn.execute(sa.select(things).order_by(*order))]
    seen = every_page(conn, order, limit)
    assert [i for page in seen for i in page] == whole
