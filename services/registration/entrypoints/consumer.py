"""Process: registration's consumer (returns decided by review)."""

from services.registration.bootstrap import bootstrap
from services.registration.service_layer.handlers import HANDLERS
from shared.events import TOPICS
from shared.runtime import consumer_main, setup_logging


def main() -> None:
    setup_logging()
    consumer_main(bootstrap(), HANDLERS, [TOPICS["review"]])


if __name__ == "__main__":
    main()
