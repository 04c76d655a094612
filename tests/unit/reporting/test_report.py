"""Report counts and exact percentages from folded unit-years."""

from services.reporting.domain.lifecycle import Logged, UnitYear, fold
from services.reporting.domain.report import Unit, build_report, percent
from tests.unit.reporting import events as ev


def unit(unit_id, commune="loc-tho", unit_type="residential_area"):
    return Unit(unit_id, f"Đơn vị {unit_id}", unit_type, commune, "nha-trang")


def state(*events):
    return fold([Logged(e, "approver-1") for e in events])


def sample():
    units = [unit("a"), unit("b"), unit("c", "vinh-hai", "school"), unit("d", "vinh-hai")]
    states = {
        "a": state(ev.registered("a"), ev.submitted("a"), ev.recommended("a"), ev.decided("a")),
        "b": state(
            ev.registered("b"),
            ev.submitted("b"),
            ev.returned("b"),
            ev.submitted("b", 2),
            ev.recommended("b", False, ("RA-2", "RA-3")),
            ev.decided("b", "not_recognized", "7/QĐ"),
        ),
        "c": state(ev.registered("c"), ev.submitted("c"), ev.recommended("c", False, ("RA-3",))),
        "d": UnitYear(),
    }
    return build_report(2025, "nha-trang", "2025-12-31T00:00:00.000000Z", units, states)


def test_percentages_are_exact_fractions_rounded_half_up_to_two_decimals():
    assert percent(1, 3) == "33.33"
    assert percent(2, 3) == "66.67"
    assert percent(1, 8) == "12.50"
    assert percent(17, 25) == "68.00"
    assert percent(1, 200) == "0.50"
    assert percent(1, 400) == "0.25"
    assert percent(1, 800) == "0.13"
    assert percent(0, 0) == "0.00"
    assert percent(7, 7) == "100.00"


def test_totals_count_every_step_of_every_listed_unit():
    totals = sample()["totals"]
    assert totals == {
        "listed": 4,
        "registered": 3,
        "dossiers_filed": 3,
        "returned": 1,
        "recommended_achieved": 1,
        "recommended_not_achieved": 2,
        "recognized": 1,
        "not_recognized": 2,
        "never_registered": 1,
        "no_dossier": 0,
        "criteria_failed": 1,
        "annulled": 0,
        "in_progress": 1,
        "registered_pct": "75.00",
        "dossiers_filed_pct": "75.00",
        "recognized_pct": "25.00",
        "not_recognized_pct": "50.00",
    }


def test_counts_are_split_by_unit_type_and_by_commune():
    report = sample()
    assert report["by_unit_type"]["school"]["listed"] == 1
    assert report["by_unit_type"]["residential_area"]["recognized_pct"] == "33.33"
    assert report["by_commune"]["vinh-hai"]["registered"] == 1
    assert report["by_commune"]["loc-tho"]["recognized"] == 1


def test_failures_are_counted_per_criterion_id():
    assert sample()["failures_by_criterion"] == {"RA-2": 1, "RA-3": 2}


def test_decisions_list_number_date_and_signer():
    decisions = sample()["decisions"]
    assert [d["unit_id"] for d in decisions] == ["a", "b"]
    assert decisions[0] == {
        "unit_id": "a",
        "name": "Đơn vị a",
        "decision": "recognized",
        "decision_number": "123/QĐ-UBND",
        "decided_on": "2025-12-10",
        "signer": "approver-1",
        "annulled": False,
        "annul_reason": None,
        "unit_type": "residential_area",
        "commune_code": "loc-tho",
    }


def test_every_listed_unit_has_a_row_with_its_status():
    rows = {u["unit_id"]: u["status"] for u in sample()["units"]}
    assert rows == {
        "a": "recognized",
        "b": "not_recognized",
        "c": "recommended",
        "d": "not_registered",
    }


def test_an_annulment_moves_the_unit_from_recognized_to_annulled():
    units = [unit("a")]
    states = {
        "a": state(
            ev.registered("a"),
            ev.submitted("a"),
            ev.recommended("a"),
            ev.decided("a"),
            ev.annulled("a"),
        )
    }
    report = build_report(2025, "nha-trang", "x", units, states)
    assert (report["totals"]["recognized"], report["totals"]["annulled"]) == (0, 1)
    assert report["decisions"][0]["annulled"] is True


def test_each_unit_not_recognised_has_one_reason():
    units = [unit("n"), unit("r"), unit("f"), unit("x"), unit("p")]
    states = {
        "n": UnitYear(),
        "r": state(ev.registered("r")),
        "f": state(
            ev.registered("f"),
            ev.submitted("f"),
            ev.recommended("f", False, ("RA-1",)),
            ev.decided("f", "not_recognized", "8/QĐ"),
        ),
        "x": state(
            ev.registered("x"),
            ev.submitted("x"),
            ev.recommended("x"),
            ev.decided("x"),
            ev.annulled("x"),
        ),
        "p": state(ev.registered("p"), ev.submitted("p")),
    }
    report = build_report(2025, "nha-trang", "x", units, states)
    reasons = {u["unit_id"]: u["not_recognized_reason"] for u in report["units"]}
    assert reasons == {
        "n": "never_registered",
        "r": "no_dossier",
        "f": "criteria_failed",
        "x": "annulled",
        "p": None,
    }
    totals = report["totals"]
    assert (totals["not_recognized"], totals["in_progress"], totals["not_recognized_pct"]) == (
        4,
        1,
        "80.00",
    )


def managed(n_recognised, n_total, n_registered=None):
    n_registered = n_total if n_registered is None else n_registered
    units = [unit(f"u{i}") for i in range(n_total)] + [unit("loc-tho", unit_type="commune")]
    done = state(ev.registered("a"), ev.submitted("a"), ev.recommended("a"), ev.decided("a"))
    states = {
        f"u{i}": done
        if i < n_recognised
        else (state(ev.registered("a")) if i < n_registered else UnitYear())
        for i in range(n_total)
    }
    states["loc-tho"] = UnitYear()
    return build_report(2025, "nha-trang", "x", units, states)["cw4_by_commune"]["loc-tho"]


def test_cw4_is_an_exact_ratio_over_the_units_the_commune_manages():
    assert managed(17, 25)["meets"] is False
    passing = managed(18, 25)
    assert passing["meets"] is True
    assert (passing["managed"], passing["recognized_ratio"], passing["recognized_pct"]) == (
        25,
        "18/25",
        "72.00",
    )
    assert managed(25, 25, n_registered=24)["meets"] is True
    assert managed(20, 25, n_registered=24)["meets"] is False
    assert managed(0, 0)["meets"] is None
