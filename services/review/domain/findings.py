"""Findings against the catalogue: one line per criterion, consistent with the recommendation."""

from __future__ import annotations

from collections.abc import Sequence

from services.review.domain.errors import FindingsInvalid
from shared.events.review import Finding

ACHIEVED, NOT_ACHIEVED = "achieved", "not_achieved"
RECOMMENDATIONS = (ACHIEVED, NOT_ACHIEVED)


def check_coverage(findings: Sequence[Finding], wanted: list[str]) -> None:
    given = [f.criterion_id for f in findings]
    problems = {}
    for cid in given:
        if cid not in wanted:
            problems[cid] = ["Không thuộc danh mục tiêu chí của loại đơn vị này."]
        elif given.count(cid) > 1:
            problems[cid] = ["Tiêu chí được kết luận nhiều lần."]
    for cid in wanted:
        if cid not in given:
            problems[cid] = ["Thiếu kết luận cho tiêu chí này."]
    if problems:
        raise FindingsInvalid(
            "Kết luận phải có đúng một dòng cho mỗi tiêu chí của loại đơn vị.", problems
        )


def check_consistency(recommendation: str, findings: Sequence[Finding]) -> None:
    # Art. 8: only two outcomes, and "đạt" means every criterion is met.
    unmet = [f.criterion_id for f in findings if not f.met]
    if recommendation == ACHIEVED and unmet:
        raise FindingsInvalid(
            f"Không thể kiến nghị 'đạt' khi còn tiêu chí chưa đạt: {', '.join(unmet)}.",
            {cid: ["Tiêu chí chưa đạt."] for cid in unmet},
        )
    if recommendation == NOT_ACHIEVED and not unmet:
        raise FindingsInvalid(
            "Mọi tiêu chí đều đạt: kiến nghị phải là 'đạt'.",
            {"recommendation": ["Không có tiêu chí nào chưa đạt."]},
        )
