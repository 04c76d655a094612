"""Gunicorn settings for an antt API in a container; the entrypoint names the service."""

import os

from shared.config import DEFAULT_PORTS

_service = os.environ["ANTT_SERVICE"]
_port = os.environ.get(f"ANTT_{_service.upper()}_PORT") or DEFAULT_PORTS[_service]

# Inside its container the API answers on the contract's port; the proxy spreads the replicas.
bind = [f"0.0.0.0:{_port}"]
workers = int(os.environ.get("ANTT_GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("ANTT_GUNICORN_THREADS", "1"))
# Uploads of up to 20 MiB over slow provincial links: generous, but not unbounded.
timeout = int(os.environ.get("ANTT_GUNICORN_TIMEOUT", "120"))
graceful_timeout = 20
keepalive = 5
# Heartbeat files in memory, not on the container's overlay disk (which can stall workers).
worker_tmp_dir = "/dev/shm"
# Recycle workers now and then so a slow leak never takes a replica down.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# The proxy is the only client on the compose network; trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("ANTT_FORWARDED_ALLOW_IPS", "*")
proc_name = f"antt-{_service}-api"
# The arbiter's own lines in the form ANTT_LOG_FORMAT chose (json in deploy/compose.yaml).
from shared.observability.gunicorn_hooks import on_starting  # noqa: E402, F401
