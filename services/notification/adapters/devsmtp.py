"""A development SMTP server (aiosmtpd) that keeps every message as one .eml file in a folder."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller


class MailFolder:
    """aiosmtpd handler: `<folder>/<arrival>-<random>.eml`, with the SMTP envelope on top."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd name)
        self.store(envelope.mail_from, envelope.rcpt_tos, envelope.content)
        return "250 Message accepted for delivery"

    def store(self, mail_from: str, rcpt_tos: list[str], content: bytes) -> Path:
        trace = [f"Return-Path: <{mail_from}>"] + [f"Delivered-To: {rcpt}" for rcpt in rcpt_tos]
        raw = ("\r\n".join(trace) + "\r\n").encode() + content
        self.folder.mkdir(parents=True, exist_ok=True)
        # Every arrival is its own file: a message delivered twice shows as two files.
        target = self.folder / f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
        partial = target.with_suffix(".part")
        partial.write_bytes(raw)
        os.replace(partial, target)  # a reader of the folder never sees half a message
        return target


class DevSmtpServer:
    def __init__(self, folder: Path, host: str = "127.0.0.1", port: int = 8025):
        self.folder, self.host, self.port = Path(folder), host, port
        self._controller = Controller(MailFolder(self.folder), hostname=host, port=port)

    def start(self) -> DevSmtpServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()
