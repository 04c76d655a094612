"""A rebuild's reader processes share the broker's partitions: every record read once, in order."""

import uuid
from collections import Counter

import pytest

from services.reporting.adapters.sources import BrokerTopics
from shared.messaging.ports import Outgoing
from shared.runtime import kafka_publisher
from tests.conftest import settings_for

pytestmark = pytest.mark.integration


@pytest.fixture
def published(broker, sqlite_url):
    """Two fresh topics of 3 partitions, 60 keyed records each."""
    settings = settings_for("reporting", sqlite_url, broker.bootstrap, topic_partitions=3)
    topics = [f"shares-{uuid.uuid4().hex[:6]}-{n}" for n in range(2)]
    publisher = kafka_publisher(settings, "test-shares")
    publisher.ensure_topics(topics)
    for topic in topics:
        messages = [Outgoing(f"unit-{n % 7}", f"{topic}:{n}".encode()) for n in range(60)]
        publisher.publish(topic, messages)
    publisher.close()
    return settings, topics


def test_the_shares_read_every_record_of_every_partition_exactly_once(published):
    settings, topics = published
    source = BrokerTopics(settings, topics)
    shares = source.shares(2)
    assert len(shares) == 2
    read = []
    for index, share in enumerate(shares):
        records = share.open()
        read += [(index, r) for r in records]
        source.share_read(index, records.total())
    assert Counter(r.value for _, r in read) == Counter(
        f"{t}:{n}".encode() for t in topics for n in range(60)
    )
    assert source.total() == 120
    owners = {(r.topic, r.partition): set() for _, r in read}
    for index, r in read:
        owners[(r.topic, r.partition)].add(index)
    assert len(owners) == 6 and all(len(o) == 1 for o in owners.values()), "one reader each"


def test_each_share_keeps_the_order_of_its_partitions(published):
    settings, topics = published
    for share in BrokerTopics(settings, topics).shares(2):
        offsets: dict = {}
        for r in share.open():
            offsets.setdefault((r.topic, r.partition), []).append(r.offset)
        assert all(seen == sorted(seen) for seen in offsets.values())
        assert all(seen[0] == 0 for seen in offsets.values())


def test_more_readers_than_partitions_leaves_no_reader_without_a_partition(published):
    settings, topics = published
    shares = BrokerTopics(settings, topics).shares(10)
    assert len(shares) == 6 and all(len(s.partitions) == 1 for s in shares)
