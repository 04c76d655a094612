"""Walks the hash chains of a log in its stored order, as an outside auditor would."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

HashOf = Callable[[dict], str]

DETAILS = {
    "hash_mismatch": "Nội dung sự kiện không khớp với mã băm (hash) của nó: dữ liệu đã bị sửa.",
    "prev_hash_mismatch": "prev_hash không trỏ tới sự kiện liền trước của luồng: chuỗi bị đứt.",
    "version_gap": "Thiếu sự kiện trước sự kiện này trong luồng (số thứ tự bị nhảy cóc).",
    "version_out_of_order": "Sự kiện đứng sai thứ tự hoặc lặp lại số thứ tự trong luồng.",
    "column_mismatch": "Cột lưu trữ không khớp với nội dung sự kiện (luồng, số thứ tự, mã băm).",
    "stream_truncated": "Luồng ngắn hơn số sự kiện bộ tiêu thụ đã ghi nhận: sự kiện cuối bị xóa.",
}


@dataclass(frozen=True)
class Entry:
    """One stored event: its place in the log, its wire envelope, and the columns kept beside."""

    position: int
    wire: dict
    columns: dict = field(default_factory=dict)


def _problem(stream_id, entry: Entry | None, problem: str, version=None) -> dict:
    return {
        "stream_id": stream_id,
        "stream_version": version if entry is None else entry.wire.get("stream_version"),
        "position": None if entry is None else entry.position,
        "event_id": None if entry is None else entry.wire.get("event_id"),
        "problem": problem,
        "detail": DETAILS[problem],
    }


def _version_problem(version, expected: int) -> str | None:
    if version == expected:
        return None
    if isinstance(version, int) and version > expected:
        return "version_gap"
    return "version_out_of_order"


def verify_stream(stream_id: str, entries: list[Entry], hash_of: HashOf) -> list[dict]:
    """Problems of one stream whose entries are given in the order they are stored."""
    problems, previous_hash, expected = [], None, 1
    for entry in entries:
        wire, version = entry.wire, entry.wire.get("stream_version")
        if kind := _version_problem(version, expected):
            problems.append(_problem(stream_id, entry, kind))
        if hash_of(wire) != wire.get("hash"):
            problems.append(_problem(stream_id, entry, "hash_mismatch"))
        if wire.get("prev_hash") != previous_hash:
            problems.append(_problem(stream_id, entry, "prev_hash_mismatch"))
        if any(wire.get(k) != v for k, v in entry.columns.items()):
            problems.append(_problem(stream_id, entry, "column_mismatch"))
        previous_hash = wire.get("hash")
        expected = version + 1 if isinstance(version, int) else expected + 1
    return problems


def group_streams(entries: Iterable[Entry]) -> dict[str, list[Entry]]:
    streams: dict[str, list[Entry]] = {}
    for entry in entries:
        stream_id = entry.columns.get("stream_id", entry.wire.get("stream_id"))
        streams.setdefault(str(stream_id), []).append(entry)
    return streams


def verify(entries: Iterable[Entry], hash_of: HashOf, seen: dict[str, int] | None = None) -> dict:
    """Check every stream of the log; `seen`: stream → last version a consumer applied."""
    streams = group_streams(entries)
    problems = [p for sid in sorted(streams) for p in verify_stream(sid, streams[sid], hash_of)]
    for sid, version in sorted((seen or {}).items()):
        have = streams.get(sid, [])
        if len(have) < version:
            problems.append(_problem(sid, None, "stream_truncated", version))
    return {
        "ok": not problems,
        "events": sum(len(s) for s in streams.values()),
        "streams": len(streams),
        "problems": problems,
    }
