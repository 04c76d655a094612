"""Real producers feeding a real consumer: envelopes exactly as the broker carries them."""

from __future__ import annotations

from datetime import date, timedelta

from shared.envelope import Envelope
from shared.events import TOPICS
from shared.events.registration import (
    CampaignScheduled,
    DocumentRef,
    DossierSubmitted,
    LateExceptionGranted,
    UnitAdded,
    UnitRegistered,
)
from shared.events.review import (
    DossierReturned,
    Finding,
    IncidentRecorded,
    RecognitionAnnulled,
    RecognitionDecided,
    RecommendationMade,
)
from shared.messaging.consumer import IdempotentConsumer
from shared.messaging.ports import Record
from shared.persistence.engine import create_schema, make_engine
from shared.persistence.event_store import Context, EventStore

YEAR = 2026


class Producers:
    """Registration and review appending into a scratch database, exactly as they do for real."""

    def __init__(self, url: str, clock):
        self.clock = clock
        self.engine = make_engine(url)
        create_schema(self.engine)
        self.stores = {p: EventStore(p, TOPICS[p], clock) for p in ("registration", "review")}

    def emit(self, producer: str, stream_id: str, event) -> Envelope:
        store = self.stores[producer]
        context = Context({"sub": f"{producer}-user", "role": "admin"}, f"corr-{stream_id}")
        with self.engine.begin() as conn:
            version = store.version_of(conn, stream_id)
            [env] = store.append(conn, stream_id, version, [event], context)
        return env


class Feed:
    """Emits an event with a producer and hands its record to the consumer, as the broker would."""

    def __init__(self, producers: Producers, consumer: IdempotentConsumer):
        self.producers, self.consumer = producers, consumer
        self.offsets: dict[str, int] = {}

    def emit(self, producer: str, stream_id: str, event) -> tuple[Envelope, Record]:
        env = self.producers.emit(producer, stream_id, event)
        record = self.record_of(env, TOPICS[producer])
        self.outcome = self.consumer.consume(record)
        # Steps of a case are seconds apart at least: listings in time order stay stable.
        self.producers.clock.advance(timedelta(seconds=1))
        return env, record

    def record_of(self, env: Envelope, topic: str) -> Record:
        offset = self.offsets.get(topic, 0)
        self.offsets[topic] = offset + 1
        return Record(topic, 0, offset, env.unit_id or env.stream_id, env.to_bytes(), {})

    def unit(self, unit_id="loc-tho", name="Phường Lộc Thọ", email="ubnd.loctho@example.vn", **kw):
        return self.emit("registration", f"unit-{unit_id}", unit_added(unit_id, name, email, **kw))


def unit_added(
    unit_id,
    name,
    email,
    jurisdiction="nha-trang",
    cls=UnitAdded,
    unit_type="commune",
    commune_code=None,
    managing_level="district",
) -> UnitAdded:
    return cls(
        unit_id=unit_id,
        name=name,
        unit_type=unit_type,
        commune_code=commune_code or unit_id,
        managing_level=managing_level,
        has_party_organization=True,
        contact_email=email,
        jurisdiction=jurisdiction,
    )


def registered(unit_id="loc-tho", name="Phường Lộc Thọ", jurisdiction="nha-trang"):
    return UnitRegistered(
        unit_id=unit_id,
        year=YEAR,
        unit_type="commune",
        name=name,
        commune_code=unit_id,
        managing_level="district",
        has_party_organization=True,
        jurisdiction=jurisdiction,
        documents=(DocumentRef("registration_form", "a" * 64, "dang-ky.pdf", 1200),),
    )


def campaign(year=YEAR, registration=date(2026, 3, 31), dossier=date(2026, 11, 30)):
    return CampaignScheduled(
        year=year,
        registration_deadline=registration,
        period_start=date(year - 1, 11, 16),
        period_end=date(year, 11, 15),
        ra_period_start=date(year - 1, 11, 1),
        ra_period_end=date(year, 10, 31),
        dossier_deadline=dossier,
        catalogue_version="c124-v1",
    )


def late_exception(unit_id="loc-tho", step="registration", until=date(2026, 4, 15)):
    return LateExceptionGranted(unit_id, YEAR, step, "Bổ sung theo chỉ đạo", until)


def submitted(unit_id="loc-tho", revision=1):
    return DossierSubmitted(
        dossier_id="d-1", unit_id=unit_id, year=YEAR, revision=revision, documents=()
    )


def returned(unit_id="loc-tho", revision=1, due=date(2026, 12, 15)):
    return DossierReturned(
        unit_id=unit_id,
        year=YEAR,
        dossier_id="d-1",
        revision=revision,
        reasons=("Thiếu biên bản cuộc họp", "Báo cáo chưa có chữ ký"),
        due_date=due,
    )


def recommended(unit_id="loc-tho", recommendation="not_achieved"):
    return RecommendationMade(
        unit_id=unit_id,
        year=YEAR,
        dossier_id="d-1",
        revision=1,
        recommendation=recommendation,
        findings=(
            Finding("CW-1", True),
            Finding("CW-4", recommendation == "achieved", note="16/25 đơn vị được công nhận"),
        ),
        catalogue_version="c124-v1",
    )


def decided(unit_id="loc-tho", decision="recognized"):
    return RecognitionDecided(
        unit_id=unit_id,
        year=YEAR,
        decision=decision,
        decision_number="125/QĐ-UBND",
        decided_on=date(2026, 12, 28),
        recommendation_event_id="rec-1",
    )


def annulled(unit_id="loc-tho"):
    return RecognitionAnnulled(
        unit_id=unit_id, year=YEAR, decision_number="125/QĐ-UBND", reason="Phát hiện sai phạm"
    )


def incident(unit_id="loc-tho"):
    return IncidentRecorded("i-1", unit_id, date(2026, 5, 1), "CW-2", "Đánh nhau gây thương tích")


# (producer, stream of the cause, event factory, subject the unit receives)
TRIGGERS = {
    "UnitRegistered": (
        "registration",
        "case-loc-tho-2026",
        registered,
        "Đã nhận đăng ký phấn đấu đạt chuẩn ANTT năm 2026 – Phường Lộc Thọ",
    ),
    "DossierSubmitted": (
        "registration",
        "case-loc-tho-2026",
        submitted,
        "Đã nhận hồ sơ đề nghị công nhận năm 2026 – Phường Lộc Thọ",
    ),
    "DossierReturned": (
        "review",
        "review-loc-tho-2026",
        returned,
        "Hồ sơ đề nghị công nhận năm 2026 được trả lại để bổ sung – Phường Lộc Thọ",
    ),
    "RecommendationMade": (
        "review",
        "review-loc-tho-2026",
        recommended,
        "Đã có kết quả thẩm định hồ sơ năm 2026 – Phường Lộc Thọ",
    ),
    "RecognitionDecided": (
        "review",
        "review-loc-tho-2026",
        decided,
        "Quyết định công nhận đạt chuẩn ANTT năm 2026 – Phường Lộc Thọ",
    ),
    "RecognitionAnnulled": (
        "review",
        "review-loc-tho-2026",
        annulled,
        "Hủy bỏ quyết định công nhận số 125/QĐ-UBND năm 2026 – Phường Lộc Thọ",
    ),
}
