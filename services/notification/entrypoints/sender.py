"""Process: sends pending notifications over SMTP, with retries and backoff."""

import logging

from services.notification.bootstrap import bootstrap, sender
from shared.runtime import setup_logging, stop_on_signals

log = logging.getLogger(__name__)


def main() -> None:
    setup_logging()
    rt = bootstrap()
    mail = rt.deps.mail
    log.info(
        "sender started: SMTP %s:%s (STARTTLS %s)",
        mail.smtp_host,
        mail.smtp_port,
        mail.smtp_starttls,
    )
    sender(rt).run(stop_on_signals())


if __name__ == "__main__":
    main()
