"""A certificate (Giấy công nhận) as the log tells it: which decision, and is it still valid."""

from __future__ import annotations

from dataclasses import dataclass

VALID, ANNULLED = "valid", "annulled"


@dataclass(frozen=True)
class Certificate:
    unit_id: str
    unit_name: str
    year: int
    decision_number: str
    decided_on: str
    authority: str
    code: str
    verify_url: str
    status: str
    # The decision event, so a printout can be checked against the audit log.
    event_id: str
    hash: str
    stream_id: str
    stream_version: int
    annulled_on: str | None = None
    annul_reason: str | None = None
    annul_decision_number: str | None = None


def annulment_of(decision: dict, decided_at: str, annulments: list[tuple[str, dict]]):
    """The first annulment of this decision after it was made: (occurred_at, payload) or None.

    An annulment names the decision number it voids; one made before this decision (of an
    earlier decision with the same number) does not void it."""
    for occurred_at, annulment in annulments:
        same = annulment.get("decision_number") == decision.get("decision_number")
        if same and occurred_at >= decided_at:
            return occurred_at, annulment
    return None
