"""The verdict review proposes per criterion from its data (the reviewer has the last word).

Each criterion's `propose` entry in the catalogue names the checks that apply to it; every check
answers met / not_met / not_applicable / unknown, and the proposal is their three-valued "and":
any not_met → False, else any unknown → None (the reviewer decides), else True.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.review.domain.criteria import Criterion

MET, NOT_MET, NOT_APPLICABLE, UNKNOWN = "met", "not_met", "not_applicable", "unknown"


@dataclass(frozen=True)
class Check:
    item: str
    result: str
    detail: str


@dataclass(frozen=True)
class CommuneCounts:
    """CW-4's counts over the units the commune recognises (Art. 5.4, Art. 10.1)."""

    total: int
    registered: int
    recognised: int
    open_units: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    unit_type: str
    has_party_organization: bool
    registered: bool
    figures: dict
    document_kinds: frozenset[str]
    self_assessment: dict  # criterion id → (met, note)
    incidents: tuple = ()  # IncidentRecorded inside the unit's evaluation period
    commune: CommuneCounts | None = None
    area_incidents: tuple = ()  # a commune's: those of its own units, inside its period


@dataclass(frozen=True)
class Proposal:
    criterion_id: str
    proposed: bool | None
    checks: tuple[Check, ...]


def propose(criterion: Criterion, evidence: Evidence) -> Proposal:
    checks = [_self_assessment(criterion, evidence)]
    for name, param in criterion.propose.items():
        checks.extend(RULES[name](param, criterion, evidence))
    return Proposal(criterion.criterion_id, combine(checks), tuple(checks))


def combine(checks) -> bool | None:
    results = {c.result for c in checks}
    if NOT_MET in results:
        return False
    return None if UNKNOWN in results else True


def _self_assessment(criterion: Criterion, ev: Evidence) -> Check:
    line = ev.self_assessment.get(criterion.criterion_id)
    if line is None:
        return Check("self_assessment", UNKNOWN, "Đơn vị chưa tự đánh giá tiêu chí này.")
    met, note = line
    return Check("self_assessment", MET if met else NOT_MET, note or "")


def _registration(param, criterion: Criterion, ev: Evidence) -> list[Check]:
    if ev.registered:
        return [Check("registration", MET, "Đơn vị đã đăng ký phấn đấu trong năm.")]
    return [Check("registration", NOT_MET, "Đơn vị chưa đăng ký phấn đấu trong năm.")]


def _party_resolution(param, criterion: Criterion, ev: Evidence) -> list[Check]:
    # Art. 6.1a: the resolution is required only where a Party organisation exists.
    if not ev.has_party_organization:
        return [Check("party_resolution", NOT_APPLICABLE, "Đơn vị không có tổ chức Đảng.")]
    if "party_resolution" in ev.document_kinds:
        return [Check("party_resolution", MET, "Có nghị quyết của tổ chức Đảng.")]
    return [Check("party_resolution", NOT_MET, "Thiếu nghị quyết của tổ chức Đảng.")]


def _documents(kinds, criterion: Criterion, ev: Evidence) -> list[Check]:
    return [
        Check(f"document:{kind}", MET, "Có trong hồ sơ đăng ký.")
        if kind in ev.document_kinds
        else Check(f"document:{kind}", NOT_MET, "Thiếu trong hồ sơ đăng ký.")
        for kind in kinds
    ]


def _complete(pairs, criterion: Criterion, ev: Evidence) -> list[Check]:
    """100% of a whole: `part` equals (or exceeds) `whole`, compared as integers."""
    checks = []
    for part, whole in pairs:
        have, of = ev.figures.get(part), ev.figures.get(whole)
        item = f"{part}/{whole}"
        if not isinstance(have, int) or not isinstance(of, int) or of <= 0:
            checks.append(Check(item, UNKNOWN, f"Thiếu số liệu {part} hoặc {whole}."))
        else:
            checks.append(Check(item, MET if have >= of else NOT_MET, f"{have}/{of}"))
    return checks


def _at_least(minimums, criterion: Criterion, ev: Evidence) -> list[Check]:
    checks = []
    for key, least in minimums.items():
        have = ev.figures.get(key)
        if not isinstance(have, int):
            checks.append(Check(key, UNKNOWN, f"Thiếu số liệu {key}."))
        else:
            checks.append(Check(key, MET if have >= least else NOT_MET, f"{have} (cần ≥ {least})"))
    return checks


def _incidents(param, criterion: Criterion, ev: Evidence) -> list[Check]:
    hits = [i for i in ev.incidents if i.criterion_id in criterion.item_ids]
    if not hits:
        return [Check("incidents", MET, "Không có vụ việc nào được ghi nhận trong kỳ đánh giá.")]
    listed = "; ".join(f"{i.criterion_id} ngày {i.occurred_on.isoformat()}" for i in hits)
    return [Check("incidents", NOT_MET, f"Vụ việc trong kỳ đánh giá: {listed}.")]


def _area_incidents(ids, criterion: Criterion, ev: Evidence) -> list[Check]:
    """CW-2: RA-2/3/4 "at commune scale" — an event in any of the commune's units counts."""
    hits = [i for i in ev.area_incidents if any(_names(i.criterion_id, x) for x in ids)]
    if not hits:
        return [Check("area_incidents", MET, "Không có vụ việc nào trên địa bàn trong kỳ.")]
    listed = "; ".join(
        f"{i.criterion_id} tại {i.unit_id} ngày {i.occurred_on.isoformat()}" for i in hits
    )
    return [Check("area_incidents", NOT_MET, f"Vụ việc trên địa bàn trong kỳ: {listed}.")]


def _names(item_id: str, criterion_id: str) -> bool:
    # RA-3 names RA-3 and its lettered sub-items (RA-3a … RA-3đ …), not RA-30.
    rest = item_id[len(criterion_id) :] if item_id.startswith(criterion_id) else None
    return rest is not None and (rest == "" or rest.isalpha())


def _commune_units(shares, criterion: Criterion, ev: Evidence) -> list[Check]:
    counts = ev.commune
    if counts is None or counts.total == 0:
        return [Check("commune_units", UNKNOWN, "Chưa có đơn vị nào thuộc thẩm quyền để tính.")]
    return [
        _share("registered", counts.registered, counts.total, shares["registered"]),
        _share("recognised", counts.recognised, counts.total, shares["recognised"]),
    ]


def _share(item: str, count: int, total: int, share) -> Check:
    # Exact integer cross-multiplication, never a rounded percentage: 17/25 < 70/100 ≤ 18/25.
    num, den = share
    met = count * den >= num * total
    return Check(item, MET if met else NOT_MET, f"{count}/{total} (cần ≥ {num}/{den})")


RULES = {
    "registration": _registration,
    "party_resolution": _party_resolution,
    "documents": _documents,
    "complete": _complete,
    "at_least": _at_least,
    "incidents": _incidents,
    "area_incidents": _area_incidents,
    "commune_units": _commune_units,
}
