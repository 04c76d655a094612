"""Process: notification's consumer (directory entries and every step of a unit's case)."""

from services.notification.bootstrap import bootstrap
from shared.runtime import consumer_main, setup_logging


def main() -> None:
    setup_logging()
    consumer_main(bootstrap())


if __name__ == "__main__":
    main()
