"""Samples a running process with py-spy (if installed) and summarises where its time goes.

py-spy is a bench-only tool: `.venv/bin/pip install py-spy`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path


def py_spy() -> str | None:
    return shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")


def start(pid: int, seconds: float, out: Path) -> subprocess.Popen | None:
    """py-spy record in the background, folded stacks to `out`; None without py-spy."""
    exe = py_spy()
    if exe is None:
        return None
    cmd = [exe, "record", "--pid", str(pid), "--duration", str(int(seconds)), "--rate", "200"]
    cmd += ["--format", "raw", "--nonblocking", "--output", str(out)]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def summary(folded: Path, top: int = 15) -> str:
    """Share of samples per function of the project (inclusive) and per innermost frame."""
    inclusive, own, total = Counter(), Counter(), 0
    for line in folded.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [_short(f) for f in stack.split(";")]
        n = int(count)
        total += n
        own[frames[-1]] += n
        for frame in set(frames):
            inclusive[frame] += n
    # The project's own functions, less the outer loop that is on (nearly) every sample.
    ours = Counter({f: n for f, n in inclusive.items() if "(services/" in f or "(shared/" in f})
    ours = Counter({f: n for f, n in ours.items() if n < 0.85 * total})
    lines = [f"{total} samples. The project's functions, inclusive (with what they call):", ""]
    lines += [f"- {n / total:5.1%} `{f}`" for f, n in ours.most_common(top)]
    lines += ["", "Innermost frames (where the CPU or the wait is):", ""]
    lines += [f"- {n / total:5.1%} `{f}`" for f, n in own.most_common(8)]
    return "\n".join(lines)


def by_step(folded: Path, steps: tuple[tuple[str, str], ...], rest: str) -> list[tuple[str, float]]:
    """Share of the samples per step of a request, largest first. `steps` are (label, marker)
    in order of precedence: a sample counts for the first step whose marker is on its stack,
    else for `rest`. A marker is the start of a frame, "function (path", or "(path" for any
    function under that path. Precedence rather than depth, so that a step nested in another
    (decoding inside reading) counts apart while a library call both make (a marshmallow dump)
    counts for the step that made it."""
    counts, total = Counter(), 0
    for line in folded.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        label = next((s for s, m in steps if any(_marks(m, f) for f in frames)), rest)
        counts[label] += int(count)
        total += int(count)
    return [(label, n / total) for label, n in counts.most_common()] if total else []


def _marks(marker: str, frame: str) -> bool:
    return frame.startswith(marker) or (marker.startswith("(") and f" {marker}" in frame)


def _short(frame: str) -> str:
    # "function (path/to/file.py:12)" → "function (path/to/file.py)": one entry per function.
    return frame.rsplit(":", 1)[0] + ")" if frame.endswith(")") and ":" in frame else frame
