"""kafka-python checks batch CRCs with the C package, not its pure-Python fallback (which
cost most of a consumer's reading time)."""

import kafka.record.util as kafka_crc


def test_kafka_python_checks_crc32c_with_the_c_package():
    assert kafka_crc.crc32c_c is not None
    assert kafka_crc._crc32c is kafka_crc.crc32c_c
