"""Process: publishes registration's outbox to antt.registration."""

from services.registration.bootstrap import bootstrap
from shared.runtime import relay_main, setup_logging


def main() -> None:
    setup_logging()
    relay_main(bootstrap())


if __name__ == "__main__":
    main()
