"""Where one registration worker's CPU goes at peak: py-spy during one more wrk run, by step."""

from __future__ import annotations

from pathlib import Path

from bench import profile
from bench.servers import worker_pids, wrk

DOMAIN = "folding events into state, deciding (domain)"
CUT_SHORT = "SQL statements whose caller the sampler missed"
# The steps of POST /dossiers, by the frame that starts each (py-spy's "function (path", see
# profile.by_step), in order of precedence: decoding and sealing count apart from the reads and
# the append around them, a marshmallow dump counts for the response only when no other step
# made it.
STEPS = (
    ("decoding the stored events (marshmallow load)", "_decoded (shared/persistence/"),
    (
        "sealing the new events (encode, canonical JSON, hash)",
        "EventStore._seal (shared/persistence/",
    ),
    (
        "appending events and outbox rows (one INSERT statement)",
        "appended_in_one_statement (shared/persistence/",
    ),
    ("checking the cited uploads (SELECT)", "uploads_usable_by (services/registration/adapters/"),
    ("citing the uploads (INSERT)", "cite (services/registration/adapters/"),
    (
        "reading unit, campaign and case streams (BEGIN, SELECT)",
        "events_of_streams (shared/persistence/",
    ),
    (DOMAIN, "fold (services/registration/domain/"),
    (DOMAIN, "submit_dossier (services/registration/domain/"),
    ("COMMIT", "Transaction.commit (sqlalchemy/"),
    ("pool check-out and check-in", "Pool.connect (sqlalchemy/"),
    ("pool check-out and check-in", "_ConnectionFairy._checkin (sqlalchemy/"),
    ("token check (PyJWT)", "current_principal (shared/http/"),
    ("body validation (webargs, marshmallow load)", "Parser.parse (webargs/"),
    ("response body (marshmallow dump, JSON)", "Schema.dump (marshmallow/"),
    ("response body (marshmallow dump, JSON)", "jsonify (flask/"),
    # py-spy reads a running worker's stack without stopping it and now and then gets only
    # its innermost frames: SQL whose caller is lost still counts as SQL, not as the rest.
    (CUT_SHORT, "(psycopg/"),
    (CUT_SHORT, "(sqlalchemy/"),
)
REST = "the rest: gunicorn, HTTP, Flask and flask-smorest dispatch, access log"


def profiled_peak(url: str, first: int, body: Path, seconds: int, server, out: Path) -> dict:
    """One more peak run of the API with py-spy on one of its workers (both take equal shares
    of the load); the run's CPU per request comes from /proc as in the measured rounds."""
    spy = profile.start(worker_pids(server)[0], seconds, out)
    peak = wrk(url, first, body, seconds, server)
    if spy is None:
        return peak | {"steps": []}
    spy.wait(60)
    return peak | {"steps": profile.by_step(out, STEPS, REST)}


def text(peak: dict | None) -> str:
    """The section of the report: each step's share of the worker's samples and, from it, an
    estimate of its CPU per request."""
    if not peak:
        return ""
    if not peak["steps"]:
        return "(py-spy is not installed: no profile of the registration worker.)"
    ms = peak["cpu_ms"]["workers"]
    rows = "\n".join(f"| {s} | {share:.1%} | {share * ms:.2f} |" for s, share in peak["steps"])
    return f"""Where a registration worker's CPU goes (py-spy on one of the two workers, 200 samples
a second, during one more peak run of {peak["requests"]} requests at {peak["rate"]:.0f}
requests/s with the profiler attached; {ms:.2f} ms of worker CPU per request in that run,
shared out by the steps' shares of the samples). py-spy leaves out the samples where the
worker sleeps (waiting for a request or for PostgreSQL's answer); one taken while it waits for
a CPU counts for the step it stands in, so on a busy machine the steps that wake from a wait
(the SQL statements) weigh a little more than their own CPU:

| step of `POST /dossiers` | share of samples | ≈ CPU ms per request |
|---|---|---|
{rows}"""
