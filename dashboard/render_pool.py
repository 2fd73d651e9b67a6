"""A bounded pool for PDF renders, apart from the request threads.

A PDF costs a few hundred milliseconds of CPU; twenty at once used to take every request thread of both
workers, so that even ``/health`` waited for them. The pool renders at most ``workers`` PDFs at a time
per process and holds at most ``queue`` more; a request beyond that is refused at once
(:class:`PoolBusyError`, which the routes answer with 503 and ``Retry-After``), never left to time out.

Identical requests (same key) share one render. A render whose every client has left is cancelled: a
queued one never starts, a running one stops at its next checkpoint (:meth:`Ticket.check`).
"""

from __future__ import annotations

import contextlib
import fcntl
import socket
import sys
import threading
from collections.abc import Callable, Hashable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Seconds a refused client is told to wait before asking again.
RETRY_AFTER = 5
BUSY_TEXT = ("De PDF-dienst is even volzet: er worden al andere PDF's gemaakt. "
             f"Probeer het over {RETRY_AFTER} seconden opnieuw.\n")


class PoolBusyError(RuntimeError):
    """Every render slot and queue place is taken."""


class RenderCancelledError(RuntimeError):
    """The render was cancelled: every client that asked for it has left."""


@contextlib.contextmanager
def host_slot(path: Path | None, ticket: Ticket, poll_seconds: float = 0.05) -> Iterator[None]:
    """Hold the machine-wide render slot ``path`` (an exclusive file lock) while rendering; None: no slot.

    Every gunicorn worker has its own pool; the lock keeps the renders of all of them to one at a time, so
    that on a small machine one core stays free for the pages. Waiting for it stays cancellable.
    """
    if path is None:
        yield
        return
    with path.open("a") as handle:
        while True:
            ticket.check()
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                ticket.wait(poll_seconds)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Ticket:
    """Handed to a render: it calls :meth:`check` between its steps, so a cancelled render stops there."""

    def __init__(self) -> None:
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        """Ask the render to stop at its next checkpoint."""
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        """Tell whether the render was cancelled."""
        return self._cancelled.is_set()

    def wait(self, seconds: float) -> None:
        """Wait ``seconds`` or until the render is cancelled."""
        self._cancelled.wait(seconds)

    def check(self) -> None:
        """Raise :class:`RenderCancelledError` when the render was cancelled."""
        if self._cancelled.is_set():
            raise RenderCancelledError("render geannuleerd: de aanvrager is weg")


@dataclass
class Job:
    """One render in the pool, with the number of requests waiting for it."""

    key: Hashable
    future: Future
    ticket: Ticket = field(default_factory=Ticket)
    waiters: int = 1


class RenderPool:
    """At most ``workers`` renders at a time and ``queue`` waiting; more is refused with :class:`PoolBusyError`."""

    def __init__(self, workers: int = 1, queue: int = 1, poll_seconds: float = 0.05,
                 switch_interval: float | None = 0.001, slot: Path | None = None) -> None:
        self.workers, self.queue, self.poll_seconds, self.slot = workers, queue, poll_seconds, slot
        if switch_interval is not None:
            # A render is pure Python for long stretches and holds the GIL for the whole switch interval
            # (5 ms by default) each time; a request thread needs the GIL a few dozen times per answer.
            # A shorter interval lets /health and the page callbacks in sooner while a PDF renders.
            sys.setswitchinterval(switch_interval)
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="pdf-render")
        self._lock = threading.Lock()
        self._jobs: dict[Hashable, Job] = {}
        self.started = 0
        self.refused = 0
        self.cancelled = 0

    @property
    def active(self) -> int:
        """Return the renders running or queued."""
        with self._lock:
            return len(self._jobs)

    def start(self, key: Hashable, render: Callable[[Ticket], Any]) -> Job:
        """Start ``render(ticket)`` for ``key``, or join the render of ``key`` already under way.

        Raises :class:`PoolBusyError` when no slot or queue place is free (nothing is started then).
        """
        with self._lock:
            job = self._jobs.get(key)
            if job is not None:
                job.waiters += 1
                return job
            if len(self._jobs) >= self.workers + self.queue:
                self.refused += 1
                raise PoolBusyError(BUSY_TEXT)
            ticket = Ticket()

            def run() -> Any:
                ticket.check()  # a queued render whose clients all left never starts
                with host_slot(self.slot, ticket):
                    return render(ticket)

            job = Job(key, self._executor.submit(run), ticket)
            self._jobs[key] = job
            self.started += 1
        # Done, failed or cancelled: the slot is free again (a callback, so a render cancelled in the queue,
        # which never runs, frees it too).
        job.future.add_done_callback(lambda _: self._release(job))
        return job

    def _release(self, job: Job) -> None:
        with self._lock:
            if self._jobs.get(job.key) is job:
                del self._jobs[job.key]

    def wait(self, job: Job, client_gone: Callable[[], bool] | None = None) -> Any:
        """Return the result of ``job``; when ``client_gone()`` says the client left, stop waiting.

        The render itself is cancelled only when no other request still waits for it.
        """
        while True:
            try:
                return job.future.result(timeout=self.poll_seconds if client_gone else None)
            except FutureTimeout:
                if client_gone is not None and client_gone():
                    self._leave(job)
                    raise RenderCancelledError("de aanvrager is weg") from None

    def _leave(self, job: Job) -> None:
        with self._lock:
            job.waiters -= 1
            if job.waiters > 0:
                return
            self.cancelled += 1
            job.ticket.cancel()
            if self._jobs.get(job.key) is job:
                del self._jobs[job.key]  # a later request for the key starts afresh
        job.future.cancel()

    def run(self, key: Hashable, render: Callable[[Ticket], Any], client_gone: Callable[[], bool] | None = None
            ) -> Any:
        """Start (or join) the render of ``key`` and wait for its result."""
        return self.wait(self.start(key, render), client_gone)


def client_gone_probe(environ: Mapping[str, Any]) -> Callable[[], bool] | None:
    """Return a test of whether the HTTP client of this request closed its connection, when the server allows one.

    gunicorn and werkzeug put the connection's socket in the WSGI environ; a peek that reads end-of-file
    means the client closed it. Without a plain socket (TLS, another server) there is no probe.
    """
    sock = environ.get("gunicorn.socket") or environ.get("werkzeug.socket")
    if not isinstance(sock, socket.socket) or type(sock) is not socket.socket:
        return None

    def gone() -> bool:
        try:
            return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except (BlockingIOError, InterruptedError):
            return False  # nothing to read: the client is still there, waiting
        except OSError:
            return True  # reset or closed

    return gone
