"""Process: the development SMTP server; every message lands in $ANTT_VAR_DIR/mail/ as a .eml."""

import logging

from services.notification.adapters.devsmtp import DevSmtpServer
from services.notification.settings import NotificationSettings
from shared.config import Settings
from shared.runtime import setup_logging, stop_on_signals

log = logging.getLogger(__name__)


def main() -> None:
    setup_logging()
    mail = NotificationSettings.from_env()
    folder = Settings.from_env("notification").var_dir / "mail"
    stop = stop_on_signals()
    server = DevSmtpServer(folder, mail.smtp_host, mail.smtp_port).start()
    log.info("dev SMTP server on %s:%s keeps mail in %s", mail.smtp_host, mail.smtp_port, folder)
    try:
        while not stop.wait(1.0):
            pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
