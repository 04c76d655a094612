"""Officials' mailboxes from the service's data files: reviewers per jurisdiction, approvers per
authority (which People's Committee decides a unit, Art. 10 of Circular 124)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

from services.notification.domain.notification import APPROVER, REVIEWER, Mailbox, Recipient
from shared.jurisdictions import Jurisdictions


def _rules(name: str) -> dict:
    text = resources.files("services.notification").joinpath("rules", name).read_text("utf-8")
    return json.loads(text)


@dataclass(frozen=True)
class Officials:
    reviewers: dict[str, list[Mailbox]]
    approvers: dict[str, Mailbox]
    decided_at_level: dict[str, str]
    tree: Jurisdictions

    @classmethod
    def load(cls, tree: Jurisdictions) -> Officials:
        rec, auth = _rules("recipients.v1.json"), _rules("authorities.v1.json")
        reviewers = {
            code: [Mailbox(b["name"], b.get("email")) for b in boxes]
            for code, boxes in rec["reviewers"].items()
        }
        approvers = {
            code: Mailbox(b["name"], b.get("email")) for code, b in auth["approvers"].items()
        }
        return cls(reviewers, approvers, auth["decided_at_level"], tree)

    def for_unit(self, unit: Recipient | None) -> dict[str, list[Mailbox]]:
        """audience → mailboxes of the officials who handle `unit`'s case."""
        if unit is None:
            return {}
        return {REVIEWER: self.reviewers_of(unit.jurisdiction), APPROVER: [self.approver_of(unit)]}

    def reviewers_of(self, jurisdiction: str | None) -> list[Mailbox]:
        # The nearest jurisdiction up the tree that lists reviewers.
        code, seen = jurisdiction, set()
        while code is not None and code not in seen:
            if code in self.reviewers:
                return self.reviewers[code]
            seen.add(code)
            code = self.tree.parents.get(code)
        return [Mailbox(f"Cán bộ thẩm định ({jurisdiction})", None)]

    def approver_of(self, unit: Recipient) -> Mailbox:
        authority = self.authority_of(unit)
        found = self.approvers.get(authority) if authority else None
        return found or Mailbox(f"Người phê duyệt của cấp {authority or '?'}", None)

    def authority_of(self, unit: Recipient) -> str | None:
        """The code of the People's Committee that recognises `unit`."""
        level = self.decided_at_level.get(unit.unit_type or "", unit.managing_level)
        if level == "commune":
            return unit.commune_code
        if level == "district":
            return unit.jurisdiction
        if level == "province":
            return self._root(unit.jurisdiction)
        return None

    def _root(self, code: str | None) -> str | None:
        while code is not None and self.tree.parents.get(code) is not None:
            code = self.tree.parents[code]
        return code
