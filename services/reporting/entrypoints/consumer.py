"""Process: reporting's consumer (every event of every topic)."""

from services.reporting.bootstrap import bootstrap
from shared.runtime import consumer_main, setup_logging


def main() -> None:
    setup_logging()
    consumer_main(bootstrap())


if __name__ == "__main__":
    main()
