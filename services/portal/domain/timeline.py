"""A unit's year at a glance: the steps with their dates, the next deadline and days left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.portal.domain.vietnamese import as_date

DONE, CURRENT, WAITING, SKIPPED = "done", "current", "waiting", "skipped"
STATE_WORDS = {
    DONE: "Đã xong",
    CURRENT: "Đang thực hiện",
    WAITING: "Chưa đến bước này",
    SKIPPED: "Không áp dụng",
}


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    state: str
    on: date | None = None
    note: str = ""

    @property
    def state_word(self) -> str:
        return STATE_WORDS[self.state]


@dataclass(frozen=True)
class Deadline:
    what: str
    due: date
    days_left: int


@dataclass(frozen=True)
class Year:
    steps: tuple[Step, ...]
    deadline: Deadline | None


def _first(history: list, event_type: str, last: bool = False) -> date | None:
    found = [h for h in history if h.get("event_type") == event_type]
    if not found:
        return None
    return as_date(found[-1 if last else 0].get("occurred_at"))


def year_at_a_glance(
    campaign: dict | None,
    registration: dict | None,
    dossiers: dict | None,
    case: dict | None,
    today: date,
) -> Year:
    """Fold what the APIs answered into six steps; any of the inputs may still be missing."""
    campaign, case = campaign or {}, case or {}
    history = case.get("history") or []
    revisions = (dossiers or {}).get("revisions") or []
    returns = case.get("returns") or []
    status = case.get("status")
    registered = registration is not None
    filed = bool(revisions) or status in ("dossier_submitted", "recommended", "decided")
    last_return = returns[-1] if returns else None
    open_return = bool(last_return) and (
        status == "returned"
        or (not revisions or max(r["revision"] for r in revisions) <= last_return["revision"])
    )
    recommended = case.get("recommendation") is not None
    decided = case.get("decision") is not None

    def state(done: bool, current: bool) -> str:
        return DONE if done else CURRENT if current else WAITING

    steps = [
        Step(
            "registration",
            "Đăng ký phấn đấu",
            state(registered, True),
            _first(history, "UnitRegistered"),
        ),
        Step(
            "dossier",
            "Nộp hồ sơ đề nghị",
            state(filed, registered),
            _first(history, "DossierSubmitted"),
        ),
        Step("review", "Thẩm định", state(recommended, filed and not open_return)),
        Step(
            "return",
            "Trả lại bổ sung",
            (CURRENT if open_return else DONE) if last_return else SKIPPED,
            _first(history, "DossierReturned", last=True),
            "; ".join(last_return.get("reasons", [])) if last_return else "",
        ),
        Step(
            "recommendation",
            "Kiến nghị",
            state(recommended, False),
            _first(history, "RecommendationMade", last=True),
        ),
        Step(
            "decision",
            "Quyết định công nhận",
            state(decided, recommended),
            as_date((case.get("decision") or {}).get("decided_on")),
        ),
    ]
    return Year(
        tuple(steps), _next_deadline(campaign, registered, filed, open_return, last_return, today)
    )


def _next_deadline(campaign, registered, filed, open_return, last_return, today) -> Deadline | None:
    if not registered and campaign.get("registration_deadline"):
        what, due = "Hạn đăng ký phấn đấu", as_date(campaign["registration_deadline"])
    elif open_return and last_return.get("due_date"):
        what, due = "Hạn nộp lại hồ sơ đã bổ sung", as_date(last_return["due_date"])
    elif registered and not filed and campaign.get("dossier_deadline"):
        what, due = "Hạn nộp hồ sơ đề nghị", as_date(campaign["dossier_deadline"])
    else:
        return None
    return Deadline(what, due, (due - today).days)
