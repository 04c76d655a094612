"""Horizontal bar charts as plain geometry, drawn as SVG by a template (no chart library)."""

from __future__ import annotations

from dataclasses import dataclass

from services.portal.domain.vietnamese import vi_key

ROW, LABEL_W, BAR_W = 26, 220, 320


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    total: int
    y: int
    width: int
    total_width: int

    @property
    def caption(self) -> str:
        return f"{self.value}/{self.total}"


@dataclass(frozen=True)
class Chart:
    title: str
    bars: tuple[Bar, ...]
    label_w: int = LABEL_W
    bar_w: int = BAR_W

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * ROW + 8

    @property
    def width(self) -> int:
        return self.label_w + self.bar_w + 70


def recognised_chart(title: str, groups: dict, names: dict | None = None) -> Chart:
    """One bar per group: recognised units out of those listed; sorted the Vietnamese way."""
    names = names or {}
    rows = sorted(groups.items(), key=lambda kv: vi_key(names.get(kv[0], kv[0])))
    biggest = max([int(c.get("listed") or 0) for _, c in rows] + [1])
    bars = []
    for i, (key, counts) in enumerate(rows):
        value, total = int(counts.get("recognized") or 0), int(counts.get("listed") or 0)
        bars.append(
            Bar(
                names.get(key, key),
                value,
                total,
                i * ROW + 4,
                round(BAR_W * value / biggest),
                round(BAR_W * total / biggest),
            )
        )
    return Chart(title, tuple(bars))
