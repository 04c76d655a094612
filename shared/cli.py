"""`antt`: run the whole system, mint local tokens, and look after parked events."""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from shared.auth import ROLES, mint_token
from shared.config import DEFAULT_PORTS, Settings

DEMO_ROLES = (
    ("admin", "admin-nt"),
    ("reviewer", "reviewer-nt"),
    ("approver", "approver-nt"),
    ("auditor", "auditor-kh"),
)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return args.func(args) or 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="antt", description=__doc__)
    sub = p.add_subparsers(required=True)
    run = sub.add_parser("run", help="start broker, APIs and workers; Ctrl-C stops them")
    run.add_argument("--var-dir", default="var")
    run.set_defaults(func=_run)
    tok = sub.add_parser(
        "token", help="mint a local JWT (HS256, ANTT_JWT_SECRET, ANTT_JWT_ISSUER/AUDIENCE)"
    )
    tok.add_argument("--role", required=True, choices=ROLES)
    tok.add_argument("--sub")
    tok.add_argument("--unit-id")
    tok.add_argument("--jurisdiction", default="nha-trang")
    tok.set_defaults(func=_token)
    parked = sub.add_parser("parked", help="list, replay or discard parked events")
    parked.add_argument("action", choices=("list", "replay", "discard"))
    parked.add_argument("--service", required=True, choices=SERVICES)
    parked.add_argument("--id", type=int, action="append", dest="ids")
    parked.add_argument("--reason", default="discarded by operator")
    parked.set_defaults(func=_parked)
    mig = sub.add_parser("migrations", help="schema migrations (Alembic) of one service")
    mig.add_argument("action", choices=("upgrade", "check", "new"))
    mig.add_argument("--service", required=True, choices=(*SERVICES, "kernel"))
    mig.add_argument("-m", "--message", default="schema change")
    mig.set_defaults(func=_migrations)
    rec = sub.add_parser(
        "recover",
        help="after a restore from an older backup: put back what the log holds and the "
        "database lost (stop the service's processes first)",
    )
    rec.add_argument("--service", required=True, choices=SERVICES)
    rec.set_defaults(func=_recover)
    _add_service_commands(sub)
    return p


SERVICES = ("registration", "review", "notification", "reporting")


def _add_service_commands(sub) -> None:
    """Each service may offer its own commands in `services/<svc>/entrypoints/cli.py`."""
    for service in SERVICES:
        try:
            module = importlib.import_module(f"services.{service}.entrypoints.cli")
        except ModuleNotFoundError as err:
            if err.name != f"services.{service}.entrypoints.cli":
                raise
            continue
        module.register(sub)


def _token(args) -> None:
    settings = Settings.from_env("cli")
    jurisdiction = None if args.role == "unit" else args.jurisdiction
    if args.role == "unit" and not args.unit_id:
        sys.exit("a unit token needs --unit-id")
    print(_mint(settings, args.role, args.sub, args.unit_id, jurisdiction))


def _mint(settings: Settings, role, sub, unit_id, jurisdiction) -> str:
    """A token this deployment accepts: its secret, issuer and audience."""
    return mint_token(
        settings.jwt_secret,
        role,
        sub,
        unit_id,
        jurisdiction,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )


def _run(args) -> None:
    from shared.stack import Stack

    metrics_port = _supervisor_metrics_port()
    # Restarts show on the terminal as well as in var/log/supervisor.log.
    logging.getLogger("antt.supervisor").addHandler(logging.StreamHandler(sys.stdout))
    stack = Stack(
        Path(args.var_dir).resolve(),
        ports=_ports(),
        supervise=True,
        metrics_port=metrics_port,
    )
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print("antt: starting broker, 4 APIs, the portal and workers (logs in var/log/) …", flush=True)
    try:
        stack.start(stop=stop)  # Ctrl-C while it starts stops it too
        if not stop.is_set():
            _print_welcome(stack)
        # A process that exits is started again (with back-off); only Ctrl-C/SIGTERM stops all.
        while not stop.wait(0.5):
            stack.tend()
    finally:
        print("\nantt: stopping …", flush=True)
        stack.stop()
        print("antt: stopped. Data stays in var/.", flush=True)


def _ports() -> dict[str, int]:
    """The default ports, or ANTT_<SERVICE>_PORT where set (ANTT_PORTAL_PORT: the portal)."""
    ports = {}
    for service, default in DEFAULT_PORTS.items():
        raw = os.environ.get(f"ANTT_{service.upper()}_PORT", "").strip() or str(default)
        if not raw.isdigit() or not 0 < int(raw) <= 65535:
            sys.exit(f"ANTT_{service.upper()}_PORT phải là một cổng 1–65535, không {raw!r}")
        ports[service] = int(raw)
    return ports


def _supervisor_metrics_port() -> int:
    raw = os.environ.get("ANTT_SUPERVISOR_METRICS_PORT", "8009").strip()
    if not raw.isdigit() or int(raw) > 65535:
        sys.exit(f"ANTT_SUPERVISOR_METRICS_PORT phải là một cổng 0–65535 (0: tắt), không {raw!r}")
    return int(raw)


def _print_welcome(stack) -> None:
    settings = Settings.from_env("cli")
    print("\nantt is ready:")
    print(f"  portal        {stack.url('portal')}/  (sign in with a demo account)")
    for service in ("registration", "review", "notification", "reporting"):
        print(f"  {service:<13} {stack.url(service)}/api/docs")
    broker = stack.env.get("KAFKA_BOOTSTRAP_SERVERS") or os.environ["KAFKA_BOOTSTRAP_SERVERS"]
    print(f"  broker        {broker}")
    if stack.metrics_port:
        print(f"  restarts      http://127.0.0.1:{stack.metrics_port}/metrics")
    print("\nTokens (12 h; a unit token: .venv/bin/antt token --role unit --unit-id <id>):")
    for role, sub in DEMO_ROLES:
        jurisdiction = "khanh-hoa" if role == "auditor" else "nha-trang"
        print(f"  export {role.upper()}={_mint(settings, role, sub, None, jurisdiction)}")
    print(
        "  (APPROVER decides for the city; a ward or commune People's Committee decides its\n"
        "   residential areas: .venv/bin/antt token --role approver --jurisdiction <commune_code>)"
    )
    print("\nLoad the Nha Trang demo directory: .venv/bin/antt demo-data")
    print("\nCtrl-C stops everything.", flush=True)


def _migrations(args) -> int:
    """`new` autogenerates against the configured database, brought to the heads first;
    `--service kernel` writes a revision of the kernel's own tables."""
    from shared.persistence import migrate
    from shared.persistence.engine import make_engine

    service = None if args.service == "kernel" else args.service
    settings = Settings.from_env(args.service)
    md = (
        importlib.import_module(f"services.{service}.adapters.tables").metadata if service else None
    )
    metadata = (md,) if md is not None else ()
    engine = make_engine(settings.database_url)
    if args.action == "new":
        migrate.new_revision(engine, service, args.message, *metadata)
        return 0
    if service is None:
        raise SystemExit("upgrade/check take a service: the kernel is migrated with each one")
    migrate.upgrade(engine, service, *metadata)
    changes = migrate.pending_changes(engine, *metadata) if args.action == "check" else []
    for change in changes:
        print(f"not in any migration: {change}")
    return 1 if changes else 0


def _recover(args) -> int:
    from shared.messaging.kafka import read_to_end
    from shared.recovery import recover

    rt = importlib.import_module(f"services.{args.service}.bootstrap").bootstrap()
    s = rt.settings

    def records_of(topics):
        return read_to_end(s.kafka_bootstrap_servers, s.kafka_security, "antt-recover", topics)

    done = recover(rt, records_of)
    print(
        json.dumps(
            {
                "service": args.service,
                "events_put_back": done.restored,
                "outbox_rows_found_published": done.marked_published,
                "records_reread": done.reread,
            },
            ensure_ascii=False,
        )
    )
    return 0


def _parked(args) -> None:
    from shared.messaging import parking

    service = importlib.import_module(f"services.{args.service}.bootstrap")
    rt = service.bootstrap()
    if args.action == "list":
        rows = parking.list_parked(rt.engine, status=None)
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    elif args.action == "replay":
        from shared.runtime import make_consumer

        results = make_consumer(rt).replay_parked(args.ids)
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for parked_id in args.ids or []:
            ok = parking.discard_parked(rt.engine, parked_id, args.reason, rt.clock)
            print(f"{parked_id}: {'discarded' if ok else 'not parked'}")


if __name__ == "__main__":
    sys.exit(main())
