"""The legal bases a decision cites: those in force on its date (dated data, one function)."""

from __future__ import annotations

from datetime import date


def in_force(data: dict, on: date) -> tuple[str, ...]:
    """The bases' texts in force on `on`, in the file's order."""
    out = []
    for base in data["bases"]:
        start = date.fromisoformat(base["effective_from"])
        end = date.fromisoformat(base["effective_to"]) if base.get("effective_to") else None
        if start <= on and (end is None or on < end):
            out.append(base["text"])
    return tuple(out)
