"""Process: publishes review's outbox to antt.review."""

from services.review.bootstrap import bootstrap
from shared.runtime import relay_main, setup_logging


def main() -> None:
    setup_logging()
    relay_main(bootstrap())


if __name__ == "__main__":
    main()
