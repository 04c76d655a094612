"""One Art. 10 for review and notification: every unit type × managing level × date, both paths."""

from datetime import date
from types import SimpleNamespace

import pytest

from services.notification.adapters.officials import Officials
from services.notification.domain.notification import Recipient
from services.review.adapters.places import Places
from shared.authority import NoAuthority, authority_for, load_tables
from shared.jurisdictions import Jurisdictions

TREE = Jurisdictions.load()
TABLES = load_tables()
UNIT_TYPES = ("residential_area", "commune", "agency", "enterprise", "school")
LEVELS = ("commune", "district", "province")
DAYS = (date(2025, 6, 30), date(2025, 7, 1), date(2026, 11, 20))
PLACES = (("vinh-hai", "nha-trang"), ("bac-nha-trang", "khanh-hoa"), ("xa-ngoai-cay", "nha-trang"))


def reviews(unit, day):
    """Review's path: its places (adapters.places) into the kernel's function."""
    try:
        places = Places(TREE, {}).places_of(unit, day)
        found = authority_for(unit.unit_type, unit.managing_level, day, places, TABLES)
    except NoAuthority:
        return None
    return (found.level, found.code, found.verified)


def notifications(unit, day):
    """Notification's path: the approver it mails (adapters.officials)."""
    found = Officials.load(TREE, TABLES).authority_of(unit, day)
    return (found.level, found.code, found.verified) if found else None


@pytest.mark.parametrize("day", DAYS, ids=str)
@pytest.mark.parametrize("place", PLACES, ids=lambda p: p[0])
@pytest.mark.parametrize("unit_type", UNIT_TYPES)
@pytest.mark.parametrize("level", LEVELS)
def test_review_and_notification_name_the_same_authority(day, place, unit_type, level):
    commune, jurisdiction = place
    fields = dict(
        unit_id="u1",
        commune_code=commune,
        jurisdiction=jurisdiction,
        unit_type=unit_type,
        managing_level=level,
    )
    review_unit = SimpleNamespace(**fields)
    mail_unit = Recipient(name="u1", contact_email=None, **fields)
    assert reviews(review_unit, day) == notifications(mail_unit, day)
    assert reviews(review_unit, day) is not None
