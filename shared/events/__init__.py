"""Event contracts: dataclasses per producer (stdlib only), their schemas, and the wire registry."""

TOPICS = {
    "registration": "antt.registration",
    "review": "antt.review",
    "notification": "antt.notification",
}

_LAZY = {"REGISTRY", "Registry", "UnknownEventType"}


def __getattr__(name: str):
    # Loaded on first use so that domain code importing the dataclasses never pulls marshmallow.
    if name in _LAZY:
        from shared.events import registry

        return getattr(registry, name)
    raise AttributeError(name)


__all__ = ["REGISTRY", "TOPICS", "Registry", "UnknownEventType"]
