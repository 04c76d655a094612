"""Each service's bootstrap() builds its runtime whole: nothing is added to it afterwards."""

import dataclasses
import importlib

import pytest

from tests.conftest import settings_for

SERVICES = ("registration", "review", "notification", "reporting")


@pytest.mark.parametrize("service", SERVICES)
def test_a_services_runtime_holds_only_its_declared_fields_and_cannot_be_changed(service, tmp_path):
    bootstrap = importlib.import_module(f"services.{service}.bootstrap").bootstrap
    settings = settings_for(service, f"sqlite:///{tmp_path / 'db.sqlite'}", var_dir=tmp_path)
    rt = bootstrap(settings)
    try:
        assert set(vars(rt)) == {f.name for f in dataclasses.fields(rt)}
        with pytest.raises(dataclasses.FrozenInstanceError):
            rt.extra = "added later"
    finally:
        rt.engine.dispose()


@pytest.mark.parametrize("service", ("registration", "review", "notification"))
def test_a_services_own_dependencies_come_with_its_runtime(service, tmp_path):
    bootstrap = importlib.import_module(f"services.{service}.bootstrap").bootstrap
    settings = settings_for(service, f"sqlite:///{tmp_path / 'db.sqlite'}", var_dir=tmp_path)
    rt = bootstrap(settings)
    rt.engine.dispose()
    assert rt.deps is not None and rt.handlers
