"""Process: registration's consumer (returns decided by review)."""

from services.registration.bootstrap import bootstrap
from shared.runtime import consumer_main, setup_logging


def main() -> None:
    setup_logging()
    consumer_main(bootstrap())


if __name__ == "__main__":
    main()
