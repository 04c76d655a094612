"""Registration's `antt` commands: load the demo jurisdiction (Nha Trang) into the directory."""

from __future__ import annotations

import json


def register(subparsers) -> None:
    demo = subparsers.add_parser(
        "demo-data",
        help="load the Nha Trang demo directory (27 communes/wards, demo units); idempotent",
    )
    demo.set_defaults(func=_demo_data)


def _demo_data(args) -> None:
    from services.registration.bootstrap import bootstrap
    from services.registration.service_layer.demo import load_demo

    rt = bootstrap()
    try:
        print(json.dumps(load_demo(rt), ensure_ascii=False))
    finally:
        rt.engine.dispose()
