"""Process: review's consumer (the unit directory and case steps from registration)."""

from services.review.bootstrap import bootstrap
from shared.runtime import consumer_main, setup_logging


def main() -> None:
    setup_logging()
    consumer_main(bootstrap())


if __name__ == "__main__":
    main()
