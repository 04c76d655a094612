"""deploy/compose.yaml as data, for the deploy tests: load it, find its ${VAR} references."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
ENV_EXAMPLE = DEPLOY / ".env.example"
SCHEMA = Path(__file__).with_name("compose_spec.json")

# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}
REFERENCE = re.compile(r"(?<!\$)\$\{(?P<name>[A-Z0-9_]+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")
SERVICES = ("registration", "review", "notification", "reporting")
KAFKA_NODES = ("kafka-1", "kafka-2", "kafka-3")


def compose() -> dict:
    # PyYAML resolves the `<<` merge keys the way Compose does.
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def services() -> dict:
    return compose()["services"]


def references(text: str) -> list[re.Match]:
    return list(REFERENCE.finditer(text))


def required_variables(text: str) -> set[str]:
    return {m["name"] for m in references(text) if m["op"] in (":?", "?")}


def env_file(path: Path) -> dict[str, str]:
    """KEY=value lines of an env file (comments and blanks skipped), as Compose reads them."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def is_reference(value) -> bool:
    """The whole value is one ${VAR…} reference: nothing written in the file itself."""
    match = REFERENCE.fullmatch(str(value))
    return match is not None


class MissingVariable(LookupError):
    """A ${VAR:?…} reference with nothing in the env file, as Compose refuses it."""


def interpolate(value, env: dict[str, str]) -> str:
    """Compose's interpolation of one value: defaults, required variables, `$$` escapes."""

    def substitute(match: re.Match) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        present = name in env and (env[name] != "" or op in ("-", "?"))
        if present:
            return env[name]
        if op in (":?", "?"):
            raise MissingVariable(f"{name}: {arg}")
        return arg if op in (":-", "-") else ""

    return REFERENCE.sub(substitute, str(value)).replace("$$", "$")


def resolved_environment(service: str, env: dict[str, str]) -> dict[str, str]:
    """A service's environment as its container receives it, given the env file's values."""
    declared = services()[service].get("environment") or {}
    return {key: interpolate(value, env) for key, value in declared.items()}
