"""The configured tree of administrative units that scopes every non-unit user."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class Jurisdictions:
    parents: dict[str, str | None]
    names: dict[str, str]

    @classmethod
    def load(cls, path: str | None = None) -> Jurisdictions:
        text = (
            Path(path).read_text("utf-8")
            if path
            else resources.files("shared.data").joinpath("jurisdictions.json").read_text("utf-8")
        )
        units = json.loads(text)["units"]
        return cls(
            {k: v["parent"] for k, v in units.items()}, {k: v["name"] for k, v in units.items()}
        )

    def __contains__(self, code: str) -> bool:
        return code in self.parents

    def reaches(self, scope: str | None, jurisdiction: str | None, commune_code=None) -> bool:
        """Whether an official of `scope` may see a unit placed at `jurisdiction` in `commune_code`.

        A scope in the tree reaches every unit at or below it. The tree stops at districts: a
        commune-level official's scope is the commune's `commune_code`, and reaches exactly the
        units of that commune."""
        if scope is None:
            return False
        if scope in self.parents:
            return self.covers(scope, jurisdiction)
        return commune_code is not None and commune_code == scope

    def covers(self, ancestor: str, code: str | None) -> bool:
        """True when `code` is `ancestor` or lies below it in the tree."""
        seen = set()
        while code is not None and code not in seen:
            if code == ancestor:
                return True
            seen.add(code)
            code = self.parents.get(code)
        return False
