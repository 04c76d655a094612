"""Notification's own settings (SMTP, retries, reminders), read once from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class NotificationSettings:
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    smtp_starttls: bool = False
    smtp_user: str | None = None
    smtp_password: str | None = None
    # CA bundle to verify the relay's certificate with STARTTLS (default: the system's).
    smtp_cafile: str | None = None
    smtp_from: str = "Hệ thống ANTT <no-reply@antt.local>"
    smtp_timeout_s: float = 20.0
    # Where links in mails point: the web portal, whose `/cases/<unit>/<year>` opens the case.
    public_url: str = "http://127.0.0.1:8000"
    reminder_offsets_days: tuple[int, ...] = (14, 3, 1)
    retry_base_s: float = 30.0
    retry_max_attempts: int = 6
    # A sender that claimed a notification and died: another may take it after this long.
    claim_lease_s: float = 300.0
    sender_poll_s: float = 1.0
    scheduler_interval_s: float = 900.0

    @classmethod
    def from_env(cls, env: dict | None = None) -> NotificationSettings:
        env = dict(os.environ if env is None else env)
        d = cls()
        return cls(
            smtp_host=env.get("ANTT_SMTP_HOST", d.smtp_host),
            smtp_port=int(env.get("ANTT_SMTP_PORT", d.smtp_port)),
            smtp_starttls=env.get("ANTT_SMTP_STARTTLS", "").lower() in _TRUE,
            smtp_user=env.get("ANTT_SMTP_USER") or None,
            smtp_password=env.get("ANTT_SMTP_PASSWORD") or None,
            smtp_cafile=env.get("ANTT_SMTP_CAFILE") or None,
            smtp_from=env.get("ANTT_SMTP_FROM", d.smtp_from),
            smtp_timeout_s=float(env.get("ANTT_SMTP_TIMEOUT_S", d.smtp_timeout_s)),
            public_url=env.get("ANTT_PUBLIC_URL", d.public_url).rstrip("/"),
            reminder_offsets_days=parse_offsets(env.get("ANTT_REMINDER_OFFSETS_DAYS", "14,3,1")),
            retry_base_s=float(env.get("ANTT_NOTIFY_RETRY_BASE_S", d.retry_base_s)),
            retry_max_attempts=int(env.get("ANTT_NOTIFY_RETRY_ATTEMPTS", d.retry_max_attempts)),
            claim_lease_s=float(env.get("ANTT_NOTIFY_CLAIM_LEASE_S", d.claim_lease_s)),
            sender_poll_s=float(env.get("ANTT_NOTIFY_SENDER_POLL_S", d.sender_poll_s)),
            scheduler_interval_s=float(
                env.get("ANTT_SCHEDULER_INTERVAL_S", d.scheduler_interval_s)
            ),
        )

    def but(self, **changes) -> NotificationSettings:
        return replace(self, **changes)


def parse_offsets(text: str) -> tuple[int, ...]:
    """'14,3,1' → (14, 3, 1): distinct whole days before a deadline, largest first."""
    days = {int(part) for part in text.split(",") if part.strip()}
    if not days or min(days) < 1:
        raise ValueError(f"ANTT_REMINDER_OFFSETS_DAYS phải là các số ngày ≥ 1: {text!r}")
    return tuple(sorted(days, reverse=True))
