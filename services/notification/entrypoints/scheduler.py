"""Process: deadline reminders from the campaign calendar, checked every interval on the clock."""

import logging

from services.notification.bootstrap import bootstrap, scheduler
from shared.runtime import setup_logging, stop_on_signals

log = logging.getLogger(__name__)


def main() -> None:
    setup_logging()
    rt = bootstrap()
    log.info(
        "scheduler started: every %ss, offsets %s days",
        rt.deps.mail.scheduler_interval_s,
        rt.deps.mail.reminder_offsets_days,
    )
    scheduler(rt).run(stop_on_signals())


if __name__ == "__main__":
    main()
