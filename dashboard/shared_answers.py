"""Kept callback answers shared by the server's workers: one file per answer, on this machine only.

Each gunicorn worker keeps its answers in its own memory (:mod:`dashboard.view_cache`), so every first
view was computed once per worker. Here a kept answer is also written to a folder the workers share, and a
worker that misses in its memory reads it from there before computing. The folder name holds what an
answer depends on besides the request: the database file and its build, the app's settings (the base map,
the base address, ...) and the code that answers (:func:`code_version`); the file name is the request
digest, which holds the caller's access scope (:func:`dashboard.view_cache.request_digest`). A new build
gets a new folder; the oldest files go when the whole exceeds :data:`MAX_BYTES`.

The answers hold what their callers may see (outlets, for an account that reaches them): the folder is
private to the server's user (mode 0700), and a folder another user owns or others may read is not used.
Only the servers share (gunicorn's ``dashboard.app:server``, ``python -m dashboard``): an app made for a
test or a command keeps its answers to itself.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import re
import stat
import tempfile
import threading
from collections.abc import Hashable
from pathlib import Path

#: The most bytes all kept answers of this user may take on disk before the oldest go.
MAX_BYTES = 256 * 1024 * 1024
#: How many answers a worker writes between two checks of the whole folder's size.
CHECK_EVERY = 64
_DIGEST = re.compile(r"[0-9a-f]{64}")

log = logging.getLogger(__name__)


@functools.cache
def code_version() -> str:
    """Return a digest of the dashboard's own code and the versions of Dash and plotly.

    Part of an answer's folder: a server restarted on new code never serves what the old code answered.
    """
    import dash
    import plotly

    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{dash.__version__}\0{plotly.__version__}".encode())
    for path in sorted(p for p in package.rglob("*") if p.suffix in (".py", ".js", ".css") and p.is_file()):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def default_root() -> Path:
    """Return the folder of this user's shared answers (in the system's temporary folder)."""
    return Path(tempfile.gettempdir()) / f"smart-retail-answers-{os.getuid()}"


def _private_folder(path: Path) -> bool:
    """Make ``path`` a folder only its owner may enter, if it is not there; tell whether it is one of ours."""
    try:
        path.mkdir(mode=0o700, exist_ok=True)
        info = path.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


class SharedAnswers:
    """Answers as files under ``root``, in a folder per build and settings (see the module's text)."""

    def __init__(self, root: Path, setup: str, max_bytes: int = MAX_BYTES) -> None:
        self.root, self.max_bytes = root, max_bytes
        #: What the answers depend on besides the request and the build: the app's settings.
        self._setup = setup
        self._lock = threading.Lock()
        self._writes = 0
        self.usable = _private_folder(root)
        code_version()  # read once as the worker starts, not in its first request
        if not self.usable:
            log.warning("gedeelde antwoorden uit: %s is geen privémap van deze gebruiker", root)

    def _folder(self, database: Path, build: Hashable) -> Path:
        key = f"{database}\0{build!r}\0{self._setup}\0{code_version()}"
        name = hashlib.sha256(key.encode()).hexdigest()[:32]
        return self.root / name

    def get(self, database: Path, build: Hashable, digest: str) -> bytes | None:
        """Return the answer kept under ``digest`` for this build, if a worker kept one."""
        if not self.usable or not _DIGEST.fullmatch(digest):
            return None
        try:
            return (self._folder(database, build) / digest).read_bytes()
        except OSError:
            return None

    def put(self, database: Path, build: Hashable, digest: str, answer: bytes) -> None:
        """Keep ``answer`` for the other workers (written whole or not at all); never fails the request."""
        if not self.usable or not _DIGEST.fullmatch(digest):
            return
        folder = self._folder(database, build)
        part = folder / f".{digest}.{os.getpid()}.{threading.get_ident()}"
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            # Written aside and renamed: a reader sees the whole answer or none.
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(answer)
            os.replace(part, folder / digest)
        except OSError:
            part.unlink(missing_ok=True)
            return
        with self._lock:
            self._writes += 1
            check = self._writes % CHECK_EVERY == 0
        if check:
            with contextlib.suppress(OSError):  # another worker trims at the same moment: its files are gone
                self.trim()

    def trim(self) -> None:
        """Delete the oldest answers (any build) until all take at most three quarters of :attr:`max_bytes`."""
        files = []
        for folder in (p for p in self.root.iterdir() if p.is_dir()):
            for entry in os.scandir(folder):
                try:
                    info = entry.stat()
                except OSError:
                    continue
                files.append((info.st_mtime_ns, info.st_size, entry.path))
        total = sum(size for _, size, _ in files)
        if total <= self.max_bytes:
            return
        for _, size, path in sorted(files):
            if total <= self.max_bytes * 3 // 4:
                break
            try:
                os.unlink(path)
                total -= size
            except OSError:
                continue
        for folder in (p for p in self.root.iterdir() if p.is_dir()):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty: an old build's folder
