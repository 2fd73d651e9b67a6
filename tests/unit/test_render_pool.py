"""The bounded PDF pool: at most N renders and a short queue, refusals, shared renders, cancellation.

Every step is sequenced with events, never with sleeps or timings.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable

import pytest

from dashboard.render_pool import PoolBusyError, RenderCancelledError, RenderPool, Ticket, client_gone_probe


def blocking(release: threading.Event, started: threading.Event | None = None, value: str = "pdf"
             ) -> Callable[[Ticket], str]:
    def render(ticket: Ticket) -> str:
        if started is not None:
            started.set()
        release.wait()
        ticket.check()
        return value

    return render


def test_beyond_the_slots_and_the_queue_a_render_is_refused_until_one_ends() -> None:
    pool = RenderPool(workers=1, queue=1)
    release = threading.Event()
    running = pool.start("a", blocking(release, value="A"))
    queued = pool.start("b", blocking(release, value="B"))
    with pytest.raises(PoolBusyError, match="volzet"):
        pool.start("c", blocking(release))
    assert (pool.active, pool.refused) == (2, 1)
    release.set()
    assert (pool.wait(running), pool.wait(queued)) == ("A", "B")
    assert pool.run("c", lambda ticket: "C") == "C"


def test_requests_for_the_same_key_share_one_render() -> None:
    pool = RenderPool(workers=1, queue=0)
    release = threading.Event()
    first = pool.start("fiche", blocking(release))
    second = pool.start("fiche", blocking(release, value="other"))
    assert second is first and first.waiters == 2 and pool.started == 1
    release.set()
    assert pool.wait(first) == pool.wait(second) == "pdf"


def test_a_queued_render_whose_client_left_never_runs_and_frees_its_place() -> None:
    pool = RenderPool(workers=1, queue=1, poll_seconds=0.001)
    release, ran = threading.Event(), []
    running = pool.start("a", blocking(release))
    queued = pool.start("b", lambda ticket: ran.append("b"))
    with pytest.raises(RenderCancelledError):
        pool.wait(queued, client_gone=lambda: True)
    assert pool.cancelled == 1
    again = pool.start("c", lambda ticket: "C")  # the place of the cancelled render is free again
    release.set()
    assert pool.wait(running) == "pdf" and pool.wait(again) == "C"
    assert ran == []


def test_a_running_render_stops_at_its_next_checkpoint_once_its_client_left() -> None:
    pool = RenderPool(workers=1, queue=0, poll_seconds=0.001)
    started, release = threading.Event(), threading.Event()
    job = pool.start("a", blocking(release, started))
    started.wait()
    with pytest.raises(RenderCancelledError):
        pool.wait(job, client_gone=lambda: True)
    release.set()
    assert isinstance(job.future.exception(), RenderCancelledError)


def test_a_render_another_client_still_waits_for_goes_on() -> None:
    pool = RenderPool(workers=1, queue=0, poll_seconds=0.001)
    release = threading.Event()
    job = pool.start("a", blocking(release))
    pool.start("a", blocking(release))  # a second request joins
    with pytest.raises(RenderCancelledError):
        pool.wait(job, client_gone=lambda: True)
    assert not job.ticket.cancelled
    release.set()
    assert pool.wait(job) == "pdf"


def test_the_probe_sees_a_closed_connection() -> None:
    server, client = socket.socketpair()
    try:
        gone = client_gone_probe({"gunicorn.socket": server})
        assert gone is not None and gone() is False
        client.close()
        assert gone() is True
    finally:
        server.close()
    assert client_gone_probe({}) is None


def test_the_machine_wide_slot_lets_one_render_run_and_the_waiting_one_be_cancelled(tmp_path) -> None:
    slot = tmp_path / "pdf.lock"
    one, other = (RenderPool(workers=1, queue=0, poll_seconds=0.001, slot=slot) for _ in range(2))
    started, release, ran = threading.Event(), threading.Event(), []
    first = one.start("a", blocking(release, started))
    started.wait()  # the first render holds the slot
    waiting = other.start("b", lambda ticket: ran.append("b"))
    with pytest.raises(RenderCancelledError):
        other.wait(waiting, client_gone=lambda: True)
    release.set()
    assert one.wait(first) == "pdf"
    assert isinstance(waiting.future.exception(), RenderCancelledError) and ran == []
    assert other.run("c", lambda ticket: "C") == "C"  # the slot is free again
