"""What ``/trajecten/<aanvraag>`` takes: the trajectory's number, and every field of its forms.

Who reaches a trajectory: whoever reads its application (VLAIO all, a municipality its own, a province those of
its municipalities, an expert those it is assigned to: composing a team assigns the members that have an expert
account). One out of reach reads as one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import params
from dashboard.accounts.access import Access
from dashboard.accounts.users import Account
from dashboard.controls import CLICKS, Choice, Control, Count, Forgery, IsoDate, Kind, Subset, Text
from dashboard.errors import RejectedError
from dashboard.intake.models import EXPERTS, Application
from dashboard.programme.models import ACTION_STATUSES, REPORT_KINDS
from dashboard.programme.vitrine import CHALLENGES, CONCEPTS, OTHER
from dashboard.vocab import Known

P = "traj-"
#: Team slots on the form (a team rarely has more than five experts).
SLOTS = 5
MAX_LONG = 10_000
LOG_ROLES = frozenset({"expert", "gemeente", "vlaio"})
ACCESS = Access(read=frozenset({"expert", "gemeente", "provincie", "vlaio"}), write={
    "save_team": frozenset({"vlaio"}),
    "add_session": LOG_ROLES, "add_action": LOG_ROLES, "move_action": LOG_ROLES, "add_report": LOG_ROLES,
    "save_evaluation": frozenset({"expert", "vlaio"}),
    "approve": frozenset({"gemeente"}),
})


@dataclass(frozen=True)
class IdList(Kind):
    """A list of at most ``limit`` distinct whole numbers (ids picked in a checklist)."""

    limit: int
    reason = "Ongeldige lijst."

    def accepts(self, known: Known, value: object) -> bool:  # noqa: D102  (see Kind)
        return (isinstance(value, list) and len(value) <= self.limit and len(set(map(str, value))) == len(value)
                and all(isinstance(v, int) and not isinstance(v, bool) and 0 < v < 2**31 for v in value))

    def forgeries(self, known: Known) -> list[Forgery]:  # noqa: D102  (see Kind)
        return [("type", 3), ("type", ["3"]), ("range", [-1]), ("range", [2, 2]),
                ("size", list(range(1, self.limit + 2)))]


EXPERT_IDS = IdList(20)
CONTROLS: tuple[Control, ...] = (
    Control(P + "id", "data", Count(2**31)),
    *[c for i in range(SLOTS) for c in (
        Control(f"{P}slot-profile-{i}", "value", Choice(EXPERTS)),
        Control(f"{P}slot-expert-{i}", "value", Count(2**31)),
        Control(f"{P}slot-days-{i}", "value", Count(61)),
    )],
    Control(P + "team-save", "n_clicks", CLICKS),
    Control(P + "s-date", "value", IsoDate()),
    Control(P + "s-experts", "value", EXPERT_IDS),
    Control(P + "s-departments", "value", Text(500)),
    Control(P + "s-notes", "value", Text(MAX_LONG)),
    Control(P + "s-save", "n_clicks", CLICKS),
    Control(P + "a-text", "value", Text(2000)),
    Control(P + "a-owner", "value", Text(200)),
    Control(P + "a-due", "value", IsoDate()),
    Control(P + "a-save", "n_clicks", CLICKS),
    Control(P + "a-pick", "value", Count(2**31)),
    Control(P + "a-status", "value", Choice(ACTION_STATUSES)),
    Control(P + "a-move", "n_clicks", CLICKS),
    Control(P + "r-date", "value", IsoDate()),
    Control(P + "r-kind", "value", Choice(REPORT_KINDS)),
    Control(P + "r-text", "value", Text(MAX_LONG)),
    Control(P + "r-save", "n_clicks", CLICKS),
    Control(P + "e-title", "value", Text(200)),
    Control(P + "e-challenge", "value", Choice((*CHALLENGES, OTHER))),
    Control(P + "e-concepts", "value", Subset(CONCEPTS, len(CONCEPTS), "Onbekend concept.")),
    Control(P + "e-summary", "value", Text(MAX_LONG)),
    Control(P + "e-worked", "value", Text(MAX_LONG)),
    Control(P + "e-worked-less", "value", Text(MAX_LONG)),
    Control(P + "e-next", "value", Text(MAX_LONG)),
    Control(P + "e-save", "n_clicks", CLICKS),
    Control(P + "approve", "n_clicks", CLICKS),
)


@dataclass(frozen=True)
class TrajectoryParams:
    """The page's address: the application (the trajectory) number."""

    application: int

    @classmethod
    def from_url(cls, _known: Known, aanvraag: str | None) -> TrajectoryParams:
        """Parse the address; a malformed number raises :class:`~dashboard.errors.RejectedError` (400)."""
        value = params.application_id(aanvraag)
        if value is None:
            raise RejectedError(400, "Het adres noemt geen trajectnummer.")
        return cls(value)


def reaches(account: Account | None, app: Application) -> bool:
    """Tell whether ``account`` may see the trajectory of ``app`` (see the module's rule)."""
    return account is not None and account.reads(app.id, app.nis_code)
