"""The portal's pure parts: Vietnamese order and dates, a unit's year at a glance, charts."""

from datetime import date

from services.portal.domain.chart import recognised_chart
from services.portal.domain.timeline import CURRENT, DONE, SKIPPED, WAITING, year_at_a_glance
from services.portal.domain.vietnamese import fold, parse_vi_date, vi_date, vi_number, vi_sorted

CAMPAIGN = {"registration_deadline": "2026-03-31", "dossier_deadline": "2026-11-30"}


def test_names_sort_by_the_vietnamese_alphabet_letters_before_tones():
    names = ["Đào", "Anh", "Ăn", "Án", "An", "Dũng", "Hạ Long", "Hà Tĩnh", "Bình"]
    assert vi_sorted(names) == [
        "An",
        "Án",
        "Anh",
        "Ăn",
        "Bình",
        "Dũng",
        "Đào",
        "Hà Tĩnh",
        "Hạ Long",
    ]


def test_dates_are_written_and_read_day_first():
    assert vi_date("2026-11-20") == "20/11/2026"
    assert vi_date("2026-11-20T02:00:00+00:00") == "20/11/2026"
    assert vi_date(None) == ""
    assert parse_vi_date("5/1/2027") == date(2027, 1, 5)
    assert parse_vi_date("2027-01-05") == date(2027, 1, 5)
    assert parse_vi_date("31/02/2027") is None
    assert parse_vi_date("mai") is None
    assert vi_number(1234567) == "1.234.567"


def test_search_ignores_tones_and_marks():
    assert fold("Phường Vĩnh Hải") == "phuong vinh hai"
    assert fold("Đồng Đế") == "dong de"


def test_a_unit_not_yet_registered_sees_the_registration_deadline_and_days_left():
    year = year_at_a_glance(CAMPAIGN, None, None, None, date(2026, 3, 21))
    assert [s.state for s in year.steps] == [CURRENT, WAITING, WAITING, SKIPPED, WAITING, WAITING]
    assert year.deadline.what == "Hạn đăng ký phấn đấu"
    assert year.deadline.days_left == 10


def test_a_returned_dossier_shows_the_return_as_the_current_step_with_its_due_date():
    case = {
        "status": "returned",
        "returns": [{"revision": 1, "reasons": ["Thiếu chữ ký"], "due_date": "2026-11-27"}],
        "history": [
            {"event_type": "UnitRegistered", "occurred_at": "2026-03-02T02:00:00+00:00"},
            {"event_type": "DossierSubmitted", "occurred_at": "2026-11-18T02:00:00+00:00"},
            {"event_type": "DossierReturned", "occurred_at": "2026-11-20T02:00:00+00:00"},
        ],
    }
    dossiers = {"revisions": [{"revision": 1}]}
    year = year_at_a_glance(CAMPAIGN, {"unit_id": "u"}, dossiers, case, date(2026, 11, 20))
    steps = {s.key: s for s in year.steps}
    assert steps["registration"].state == DONE and steps["registration"].on == date(2026, 3, 2)
    assert steps["return"].state == CURRENT and steps["return"].note == "Thiếu chữ ký"
    assert steps["review"].state == WAITING
    assert year.deadline.what == "Hạn nộp lại hồ sơ đã bổ sung"
    assert year.deadline.days_left == 7


def test_a_decided_year_has_every_step_done_and_no_deadline():
    case = {
        "status": "decided",
        "returns": [],
        "recommendation": {"recommendation": "achieved"},
        "decision": {"decision": "recognized", "decided_on": "2026-11-25"},
        "history": [],
    }
    year = year_at_a_glance(CAMPAIGN, {}, {"revisions": [{"revision": 1}]}, case, date(2026, 12, 1))
    assert [s.state for s in year.steps] == [DONE, DONE, DONE, SKIPPED, DONE, DONE]
    assert year.steps[-1].on == date(2026, 11, 25)
    assert year.deadline is None


def test_the_chart_draws_one_bar_per_group_scaled_to_the_largest():
    chart = recognised_chart(
        "Theo loại",
        {"school": {"listed": 4, "recognized": 1}, "commune": {"listed": 8, "recognized": 8}},
        {"school": "Nhà trường", "commune": "Xã, phường, thị trấn"},
    )
    assert [b.label for b in chart.bars] == ["Nhà trường", "Xã, phường, thị trấn"]
    school, commune = chart.bars
    assert commune.width == commune.total_width == 320
    assert school.total_width == 160 and school.width == 40
    assert school.caption == "1/4"
