"""The content-addressed document store: a port, and the local-folder adapter (the default)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

CHUNK = 1024 * 1024


class TooLargeUpload(Exception):
    """The stream went past the size limit; nothing was kept."""


class CorruptDocument(Exception):
    """The stored bytes no longer hash to their name."""


@dataclass(frozen=True)
class Staged:
    """An upload written to a temporary file and hashed, not yet in the store."""

    path: Path
    sha256: str
    size: int


class DocumentStore(Protocol):
    def stage(self, stream: BinaryIO, limit: int) -> Staged: ...

    def keep(self, staged: Staged) -> None: ...

    def discard(self, staged: Staged) -> None: ...

    def read(self, sha256: str) -> bytes: ...

    def __contains__(self, sha256: str) -> bool: ...


class LocalDocumentStore:
    """Files under `root/ab/cd/<sha256>`, written once; an object store can replace it."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def stage(self, stream: BinaryIO, limit: int) -> Staged:
        """Copy to a temp file while hashing; stop and delete it past `limit` bytes."""
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=tmp_dir, prefix="upload-")
        digest, size = hashlib.sha256(), 0
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in iter(lambda: stream.read(CHUNK), b""):
                    size += len(chunk)
                    if size > limit:
                        raise TooLargeUpload(size)
                    digest.update(chunk)
                    out.write(chunk)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        return Staged(Path(name), digest.hexdigest(), size)

    def keep(self, staged: Staged) -> None:
        target = self._path(staged.sha256)
        if target.exists():
            staged.path.unlink(missing_ok=True)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged.path, target)

    def discard(self, staged: Staged) -> None:
        staged.path.unlink(missing_ok=True)

    def read(self, sha256: str) -> bytes:
        data = self._path(sha256).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise CorruptDocument(sha256)
        return data

    def __contains__(self, sha256: str) -> bool:
        return self._path(sha256).is_file()

    def stored(self) -> Iterator[str]:
        """Every hash held (for operators and tests: nothing else lives outside tmp/)."""
        for path in self.root.glob("??/??/*"):
            yield path.name

    def _path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256
