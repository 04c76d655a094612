"""The administrative tree by period, down to communes, that scopes every non-unit user.

Each period of `shared/data/jurisdictions.json` (or a province's own file,
`ANTT_JURISDICTIONS_FILE`) is a tree with effective dates: before 1/7/2025 province → district →
commune, from 1/7/2025 province → commune. A node formed by a reorganisation lists the codes of
the period before it (`formed_from`), so an old code maps forward to what it became and a new
one back to what it came from (`Period.place`).

Reach (`reaches`) is judged in the newest period that knows the scope: a current scope (a
province, a ward) reaches every unit whose place maps into its subtree today; a retired scope
(`nha-trang`, `vinh-hai`: an old token, read for history) reaches, in the tree of its own time,
the units whose place lay wholly inside it then — an alias never widens a scope.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from itertools import pairwise
from pathlib import Path


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None
    parents: dict[str, str | None]
    names: dict[str, str]
    levels: dict[str, str]
    formed_from: dict[str, tuple[str, ...]]
    legal_basis: str = ""

    def in_force_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def children(self, code: str) -> list[str]:
        return [c for c, p in self.parents.items() if p == code]

    def covers(self, ancestor: str, code: str | None) -> bool:
        seen = set()
        while code is not None and code not in seen:
            if code == ancestor:
                return True
            seen.add(code)
            code = self.parents.get(code)
        return False

    def up_to(self, code: str | None, level: str) -> str | None:
        seen = set()
        while code is not None and code not in seen:
            if self.levels.get(code) == level:
                return code
            seen.add(code)
            code = self.parents.get(code)
        return None


def _period(entry: dict) -> Period:
    units = entry["units"]
    return Period(
        _date(entry.get("effective_from")),
        _date(entry.get("effective_to")),
        {k: v["parent"] for k, v in units.items()},
        {k: v["name"] for k, v in units.items()},
        {k: v.get("level", "") for k, v in units.items()},
        {k: tuple(v["formed_from"]) for k, v in units.items() if v.get("formed_from")},
        entry.get("legal_basis", ""),
    )


@dataclass(frozen=True)
class Jurisdictions:
    periods: tuple[Period, ...]

    @classmethod
    def load(cls, path: str | None = None) -> Jurisdictions:
        text = (
            Path(path).read_text("utf-8")
            if path
            else resources.files("shared.data").joinpath("jurisdictions.json").read_text("utf-8")
        )
        data = json.loads(text)
        entries = data.get("periods") or [{"units": data["units"]}]
        periods = sorted((_period(e) for e in entries), key=lambda p: p.start or date.min)
        return cls(tuple(periods))

    @property
    def current(self) -> Period:
        return self.periods[-1]

    @property
    def parents(self) -> dict[str, str | None]:
        """Every code ever in the tree, with its parent in the newest period that knows it."""
        return {c: p for period in self.periods for c, p in period.parents.items()}

    @property
    def names(self) -> dict[str, str]:
        return {c: n for period in self.periods for c, n in period.names.items()}

    @property
    def levels(self) -> dict[str, str]:
        return {c: lv for period in self.periods for c, lv in period.levels.items()}

    def __contains__(self, code: str) -> bool:
        return any(code in p.parents for p in self.periods)

    def on(self, day: date) -> Period:
        found = [p for p in self.periods if p.in_force_on(day)]
        if found:
            return found[-1]
        return self.periods[0] if day < (self.current.start or day) else self.current

    def retired(self, code: str) -> bool:
        """A code the tree knew once and knows no more (an alias, for history)."""
        return code in self and code not in self.current.parents

    def place(self, code: str | None, index: int) -> frozenset[str]:
        """The nodes of period `index` that `code` corresponds to (empty when unknown)."""
        if code is None:
            return frozenset()
        known = [i for i, p in enumerate(self.periods) if code in p.parents]
        if not known:
            return frozenset()
        if index in known:
            return frozenset({code})
        if known[-1] < index:
            return self._forward(code, known[-1], index)
        return self._backward(code, known[0], index)

    def _forward(self, code: str, i: int, index: int) -> frozenset[str]:
        here, nxt = self.periods[i], self.periods[i + 1]
        kids = here.children(code)
        if kids:
            return frozenset().union(*(self.place(k, index) for k in kids))
        became = [n for n, parts in nxt.formed_from.items() if code in parts]
        return frozenset().union(*(self.place(n, index) for n in became)) if became else frozenset()

    def _backward(self, code: str, j: int, index: int) -> frozenset[str]:
        parts = self.periods[j].formed_from.get(code, ())
        return frozenset().union(*(self.place(p, index) for p in parts)) if parts else frozenset()

    def reaches(self, scope: str | None, jurisdiction: str | None, commune_code=None) -> bool:
        """Whether an official of `scope` may see a unit placed at `jurisdiction` in `commune_code`.

        Judged in the newest period that knows the scope: the unit's commune (else its
        jurisdiction) mapped into that period must lie wholly in the scope's subtree. A scope the
        tree never knew is a commune outside the configured tree: it reaches exactly the units of
        that commune."""
        if scope is None:
            return False
        known = [i for i, p in enumerate(self.periods) if scope in p.parents]
        if not known:
            return commune_code is not None and commune_code == scope
        index = known[-1]
        period = self.periods[index]
        # A unit's commune code counts only when it names a commune (never a district).
        commune = commune_code if self.levels.get(commune_code) == "commune" else None
        for code in (commune, jurisdiction):
            nodes = self.place(code, index)
            if nodes:
                return all(period.covers(scope, n) for n in nodes)
        return self.covers(scope, jurisdiction)

    def covers(self, ancestor: str, code: str | None) -> bool:
        """True when `code` is `ancestor` or lies below it, each code's parent taken from the
        newest period that knows it."""
        parents, seen = self.parents, set()
        while code is not None and code not in seen:
            if code == ancestor:
                return True
            seen.add(code)
            code = parents.get(code)
        return False

    def places(self, commune_code: str | None, jurisdiction: str | None, on: date) -> dict:
        """The administrative units a unit lies in on `on`, by level (commune, district,
        province): what `shared.authority.authority_for` needs."""
        index = self.periods.index(self.on(on))
        period = self.periods[index]
        communes = self.place(commune_code, index)
        commune = next(iter(communes)) if len(communes) == 1 else None
        if commune is None and commune_code not in self:
            commune = commune_code  # a commune outside the configured tree keeps its own code
        anchors = (
            [commune] if commune in period.parents else sorted(self.place(jurisdiction, index))
        )
        district = {period.up_to(a, "district") for a in anchors} - {None}
        province = {period.up_to(a, "province") for a in anchors} - {None}
        if not anchors:  # a place outside this period's tree: walk up the tree of its time
            province = {self._chain_up(jurisdiction, "province")} - {None}
            if "district" in period.levels.values():
                district = {self._chain_up(jurisdiction, "district")} - {None}
        return {
            "commune": commune,
            "district": district.pop() if len(district) == 1 else None,
            "province": province.pop() if len(province) == 1 else None,
        }

    def _chain_up(self, code: str | None, level: str) -> str | None:
        parents, levels, seen = self.parents, self.levels, set()
        while code is not None and code not in seen:
            if levels.get(code) == level:
                return code
            seen.add(code)
            code = parents.get(code)
        return None

    def commune_on(self, code: str | None, day: date) -> str | None:
        """What commune `code` was (or had become) on `day`; a code outside the tree stays."""
        places = self.place(code, self.periods.index(self.on(day)))
        if len(places) == 1:
            return next(iter(places))
        return code if code not in self else None

    def codes_forming(self, code: str, day: date) -> frozenset[str]:
        """Every code, old or new, that is the commune `code` on `day` (CW-4 counts the units
        filed under any of them: the commune as it stands in the evaluation window)."""
        every = {c for p in self.periods for c, lv in p.levels.items() if lv == "commune"}
        return frozenset({code} | {c for c in every if self.commune_on(c, day) == code})

    def lineage(self, code: str) -> list[tuple[date, str, str]]:
        """(the day the change took effect, old code, old name) of each commune that became
        `code`, newest change first: "trước 01/07/2025: Phường Vĩnh Hải"."""
        steps, wanted = [], {code}
        for i in range(len(self.periods) - 1, 0, -1):
            period, before = self.periods[i], self.periods[i - 1]
            for new, parts in period.formed_from.items():
                if new in wanted:
                    olds = [p for p in parts if p != new]
                    steps += [(period.start, old, before.names.get(old, old)) for old in olds]
                    wanted |= set(parts)
        return steps

    def placements(self, code: str | None) -> list[dict]:
        """The communes a unit filed under `code` lay in, period by period (merged when
        unchanged), each with a Vietnamese line: "trước 01/07/2025: Phường Vĩnh Hải"."""
        spans: list[dict] = []
        for i, period in enumerate(self.periods):
            nodes = self.place(code, i)
            here = next(iter(nodes)) if len(nodes) == 1 else None
            if here is None:
                continue
            if spans and spans[-1]["commune"] == here:
                spans[-1]["until"] = period.end
                continue
            spans.append({"commune": here, "name": period.names[here], "from": period.start,
                          "until": period.end})  # fmt: skip
        for span, after in pairwise(spans):
            span["text"] = f"trước {after['from']:%d/%m/%Y}: {span['name']}"
        if spans:
            last = spans[-1]
            since = f"từ {last['from']:%d/%m/%Y}: " if last["from"] else ""
            last["text"] = since + last["name"]
        return spans if len(spans) > 1 else []

    def name_on(self, code: str, day: date) -> str | None:
        return self.on(day).names.get(code) or self.names.get(code)


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
