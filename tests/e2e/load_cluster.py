"""A private PostgreSQL server for one test module, which it may stop and start at will."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import sqlalchemy as sa

from shared.broker import free_port, port_open
from tests.e2e.client import wait_until

# The server binaries of the newest PostgreSQL installed (Debian layout), as the shared one uses.
BIN = max(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), default=None)
OWNER = "postgres"  # initdb refuses to run as root: the cluster belongs to this user


def _as_owner(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["runuser", "-u", OWNER, "--", *args], check=True, capture_output=True, text=True
    )


class PrivatePostgres:
    """A throw-away cluster on a free port with trust auth; never the machine's shared server."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="antt-pg-"))
        self.data, self.log = self.dir / "data", self.dir / "server.log"
        self.port = free_port()
        shutil.chown(self.dir, OWNER, OWNER)
        _as_owner(str(BIN / "initdb"), "-D", str(self.data), "--auth=trust", "-U", "postgres")

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> PrivatePostgres:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        _as_owner(
            str(BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.log),
            "-w", "start",
        )  # fmt: skip
        wait_until(lambda: port_open(self.port), "the private PostgreSQL to listen", 60)
        return self

    def stop(self, mode: str = "fast") -> None:
        """`fast` rolls back open transactions and closes every connection, as a restart does."""
        _as_owner(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def new_database(self, name: str) -> str:
        engine = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        finally:
            engine.dispose()
        return self.admin_url.rsplit("/", 1)[0] + "/" + name

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)
