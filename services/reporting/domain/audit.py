"""Walks the hash chains of the consumed log, as an outside auditor would."""

from __future__ import annotations

from collections.abc import Callable

HashOf = Callable[[dict], str]

DETAILS = {
    "hash_mismatch": "Nội dung sự kiện không khớp với mã băm (hash) của nó: dữ liệu đã bị sửa.",
    "prev_hash_mismatch": "prev_hash không trỏ tới sự kiện liền trước của luồng: chuỗi bị đứt.",
    "version_out_of_order": "Số thứ tự trong luồng bị thiếu hoặc sai thứ tự.",
}


def _problem(stream_id: str, version, problem: str) -> dict:
    return {
        "stream_id": stream_id,
        "stream_version": version,
        "problem": problem,
        "detail": DETAILS[problem],
    }


def verify_stream(stream_id: str, wires: list[dict], hash_of: HashOf) -> list[dict]:
    """Problems of one stream whose wire envelopes are given in stream order."""
    problems = []
    previous_hash = None
    for expected_version, wire in enumerate(wires, start=1):
        version = wire.get("stream_version")
        if version != expected_version:
            problems.append(_problem(stream_id, version, "version_out_of_order"))
        if hash_of(wire) != wire.get("hash"):
            problems.append(_problem(stream_id, version, "hash_mismatch"))
        if wire.get("prev_hash") != previous_hash:
            problems.append(_problem(stream_id, version, "prev_hash_mismatch"))
        previous_hash = wire.get("hash")
    return problems


def verify(streams: dict[str, list[dict]], hash_of: HashOf) -> dict:
    """`streams`: stream_id → its wire envelopes in stream order; `hash_of` recomputes a hash."""
    problems = [
        p
        for stream_id in sorted(streams)
        for p in verify_stream(stream_id, streams[stream_id], hash_of)
    ]
    return {
        "ok": not problems,
        "events": sum(len(wires) for wires in streams.values()),
        "streams": len(streams),
        "problems": problems,
    }
