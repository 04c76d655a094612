"""Process: publishes notification's outbox to antt.notification."""

from services.notification.bootstrap import bootstrap
from shared.runtime import relay_main, setup_logging


def main() -> None:
    setup_logging()
    relay_main(bootstrap())


if __name__ == "__main__":
    main()
