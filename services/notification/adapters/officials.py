"""Officials' mailboxes from the service's data files: reviewers per jurisdiction, approvers per
administrative unit. Which committee decides a unit is the kernel's one Art. 10 function
(`shared.authority.authority_for`), the same review checks a decision against."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib import resources

from services.notification.domain.notification import APPROVER, REVIEWER, Mailbox, Recipient
from shared.authority import Authority, NoAuthority, authority_for
from shared.jurisdictions import Jurisdictions


def _rules(name: str) -> dict:
    text = resources.files("services.notification").joinpath("rules", name).read_text("utf-8")
    return json.loads(text)


@dataclass(frozen=True)
class Officials:
    reviewers: dict[str, list[Mailbox]]
    approvers: dict[str, Mailbox]
    tree: Jurisdictions
    authorities: tuple  # Art. 10 tables by date (shared.authority.load_tables)

    @classmethod
    def load(cls, tree: Jurisdictions, authorities: tuple) -> Officials:
        rec, boxes = _rules("recipients.v1.json"), _rules("approvers.v1.json")
        reviewers = {
            code: [Mailbox(b["name"], b.get("email")) for b in found]
            for code, found in rec["reviewers"].items()
        }
        approvers = {
            code: Mailbox(b["name"], b.get("email")) for code, b in boxes["approvers"].items()
        }
        return cls(reviewers, approvers, tree, authorities)

    def for_unit(self, unit: Recipient | None, on: date) -> dict[str, list[Mailbox]]:
        """audience → mailboxes of the officials who handle `unit`'s case on `on`."""
        if unit is None:
            return {}
        return {
            REVIEWER: self.reviewers_of(unit.jurisdiction),
            APPROVER: [self.approver_of(unit, on)],
        }

    def reviewers_of(self, jurisdiction: str | None) -> list[Mailbox]:
        # The nearest jurisdiction up the tree that lists reviewers.
        code, seen, parents = jurisdiction, set(), self.tree.parents
        while code is not None and code not in seen:
            if code in self.reviewers:
                return self.reviewers[code]
            seen.add(code)
            code = parents.get(code)
        return [Mailbox(f"Cán bộ thẩm định ({jurisdiction})", None)]

    def approver_of(self, unit: Recipient, on: date) -> Mailbox:
        authority = self.authority_of(unit, on)
        if authority is None or authority.code is None:
            level = authority.level if authority else "?"
            return Mailbox(f"Người phê duyệt của cấp {level}", None)
        found = self.approvers.get(authority.code)
        box = found or Mailbox(f"Người phê duyệt của {authority.name} ({authority.code})", None)
        return Mailbox(box.name, box.address, authority.note)

    def authority_of(self, unit: Recipient, on: date) -> Authority | None:
        """The People's Committee that recognises `unit` on `on`."""
        places = self.tree.places(unit.commune_code, unit.jurisdiction, on)
        try:
            return authority_for(
                unit.unit_type or "", unit.managing_level or "", on, places, self.authorities
            )
        except NoAuthority:
            return None
