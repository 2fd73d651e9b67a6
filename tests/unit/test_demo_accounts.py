"""Demo accounts: one per role on the synthetic demo, once, and never on a build of real data."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.accounts.assignments import list_assignments
from dashboard.accounts.demo import NotSyntheticError, ensure_demo_accounts
from dashboard.accounts.users import authenticate, list_users
from dashboard.intake.models import ROLES
from dashboard.intake.store import Store, open_store

SYNTHETIC = {"build_id": "b1", "is_synthetic": "true"}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = open_store(f"sqlite:///{tmp_path / 'intake.sqlite3'}")
    yield store
    store.engine.dispose()


def test_one_account_per_role_that_logs_in_with_the_printed_password(store: Store) -> None:
    made = ensure_demo_accounts(store, SYNTHETIC)
    assert sorted(a.role for a in made) == sorted(ROLES)
    for account in made:
        assert account.password is not None and len(account.password) >= 12
        assert authenticate(store, account.email, account.password).role == account.role
    users = {u.role: u for u in list_users(store)}
    assert users["gemeente"].nis_code == "12025" and users["provincie"].province_code == "70000"
    with store.sessions() as session:
        [assignment] = list_assignments(session, email=next(a.email for a in made if a.role == "expert"))
    assert assignment.nis == "12025"  # the expert reads Mechelen's demo application


def test_a_restart_makes_nothing_new_and_prints_no_new_password(store: Store) -> None:
    first = {a.email: a.password for a in ensure_demo_accounts(store, SYNTHETIC)}
    again = ensure_demo_accounts(store, SYNTHETIC)
    assert {a.email for a in again} == set(first) and all(a.password is None for a in again)
    assert len(list_users(store)) == len(first) and len(store.list_applications()) == 1
    for email, password in first.items():  # the passwords printed the first time still work
        authenticate(store, email, password)


def test_a_build_of_real_data_never_gets_demo_accounts(store: Store) -> None:
    for info in ({"build_id": "b2", "is_synthetic": "false"}, {"build_id": "b3"}):
        with pytest.raises(NotSyntheticError):
            ensure_demo_accounts(store, info)
    assert list_users(store) == [] and store.list_applications() == []


def _served(db: Path, intake: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    """Return what two starts of the serve command print about demo accounts on ``db``."""
    from dashboard.cli import _demo_accounts
    from tests.accounts import fresh_app

    app = fresh_app(db, intake)
    capsys.readouterr()  # the app's own request log of its first request
    _demo_accounts(app)
    first = capsys.readouterr().err
    _demo_accounts(app)
    return first, capsys.readouterr().err


def test_serving_a_build_of_real_data_prints_no_demo_accounts(fixture_db: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert _served(fixture_db, tmp_path / "intake.sqlite3", capsys) == ("", "")
    assert list_users(open_store(f"sqlite:///{tmp_path / 'intake.sqlite3'}")) == []


def test_serving_the_demo_prints_the_accounts_once_with_their_passwords(demo_db: Path, tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    first, second = _served(demo_db, tmp_path / "intake.sqlite3", capsys)
    assert "gemeente-mechelen@demo.invalid" in first and "bestond al" not in first
    assert first.count("@demo.invalid") == len(ROLES)
    assert second.count("bestond al") == len(ROLES)
