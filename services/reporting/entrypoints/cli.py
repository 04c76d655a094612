"""`antt reporting …`: rebuild the projections, verify the log (or an exported file), export it."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def register(subparsers) -> None:
    p = subparsers.add_parser("reporting", help="rebuild, verify or export reporting's log")
    sub = p.add_subparsers(required=True)
    rb = sub.add_parser("rebuild", help="replay every event into fresh tables and swap them in")
    rb.add_argument(
        "--from",
        dest="source",
        choices=("broker", "log"),
        default="broker",
        help="broker: every topic from offset 0 (default); log: reporting's stored event log",
    )
    rb.add_argument("--check", action="store_true", help="compare with live, do not swap")
    rb.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes that read (a share of the partitions each), check and decode records"
        " beside the one that stores them (default: one per core; 0: none)",
    )
    rb.set_defaults(func=_rebuild)
    vf = sub.add_parser("verify", help="check hash chains and stream versions of the whole log")
    vf.add_argument("--year", type=int)
    vf.add_argument("--file", type=Path, help="an exported log file: verified without a database")
    vf.add_argument("--json", action="store_true", help="print the result as JSON")
    vf.set_defaults(func=_verify)
    ex = sub.add_parser("export-log", help="write the stored log as JSON Lines")
    ex.add_argument("--year", type=int)
    ex.add_argument("--out", type=Path, required=True)
    ex.set_defaults(func=_export)


def _runtime():
    from services.reporting.bootstrap import bootstrap

    return bootstrap()


def _source(rt, kind: str):
    from services.reporting.adapters.sources import BrokerTopics, StoredLog

    if kind == "log":
        return StoredLog(rt.engine)
    return BrokerTopics(rt.settings, list(rt.consumer_topics))


def _rebuild(args) -> int:
    from tqdm import tqdm

    from services.reporting.service_layer.rebuild import rebuild
    from services.reporting.service_layer.sifting import default_workers
    from shared.messaging.ports import BrokerUnavailable

    rt = _runtime()
    try:
        source = _source(rt, args.source)
    except BrokerUnavailable as err:
        print(f"Không kết nối được broker ({err}); dùng --from log để dựng lại từ nhật ký đã lưu.")
        return 2
    bar = tqdm(total=source.total(), unit="ev", desc="replay", file=sys.stderr)

    def progress(outcome) -> None:
        if bar.total is None or bar.n >= bar.total:
            bar.total = source.total() or bar.total
        bar.update(outcome.read - bar.n)

    workers = default_workers() if args.workers is None else args.workers
    outcome = rebuild(rt.engine, source, progress, check_only=args.check, workers=workers)
    bar.close()
    skipped = ", ".join(f"{k}: {v}" for k, v in sorted(outcome.skipped.items())) or "none"
    print(f"skipped: {skipped}; applied meanwhile by the live consumer: {outcome.caught_up}")
    if outcome.swapped:
        print("fresh tables swapped in")
    else:
        print("rows differing from the live tables: " + json.dumps(outcome.differences))
        print("checked only: live tables left as they were")
    print(f"{outcome.replayed} events replayed, {outcome.rate:.0f} events/s")
    return 0


def _print_verify(result: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for p in result["problems"]:
        print(
            f"PROBLEM stream={p['stream_id']} version={p['stream_version']} "
            f"position={p['position']}: {p['problem']} — {p['detail']}"
        )
    verdict = "OK" if result["ok"] else f"{len(result['problems'])} problem(s)"
    print(f"{result['events']} events in {result['streams']} streams verified: {verdict}")


def _verify(args) -> int:
    from services.reporting.domain import audit
    from shared.envelope import envelope_hash

    if args.file:
        from services.reporting.adapters.log_file import read_entries

        entries = read_entries(args.file)
        if args.year is not None:
            entries = (e for e in entries if e.wire.get("year") == args.year)
        result = audit.verify(entries, envelope_hash)
    else:
        from services.reporting.service_layer.queries import verify

        result = verify(_runtime(), args.year)
    _print_verify(result, args.json)
    return 0 if result["ok"] else 1


def _export(args) -> int:
    from services.reporting.adapters.log_file import export_lines, write

    count = write(export_lines(_runtime().engine, args.year), args.out)
    print(f"{count} events written to {args.out}")
    return 0
