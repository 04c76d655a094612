"""Event contracts: dataclasses per producer, their schemas, and the wire registry."""

from shared.events.registry import REGISTRY, Registry, UnknownEventType

TOPICS = {
    "registration": "antt.registration",
    "review": "antt.review",
    "notification": "antt.notification",
}

__all__ = ["REGISTRY", "TOPICS", "Registry", "UnknownEventType"]
