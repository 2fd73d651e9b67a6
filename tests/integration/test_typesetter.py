"""typst's own process beside the worker: a cancelled compile ends that process, a fresh one serves the next."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.fiche import pdf
from dashboard.fiche.typesetter import TypesetError, Typesetter
from dashboard.render_pool import RenderCancelledError, Ticket

DAY = dt.date(2026, 12, 1)
ROOT = Path(pdf.__file__).parent
BLANK_MODEL = json.dumps({})


@pytest.fixture()
def typesetter() -> Iterator[Typesetter]:
    ours = Typesetter(ROOT, pdf.TEMPLATE)
    yield ours
    ours.close()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"


def test_a_cancelled_compile_ends_the_process_and_the_next_document_gets_a_new_one(typesetter: Typesetter) -> None:
    typesetter.warm_up()
    first = typesetter.pid
    assert first is not None
    ticket = Ticket()
    calls = []

    def check() -> None:  # there before the document is sent; gone once its compile has begun
        calls.append(1)
        if len(calls) > 1:
            ticket.cancel()
        ticket.check()

    with pytest.raises(RenderCancelledError):
        typesetter.typeset("blank.typ", "fiche", BLANK_MODEL, DAY, check=check)
    assert typesetter.killed == 1
    assert not alive(first)
    out = typesetter.typeset("blank.typ", "fiche", BLANK_MODEL, DAY)
    assert out.startswith(b"%PDF")
    assert typesetter.pid not in (None, first)


def test_a_render_cancelled_before_its_turn_never_reaches_the_process(typesetter: Typesetter) -> None:
    typesetter.warm_up()
    pid = typesetter.pid
    ticket = Ticket()
    ticket.cancel()
    with pytest.raises(RenderCancelledError):
        typesetter.typeset("blank.typ", "fiche", BLANK_MODEL, DAY, check=ticket.check)
    assert (typesetter.killed, typesetter.pid) == (0, pid)


def test_a_template_error_is_reported_and_the_process_stays(typesetter: Typesetter, tmp_path: Path) -> None:
    typesetter.warm_up()
    pid = typesetter.pid
    with pytest.raises(TypesetError, match=r"typst weigerde bestaat-niet\.typ"):
        typesetter.typeset("bestaat-niet.typ", "fiche", BLANK_MODEL, DAY)
    assert typesetter.pid == pid
    assert typesetter.typeset("blank.typ", "fiche", BLANK_MODEL, DAY).startswith(b"%PDF")


def test_a_process_killed_from_outside_is_an_error_then_replaced(typesetter: Typesetter) -> None:
    typesetter.warm_up()
    pid = typesetter.pid
    assert pid is not None
    os.kill(pid, 9)
    with pytest.raises(TypesetError):
        typesetter.typeset("blank.typ", "fiche", BLANK_MODEL, DAY)
    assert typesetter.typeset("blank.typ", "fiche", BLANK_MODEL, DAY).startswith(b"%PDF")


def test_the_same_model_gives_the_same_bytes_in_a_new_process(typesetter: Typesetter) -> None:
    once = typesetter.typeset("blank.typ", "fiche", BLANK_MODEL, DAY)
    typesetter.close()
    assert typesetter.typeset("blank.typ", "fiche", BLANK_MODEL, DAY) == once
