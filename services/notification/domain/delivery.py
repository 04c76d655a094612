"""What happens after a delivery attempt: sent, tried again later (backoff), or given up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

SENT, PENDING, FAILED = "sent", "pending", "failed"


@dataclass(frozen=True)
class RetryPolicy:
    base_s: float
    max_attempts: int

    def delay_after(self, attempts: int) -> timedelta:
        """Exponential backoff: base, 2×base, 4×base … after the 1st, 2nd, 3rd failure."""
        return timedelta(seconds=self.base_s * 2 ** (attempts - 1))


@dataclass(frozen=True)
class NextStep:
    status: str
    retry_at: datetime | None = None


def after_attempt(
    policy: RetryPolicy, attempts: int, error: str | None, permanent: bool, now: datetime
) -> NextStep:
    """`attempts` counts the one just made; a permanent refusal is not tried again."""
    if error is None:
        return NextStep(SENT)
    if permanent or attempts >= policy.max_attempts:
        return NextStep(FAILED)
    return NextStep(PENDING, now + policy.delay_after(attempts))
