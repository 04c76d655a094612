"""Process: reporting's consumer (every event of every topic, with its broker position)."""

from services.reporting.bootstrap import bootstrap
from shared.runtime import consumer_main, make_consumer, setup_logging

__all__ = ["main", "make_consumer"]


def main() -> None:
    setup_logging()
    consumer_main(bootstrap())


if __name__ == "__main__":
    main()
