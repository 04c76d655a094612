"""The year's report as of a moment, with the manifest that reproduces it byte for byte."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from services.reporting.adapters import decoded
from services.reporting.adapters import repository as repo
from services.reporting.domain import lifecycle
from services.reporting.domain.report import Unit, build_report
from services.reporting.service_layer.selection import LogPositions, latest, select
from shared.auth import Forbidden, Principal
from shared.clock import iso_utc
from shared.envelope import Envelope
from shared.errors import Invalid

# Bump when the report's figures or layout change: a manifest names the generator it needs.
GENERATOR = "antt-reporting/report-1"
# The events a report reads (notifications and incidents change none of its figures); the
# manifest's positions cover exactly these, so a reproduction reads the same ones.
REPORTED = (
    *repo.DIRECTORY_EVENTS,
    "CampaignScheduled",
    "UnitRegistered",
    "LateExceptionGranted",
    "DossierSubmitted",
    "DossierReturned",
    "RecommendationMade",
    "RecognitionDecided",
    "RecognitionAnnulled",
)


def _directory(envs: list[Envelope]) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for env in sorted(envs, key=lambda e: (e.occurred_at, e.stream_id, e.stream_version)):
        if env.event_type not in repo.DIRECTORY_EVENTS:
            continue
        e = decoded.uncached(env).event
        units[e.unit_id] = Unit(
            e.unit_id, e.name, e.unit_type, e.commune_code, e.jurisdiction, e.managing_level
        )
    return units


def _as_they_stood(tree, units: list[Unit], year: int) -> list[Unit]:
    """Each unit under its commune as it stood at the end of the year's evaluation window
    (15/11): the 2024 report shows the old wards, the 2026 one the wards they became. A commune
    that did not exist then (merged away, or not yet formed) is not listed for that year."""
    window_end = date(year, 11, 15)
    placed = []
    for u in units:
        commune = tree.commune_on(u.commune_code, window_end)
        if commune is None or (u.unit_type == "commune" and commune != u.commune_code):
            continue
        placed.append(replace(u, commune_code=commune))
    return placed


def _stories(envs: list[Envelope], year: int) -> dict[str, list[lifecycle.Logged]]:
    stories: dict[str, list[lifecycle.Logged]] = {}
    for env in envs:
        if env.year == year and env.unit_id:
            stories.setdefault(env.unit_id, []).append(decoded.uncached(env))
    return stories


def _versions(envs: list[Envelope], year: int) -> dict:
    """Catalogue and calendar versions the selected events were produced under."""
    catalogues, campaign = set(), None
    for env in sorted(envs, key=lambda e: (e.occurred_at, e.stream_version)):
        if env.event_type in ("RecommendationMade", "CampaignScheduled") and env.year == year:
            catalogues.add(env.payload.get("catalogue_version") or "")
        if env.event_type == "CampaignScheduled" and env.year == year:
            campaign = env
    return {
        "catalogue_versions": sorted(c for c in catalogues if c),
        "calendar_version": campaign.payload.get("calendar_version") if campaign else None,
        "campaign_event_hash": campaign.hash if campaign else None,
    }


def _manifest(year, jurisdiction, commune_code, as_of: str, within, envs) -> dict:
    return {
        "year": year,
        "jurisdiction": jurisdiction,
        "commune_code": commune_code,
        "as_of": as_of,
        "log": within.to_dict(),
        **_versions(envs, year),
        "generator": GENERATOR,
    }


def build(rt, year, jurisdiction, commune_code, as_of: datetime | None, within=None) -> dict:
    """The report over `jurisdiction` from the log (up to `within`, or all of it), as of a
    moment (None: everything known now)."""
    with rt.engine.connect() as conn:
        rows = repo.positioned(conn, year=year, types=REPORTED)
    within = within or LogPositions.of_rows(rows)
    envs = select(rows, within, as_of)
    as_of = as_of or latest(envs, rt.clock.now())
    units = [
        u
        for u in _directory(envs).values()
        if rt.jurisdictions.reaches(jurisdiction, u.jurisdiction, u.commune_code)
        and (commune_code is None or u.commune_code == commune_code)
    ]
    units = _as_they_stood(rt.jurisdictions, units, year)
    stories = _stories(envs, year)
    states = {u.unit_id: lifecycle.project(stories.get(u.unit_id, [])) for u in units}
    moment = iso_utc(as_of)
    report = build_report(year, jurisdiction, moment, units, states)
    report["manifest"] = _manifest(year, jurisdiction, commune_code, moment, within, envs)
    return report


def report(rt, who: Principal, year: int, commune_code=None, as_of=None) -> dict:
    """The year's report over the caller's jurisdiction, now or as of a past moment."""
    if not 2000 <= year <= 2100:
        raise Invalid("Năm báo cáo phải từ 2000 đến 2100.", {"year": ["2000–2100"]})
    return build(rt, year, who.jurisdiction, commune_code, as_of)


def reproduce(rt, who: Principal, manifest: dict) -> dict:
    """The report a manifest describes, from the same part of the log, whatever came since."""
    if manifest.get("generator") != GENERATOR:
        raise Invalid(
            f"Manifest được tạo bởi {manifest.get('generator')!r}, phiên bản hiện tại là "
            f"{GENERATOR}: không thể tái tạo đúng từng byte.",
            {"manifest": ["generator"]},
        )
    scope = manifest["jurisdiction"]
    if not rt.jurisdictions.reaches(who.jurisdiction, scope, scope):
        raise Forbidden("Báo cáo này thuộc địa bàn ngoài phạm vi của bạn.")
    as_of = datetime.fromisoformat(manifest["as_of"])
    within = LogPositions.from_dict(manifest["log"])
    return build(
        rt, manifest["year"], manifest["jurisdiction"], manifest.get("commune_code"), as_of, within
    )
