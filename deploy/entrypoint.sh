#!/bin/sh
# The image's entrypoint: the first argument chooses the antt process this container runs.
set -eu

SERVICES="registration review notification reporting"
# The API processes: the four services and the web portal (which has no workers).
APIS="$SERVICES portal"
PRODUCERS="registration review notification"

usage() {
  cat <<'TEXT'
usage: antt-entrypoint <process> [arguments]

  api <service>        the HTTP API under gunicorn (deploy/gunicorn.conf.py); `api portal`: the web portal
  relay <service>      the outbox relay: stored events -> Kafka (registration, review, notification)
  consumer <service>   the service's idempotent Kafka consumer
  sender               notification: sends pending mail over SMTP
  scheduler            notification: deadline reminders from the campaign calendar
  antt <args>          an antt command, e.g. `antt reporting rebuild`, `antt token --role admin`

services: registration review notification reporting
TEXT
}

# Only the names above: never an arbitrary module path from the command line.
require_one_of() {
  value="$1"; shift
  for allowed in "$@"; do
    [ "$value" = "$allowed" ] && return 0
  done
  echo "antt-entrypoint: '$value' is not one of: $*" >&2
  exit 2
}

process="${1:-}"
[ $# -gt 0 ] && shift

case "$process" in
  api)
    require_one_of "${1:-}" $APIS
    export ANTT_SERVICE="$1"
    exec gunicorn --config /app/deploy/gunicorn.conf.py "services.$1.entrypoints.api:create_app()"
    ;;
  relay)
    require_one_of "${1:-}" $PRODUCERS
    exec python -m "services.$1.entrypoints.relay"
    ;;
  consumer)
    require_one_of "${1:-}" $SERVICES
    exec python -m "services.$1.entrypoints.consumer"
    ;;
  sender|scheduler)
    exec python -m "services.notification.entrypoints.$process"
    ;;
  antt)
    exec antt "$@"
    ;;
  -h|--help|help|"")
    usage
    ;;
  *)
    echo "antt-entrypoint: unknown process '$process'" >&2
    usage >&2
    exit 2
    ;;
esac
