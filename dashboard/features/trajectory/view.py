"""A trajectory as its page and its evaluation document show it (no Dash)."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.data import queries
from dashboard.data.db import Database
from dashboard.intake.baseline import Evaluation as Comparison
from dashboard.intake.baseline import evaluate
from dashboard.intake.models import Application
from dashboard.intake.store import Store
from dashboard.programme import budget
from dashboard.programme.documents import EvaluationDocument
from dashboard.programme.models import Action, Call, Candidacy, CoachingSession, Evaluation, Expert, Report, TeamMember
from dashboard.programme.store import Programme


@dataclass(frozen=True)
class Trajectory:
    """Everything the page shows about one trajectory."""

    app: Application
    municipality: str
    candidacy: Candidacy | None
    call: Call | None
    team: list[tuple[TeamMember, Expert]]
    roster: list[Expert]
    totals: budget.Totals | None
    overbooked: dict[int, tuple[float, float]]
    sessions: list[CoachingSession]
    actions: list[Action]
    reports: list[Report]
    evaluation: Evaluation | None
    comparison: Comparison | None

    @property
    def cost(self) -> float:
        """Return the planned cost of the team."""
        return sum(m.planned_days * m.day_rate for m, _ in self.team)


def comparison(db: Database, store: Store, app_id: int) -> Comparison | None:
    """Return the last baseline against the latest inventory, or ``None`` without a baseline."""
    snapshots = store.baselines(app_id)
    if not snapshots or not snapshots[-1].values:
        return None
    return evaluate(db, snapshots[-1].values)


def load(db: Database, p: Programme, app: Application) -> Trajectory:
    """Gather the trajectory of ``app``: call, team, budget flags of its call, log, evaluation and comparison."""
    entry = p.candidacy(app.id)
    call = p.call(entry.call_id) if entry is not None else None
    roster = p.experts()
    totals, over = None, {}
    if call is not None:
        chosen = [a.id for a, c in p.candidates(call.id) if c.decision == "geselecteerd"]
        lines = [budget.Line(m.application_id, m.expert_id, m.planned_days, m.day_rate) for m, _ in p.team(chosen)]
        totals = budget.totals(lines, call.budget_eur, call.budget_days)
        over = budget.overbooked(lines, {e.id: e.days_per_month for e in roster})
    sessions, actions, reports = p.log(app.id)
    munis = queries.municipalities(db).set_index("nis_code")
    name = str(munis.loc[app.nis_code, "name"]) if app.nis_code in munis.index else app.nis_code
    return Trajectory(app, name, entry, call, p.team([app.id]), roster, totals, over, sessions, actions, reports,
                      p.evaluation(app.id), comparison(db, p.store, app.id))


def document(t: Trajectory) -> EvaluationDocument:
    """Return the evaluation document of a trajectory (its evaluation must exist)."""
    e = t.evaluation
    fields = ("next_steps", "challenge_tag", "concepts", "title", "summary", "worked", "worked_less", "figures")
    return EvaluationDocument(
        municipality=t.municipality, application_id=t.app.id, call=t.call.name if t.call else "–",
        team=[(x.name, m.profile, m.planned_days) for m, x in t.team], sessions=len(t.sessions),
        comparison=t.comparison, actions=[(a.text, a.owner, a.due_on, a.status) for a in t.actions],
        evaluation={k: getattr(e, k) for k in fields} if e is not None else {},
        approved=e.approved_by if e is not None else None,
        synthetic=bool(t.call.synthetic) if t.call else False,
    )
