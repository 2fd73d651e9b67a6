"""Expert assignments in a real store: what an assigned expert reaches, and what it does not."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from dashboard.accounts.access import may_note, readable, scope
from dashboard.accounts.assignments import assign_expert, list_assignments, unassign_expert
from dashboard.accounts.users import AccountError, add_user, load_account
from dashboard.intake.models import User
from dashboard.intake.store import NotFoundError, Store, open_store
from tests.accounts import PASSWORD


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = open_store(f"sqlite:///{tmp_path / 'intake.sqlite3'}")
    yield store
    store.engine.dispose()


def _session_id(store: Store, email: str) -> str:
    """Return the session id a login of ``email`` gets (as the cookie carries it)."""
    with store.sessions() as session:
        user = session.scalars(select(User).where(User.email == email)).one()
        return f"{user.id}:{user.session_token}"


def test_an_assigned_expert_reads_its_applications_and_their_municipalities_only(store: Store) -> None:
    add_user(store, "expert@profploeg.be", PASSWORD, "expert", name="Eva Expert")
    mechelen = store.create_draft("12025", "Mechelen", {"contact_name": "Contact Mechelen"})
    mechelen_2 = store.create_draft("12025", "Mechelen", {"contact_name": "Tweede"})
    gent = store.create_draft("44021", "Gent", {"contact_name": "Contact Gent"})
    before = load_account(store, _session_id(store, "expert@profploeg.be"))
    assert before is not None and not before.reaches("12025") and not before.reads(mechelen.id, "12025")
    with store.sessions.begin() as session:
        assert assign_expert(session, "Expert@Profploeg.be", mechelen.id) is True
        assert assign_expert(session, "expert@profploeg.be", mechelen.id) is False  # already: nothing doubles
    account = load_account(store, _session_id(store, "expert@profploeg.be"))
    assert account is not None and account.assigned == {mechelen.id: "12025"}
    assert account.reaches("12025") and not account.reaches("44021")  # outlet data of Mechelen only
    assert readable(account, mechelen) is mechelen and may_note(account, mechelen.id, "12025")
    for other in (mechelen_2, gent):  # another application, also of the same municipality: out of reach
        with pytest.raises(NotFoundError):
            readable(account, other)
        assert not may_note(account, other.id, other.nis_code)
    assert scope(account) == ""  # the overview then keeps only what it reads
    with store.sessions() as session:
        assert [(a.email, a.application_id, a.nis) for a in list_assignments(session)] == [
            ("expert@profploeg.be", mechelen.id, "12025")]
    with store.sessions.begin() as session:
        assert unassign_expert(session, "expert@profploeg.be", mechelen.id) is True
        assert unassign_expert(session, "expert@profploeg.be", mechelen.id) is False
    after = load_account(store, _session_id(store, "expert@profploeg.be"))
    assert after is not None and not after.reaches("12025")


def test_only_an_expert_is_assigned_and_only_to_an_existing_application(store: Store) -> None:
    add_user(store, "gent@x.be", PASSWORD, "gemeente", nis="44021")
    add_user(store, "expert@profploeg.be", PASSWORD, "expert")
    app = store.create_draft("44021", "Gent", {})
    with store.sessions.begin() as session, pytest.raises(AccountError, match="alleen een expert"):
        assign_expert(session, "gent@x.be", app.id)
    with store.sessions.begin() as session, pytest.raises(NotFoundError, match="geen aanvraag met nummer 99"):
        assign_expert(session, "expert@profploeg.be", 99)
    with store.sessions.begin() as session, pytest.raises(AccountError, match="geen account"):
        assign_expert(session, "niemand@x.be", app.id)
    with store.sessions() as session:
        assert list_assignments(session) == []
