"""Demo data (Nha Trang) and the rule files that registration keeps beside review's catalogue."""

import json
from importlib import resources

from services.registration.adapters.rules import criteria_ids, load_rules
from services.registration.service_layer.demo import demo_data, load_demo
from shared.cli import main


def test_the_demo_loads_27_communes_demo_units_and_both_reorganisations_once(rt, build):
    first = load_demo(rt)
    data = demo_data()
    assert first == {
        "added": len(data["units"]),
        "already_present": 0,
        "reorganized": ["khanh-hoa-2024-11-01", "khanh-hoa-2025-07-01"],
    }
    again = {"added": 0, "already_present": len(data["units"]), "reorganized": []}
    assert load_demo(rt) == again
    units = build.get("/units?limit=200").json
    assert len(units) < 200  # the whole demo directory on one page
    communes = [u for u in units if u["unit_type"] == "commune"]
    # 27 of 2024, Tân Tiến (1/11/2024) and the four wards of 1/7/2025.
    assert len(communes) == 27 + 1 + 4
    assert {"Phường Vĩnh Hải", "Xã Vĩnh Lương", "Phường Xương Huân", "Phường Bắc Nha Trang"} <= {
        c["name"] for c in communes
    }
    assert all(u["demo"] for u in units)
    assert {u["unit_type"] for u in units} == {
        "commune",
        "residential_area",
        "agency",
        "enterprise",
        "school",
    }
    invented = [u for u in units if u["unit_type"] != "commune"]
    assert all("(dữ liệu mẫu)" in u["name"] for u in invented)


def test_the_demo_data_command_runs_through_the_antt_cli(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ANTT_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("ANTT_REGISTRATION_DATABASE_URL", raising=False)
    assert main(["demo-data"]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == len(demo_data()["units"])
    assert main(["demo-data"]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == 0


def test_the_criteria_ids_match_reviews_catalogue_of_the_same_version():
    text = resources.files("services.review.rules").joinpath("criteria.v1.json").read_text()
    catalogue = json.loads(text)
    ids = criteria_ids(catalogue["version"])
    for unit_type, listed in ids.items():
        expected = [
            c["criterion_id"] for c in catalogue["criteria"] if unit_type in c["unit_types"]
        ]
        assert listed == expected, unit_type
    assert load_rules("calendar.v1.json")["catalogue_version"] == catalogue["version"]
