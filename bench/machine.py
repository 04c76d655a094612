"""The machine a benchmark ran on, and writing one benchmark's section of RESULTS.md."""

from __future__ import annotations

import os
import platform
import re
import shlex
import sys
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")


def describe() -> str:
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    kib = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())[1])
    return (
        f"{os.cpu_count()} CPUs (nproc; {cpu[1] if cpu else platform.processor()}), "
        f"{kib / 1024**2:.1f} GiB RAM, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; run at "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def command() -> str:
    return ".venv/bin/python -m " + " ".join(
        shlex.quote(a) for a in [sys.modules["__main__"].__spec__.name, *sys.argv[1:]]
    )


def write_section(name: str, body: str) -> None:
    """Replace (or append) the section between this benchmark's markers; others are kept."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    block = f"{start}\n{body.strip()}\n{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text)
