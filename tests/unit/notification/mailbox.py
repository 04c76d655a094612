"""Reading what a real SMTP server stored: one .eml file per message that arrived."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path


def messages(folder: Path) -> list:
    if not folder.exists():
        return []
    files = sorted(folder.glob("*.eml"))
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in files]


def parts(msg) -> tuple[str, str]:
    """(plain text, html) of a multipart/alternative message."""
    plain = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    return plain, html
