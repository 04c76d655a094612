"""The legal bases a decision cites are those in force on its date."""

from datetime import date

from services.review.adapters.rules import load_rules


def test_the_2015_law_before_march_2025_and_the_2025_law_after_and_circular_124_throughout():
    rules = load_rules()
    before = rules.legal_bases(date(2024, 12, 1))
    after = rules.legal_bases(date(2025, 11, 20))
    assert any("19 tháng 6 năm 2015" in b for b in before)
    assert not any("2025" in b and "Luật" in b for b in before)
    assert any("19 tháng 02 năm 2025" in b for b in after)
    assert not any("2015" in b for b in after)
    assert all(any("124/2021/TT-BCA" in b for b in bases) for bases in (before, after))


def test_no_basis_of_circular_124_before_it_took_effect():
    assert not any("124/2021" in b for b in load_rules().legal_bases(date(2022, 2, 9)))
