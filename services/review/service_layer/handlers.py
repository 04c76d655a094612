"""Consumer handlers: registration's directory and case events, projected for review."""

from __future__ import annotations

from services.review.adapters import repository as repo


def project_unit(env, event, conn) -> None:
    """UnitAdded / UnitUpdated: keep the directory entry review scopes and shows cases by."""
    repo.save_unit(conn, repo.unit_values(event))


def fill_unit_from_registration(env, event, conn) -> None:
    """UnitRegistered carries the unit's entry: enough to place the case if UnitAdded is unseen."""
    repo.add_unit_if_missing(conn, repo.unit_values(event))


def add_to_timeline(env, event, conn) -> None:
    """UnitRegistered / DossierSubmitted: a step of the case, in the order it reached review."""
    repo.find_unit(conn, event.unit_id, lock=True)
    repo.add_to_timeline(conn, env)


def keep_campaign(env, event, conn) -> None:
    """CampaignScheduled: the year's evaluation periods decide which incidents count."""
    dates = {
        name: getattr(event, name).isoformat()
        for name in ("period_start", "period_end", "ra_period_start", "ra_period_end")
    }
    repo.save_campaign(conn, event.year, dates)


HANDLERS = {
    "CampaignScheduled": [keep_campaign],
    "UnitAdded": [project_unit],
    "UnitUpdated": [project_unit],
    "UnitRegistered": [fill_unit_from_registration, add_to_timeline],
    "DossierSubmitted": [add_to_timeline],
}
