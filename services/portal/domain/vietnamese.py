"""Vietnamese ordering and formatting: names sorted by the alphabet, dates dd/mm/yyyy."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

# The alphabet's letters in order; ă, â, đ, ê, ô, ơ, ư are letters of their own.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {ch: i for i, ch in enumerate(ALPHABET)}
# Marks that make a letter (breve, circumflex, horn; the stroke of đ is its own code point).
_LETTER_MARKS = {"\u0306": "ă", "\u0302": "â", "\u031b": "ơ"}
# Tones, a secondary key: none < huyền < hỏi < ngã < sắc < nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letter(base: str, marks: str) -> str:
    if base in "aeo" and "\u0302" in marks:
        return {"a": "â", "e": "ê", "o": "ô"}[base]
    if base == "a" and "\u0306" in marks:
        return "ă"
    if base in "ou" and "\u031b" in marks:
        return {"o": "ơ", "u": "ư"}[base]
    return base


def _syllable_key(word: str) -> tuple:
    letters, tone = [], 0
    for ch in word.lower():
        parts = unicodedata.normalize("NFD", ch)
        base, marks = parts[0], parts[1:]
        tone = max(tone, *(_TONES.get(m, 0) for m in marks), 0)
        letter = _letter(base, marks)
        letters.append(_RANK.get(letter, 100 + ord(letter)))
    return (tuple(letters), tone)


def vi_key(text: str) -> tuple:
    """Sort key: syllable by syllable, letters first (a < ă < â, d < đ), then the tone."""
    words = (text or "").split()
    return tuple(_syllable_key(w) for w in words)


def vi_sorted(items, key=lambda x: x):
    return sorted(items, key=lambda item: vi_key(key(item)))


def as_date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value)
    try:
        return (
            datetime.fromisoformat(text.replace("Z", "+00:00")).date()
            if "T" in text
            else (date.fromisoformat(text[:10]))
        )
    except ValueError:
        return None


def vi_date(value) -> str:
    """dd/mm/yyyy, or an empty string when there is no date."""
    day = as_date(value)
    return day.strftime("%d/%m/%Y") if day else ""


def vi_number(n) -> str:
    """Groups of thousands with a dot, as written in Vietnam."""
    if n is None:
        return ""
    return f"{int(n):,}".replace(",", ".")


def parse_vi_date(text: str) -> date | None:
    """dd/mm/yyyy as people type it (also d/m/yyyy, with - or .; ISO yyyy-mm-dd accepted)."""
    text = (text or "").strip().replace("-", "/").replace(".", "/")
    parts = text.split("/")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    if len(parts[0]) == 4:
        parts = parts[::-1]
    day, month, year = (int(p) for p in parts)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def fold(text: str) -> str:
    """Lower case without tones or letter marks (đ → d), for searching as people type."""
    stripped = "".join(
        ch
        for ch in unicodedata.normalize("NFD", (text or "").lower())
        if not unicodedata.combining(ch)
    )
    return stripped.replace("đ", "d")


def vi_percent(text) -> str:
    """'50.00' (as the report writes it) → '50,00 %'."""
    if text in (None, ""):
        return ""
    return f"{str(text).rstrip('%').replace('.', ',')} %"
