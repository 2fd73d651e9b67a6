"""The programme's API on the intake store: every call one transaction, as in :mod:`dashboard.intake.store`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session as OrmSession

from dashboard import audit
from dashboard.accounts.assignments import assign_expert, unassign_expert
from dashboard.errors import RejectedError
from dashboard.formatting import fmt_number
from dashboard.intake.models import Application, User, utcnow
from dashboard.intake.store import Store
from dashboard.programme.models import (
    ACTION_STATUSES,
    DECISIONS,
    EXPERT_KINDS,
    REPORT_KINDS,
    Action,
    Call,
    Candidacy,
    CoachingSession,
    Criterion,
    Evaluation,
    Expert,
    Report,
    Score,
    TeamMember,
)
from dashboard.programme.rules import Committed, below_committed, call_problems, expert_problems
from dashboard.programme.scoring import DEFAULT_CRITERIA, MAX_SCORE, CriterionRule

#: The most text a note, action or report may hold.
MAX_NOTE = 10_000


class ProgrammeError(RejectedError):
    """A programme step that is not allowed (Dutch message, a 400 when a request asked for it)."""

    def __init__(self, message: str) -> None:
        super().__init__(400, message)


def no_call(call_id: int) -> RejectedError:
    """Return the refusal of a call number nobody has."""
    return RejectedError(404, f"Er is geen oproep met nummer {call_id}.")


@dataclass(frozen=True)
class Placement:
    """The call an application submitted on a day belongs to, and the call it missed (``late``) if any."""

    call: Call | None
    late: Call | None


def place(calls: Sequence[Call], on: date) -> Placement:
    """Return the call of an application submitted on ``on``: the first call whose deadline is not past (pure).

    ``late`` is the call whose deadline passed last, when its coaching has not started yet: the applicant
    probably aimed at it, and the form says so before submitting.
    """
    ordered = sorted(calls, key=lambda c: (c.deadline, c.id))
    target = next((c for c in ordered if c.deadline >= on), None)
    passed = [c for c in ordered if c.deadline < on]
    late = passed[-1] if passed and on < passed[-1].coaching_start else None
    return Placement(target, late)


#: The words of an edit's audit detail -> the call's attribute (which fields changed; never their values).
FIELDS = {"naam": "name", "opening": "opens_on", "deadline": "deadline", "coaching": "coaching_start",
          "capaciteit": "capacity", "budget": "budget_eur", "dagen": "budget_days"}


def _committed(s: OrmSession, call_id: int) -> Committed:
    chosen = select(Candidacy.application_id).where(Candidacy.call_id == call_id, Candidacy.decision == DECISIONS[0])
    selected = int(s.scalar(select(func.count()).select_from(chosen.subquery())) or 0)
    days, cost = s.execute(select(func.coalesce(func.sum(TeamMember.planned_days), 0.0),
                                  func.coalesce(func.sum(TeamMember.planned_days * TeamMember.day_rate), 0.0))
                           .where(TeamMember.application_id.in_(chosen))).one()
    return Committed(selected, float(days), float(cost))


def _check_expert(name: str, kind: str, profiles: Sequence[str], day_rate: float, days_per_month: float) -> None:
    from dashboard.intake.models import EXPERTS

    problems = expert_problems(name, kind, profiles, day_rate, days_per_month, EXPERT_KINDS, EXPERTS)
    if problems:
        raise ProgrammeError(" ".join(problems))


def criterion_rule(c: Criterion) -> CriterionRule:
    """Return a stored criterion as a rule of :mod:`dashboard.programme.scoring` (anchors from the default)."""
    default = next((d for d in DEFAULT_CRITERIA if d.key == c.key), None)
    return CriterionRule(c.key, c.label, c.grp, c.source, c.weight, c.rule,
                         default.figure if default else None, default.at_zero if default else 0.0,
                         default.at_five if default else 0.0)


def _assign_accounts(s: OrmSession, application_id: int, before: set[str]) -> None:
    """Assign the team's experts that have an expert account to the application, and take off those that left.

    An expert reaches its trajectories through the same assignments as any application
    (:mod:`dashboard.accounts.assignments`); a roster expert without an account is only planned.
    """
    now = {e.email for e in s.scalars(select(Expert).join(TeamMember, TeamMember.expert_id == Expert.id)
                                      .where(TeamMember.application_id == application_id)) if e.email}
    accounts = set(s.scalars(select(User.email).where(User.role == "expert", User.email.in_(now | before))))
    for email in sorted(now & accounts):
        assign_expert(s, email, application_id)
    for email in sorted((before - now) & accounts):
        unassign_expert(s, email, application_id)


class Programme:
    """The programme's reads and writes on an intake :class:`~dashboard.intake.store.Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.sessions = store.sessions

    # -- calls ------------------------------------------------------------------------------------------------
    def create_call(self, name: str, opens_on: date, deadline: date, coaching_start: date, capacity: int,
                    budget_eur: float, budget_days: float, *, synthetic: bool = False,
                    criteria: Iterable[CriterionRule] = DEFAULT_CRITERIA) -> Call:
        """Create a call with its own copy of the scoring grid (the values as :mod:`~.rules` allows them)."""
        problems = call_problems(name, opens_on, deadline, coaching_start, capacity, budget_eur, budget_days)
        if problems:
            raise ProgrammeError(" ".join(problems))
        with self.sessions.begin() as s:
            call = Call(name=name.strip(), opens_on=opens_on, deadline=deadline, coaching_start=coaching_start,
                        capacity=int(capacity), budget_eur=budget_eur, budget_days=budget_days, synthetic=synthetic)
            s.add(call)
            s.flush()
            s.add_all(Criterion(call_id=call.id, key=c.key, label=c.label, grp=c.grp, source=c.source,
                                weight=c.weight, rule=c.rule) for c in criteria)
            audit.note("aanmaken", "oproep", call.id)
            return call

    def committed(self, call_id: int) -> Committed:
        """Return what call ``call_id`` holds: its selected trajectories and their teams' planned days and cost."""
        with self.sessions() as s:
            return _committed(s, call_id)

    def update_call(self, call_id: int, name: str, opens_on: date, deadline: date, coaching_start: date,
                    capacity: int, budget_eur: float, budget_days: float) -> Call:
        """Change a call's name, dates, capacity and budget; never below what it already holds (see :mod:`.rules`).

        The check and the write are one transaction: a selection saved meanwhile is counted.
        """
        problems = call_problems(name, opens_on, deadline, coaching_start, capacity, budget_eur, budget_days)
        if problems:
            raise ProgrammeError(" ".join(problems))
        with self.sessions.begin() as s:
            call = s.get(Call, call_id, with_for_update=True)
            if call is None:
                raise no_call(call_id)
            short = below_committed(int(capacity), budget_eur, budget_days, _committed(s, call_id))
            if short:
                raise ProgrammeError(" ".join(short))
            changed = [k for k, v in (("naam", name.strip()), ("opening", opens_on), ("deadline", deadline),
                                      ("coaching", coaching_start), ("capaciteit", int(capacity)),
                                      ("budget", budget_eur), ("dagen", budget_days))
                       if getattr(call, FIELDS[k]) != v]
            call.name, call.opens_on, call.deadline, call.coaching_start = name.strip(), opens_on, deadline, \
                coaching_start
            call.capacity, call.budget_eur, call.budget_days = int(capacity), budget_eur, budget_days
            audit.note("wijzigen", "oproep", call.id, None, ", ".join(changed) or "niets gewijzigd")
            return call

    def calls(self) -> list[Call]:
        """Return every call, oldest deadline first."""
        with self.sessions() as s:
            return list(s.scalars(select(Call).order_by(Call.deadline, Call.id)))

    def call(self, call_id: int) -> Call:
        """Return one call (404 when there is none)."""
        with self.sessions() as s:
            call = s.get(Call, call_id)
            if call is None:
                raise no_call(call_id)
            return call

    def criteria(self, call_id: int) -> list[CriterionRule]:
        """Return the call's scoring grid."""
        with self.sessions() as s:
            rows = s.scalars(select(Criterion).where(Criterion.call_id == call_id).order_by(Criterion.id))
            return [criterion_rule(c) for c in rows]

    def placement(self, on: date) -> Placement:
        """Return the call an application submitted on ``on`` goes to (see :func:`place`)."""
        return place(self.calls(), on)

    def enter(self, application_id: int, on: date, *, synthetic: bool = False) -> Candidacy:
        """Enter a submitted application in the call of ``on`` (once; a second call changes nothing).

        Raises
        ------
        ProgrammeError
            No call takes applications on ``on`` any more.

        """
        placement = self.placement(on)
        if placement.call is None:
            raise ProgrammeError("Er is geen oproep meer open voor deze datum; VLAIO kondigt de volgende aan.")
        with self.sessions.begin() as s:
            found = s.scalars(select(Candidacy).where(Candidacy.application_id == application_id)).first()
            if found is not None:
                return found
            entry = Candidacy(application_id=application_id, call_id=placement.call.id,
                              late_for_call_id=placement.late.id if placement.late else None, submitted_on=on,
                              synthetic=synthetic)
            s.add(entry)
            return entry

    def candidacy(self, application_id: int) -> Candidacy | None:
        """Return the candidacy of an application, or ``None`` when it was never submitted to a call."""
        with self.sessions() as s:
            return s.scalars(select(Candidacy).where(Candidacy.application_id == application_id)).first()

    def candidates(self, call_id: int) -> list[tuple[Application, Candidacy]]:
        """Return the applications entered in a call with their candidacy, by application number."""
        query = (select(Application, Candidacy).join(Candidacy, Candidacy.application_id == Application.id)
                 .where(Candidacy.call_id == call_id).order_by(Application.id))
        with self.sessions() as s:
            return [(a, c) for a, c in s.execute(query).all()]

    # -- review --------------------------------------------------------------------------------------------------
    def set_score(self, application_id: int, key: str, value: float | None, author: str) -> None:
        """Store (or clear, with ``None``) a reviewer's score of one criterion."""
        if value is not None and not 0 <= value <= MAX_SCORE:
            raise ProgrammeError(f"Een score ligt tussen 0 en 5, niet {value}.")
        with self.sessions.begin() as s:
            s.execute(delete(Score).where(Score.application_id == application_id, Score.key == key))
            if value is not None:
                s.add(Score(application_id=application_id, key=key, value=float(value), author=author))

    def scores(self, application_ids: Iterable[int]) -> dict[int, dict[str, float]]:
        """Return the reviewer scores of some applications: id -> criterion -> score."""
        ids = list(application_ids)
        out: dict[int, dict[str, float]] = {i: {} for i in ids}
        with self.sessions() as s:
            for row in s.scalars(select(Score).where(Score.application_id.in_(ids))):
                out[row.application_id][row.key] = row.value
        return out

    def decide(self, decisions: Iterable[tuple[int, str, str]], author: str) -> int:
        """Store decisions ``(application id, decision, reason)`` in one transaction; return how many changed.

        Raises
        ------
        ProgrammeError
            An unknown decision, a decision without a reason, or an application not entered in a call.

        """
        items = list(decisions)
        for _, decision, reason in items:
            if decision not in DECISIONS:
                raise ProgrammeError(f"Onbekende beslissing '{decision}'; kies uit {', '.join(DECISIONS)}.")
            if not reason.strip():
                raise ProgrammeError("Elke beslissing heeft een reden.")
        changed = 0
        with self.sessions.begin() as s:
            for app_id, decision, reason in items:
                entry = s.scalars(select(Candidacy).where(Candidacy.application_id == app_id)).first()
                if entry is None:
                    raise ProgrammeError(f"Aanvraag {app_id} is in geen oproep ingediend.")
                if (entry.decision, entry.reason) != (decision, reason.strip()):
                    entry.decision, entry.reason = decision, reason.strip()[:MAX_NOTE]
                    entry.decided_by, entry.decided_at = author, utcnow()
                    changed += 1
        return changed

    # -- experts and teams ------------------------------------------------------------------------------------
    def add_expert(self, name: str, kind: str, profiles: Sequence[str], day_rate: float, days_per_month: float,
                   email: str | None = None, *, synthetic: bool = False) -> Expert:
        """Add an expert to the roster (the values as :mod:`~.rules` allows them)."""
        _check_expert(name, kind, profiles, day_rate, days_per_month)
        with self.sessions.begin() as s:
            expert = Expert(name=name.strip(), kind=kind, profiles=list(profiles), day_rate=day_rate,
                            days_per_month=days_per_month, email=(email or "").strip().lower() or None,
                            synthetic=synthetic, active=True)
            s.add(expert)
            s.flush()
            audit.note("aanmaken", "expert", expert.id)  # never the name or address: the log keeps no person's data
            return expert

    def update_expert(self, expert_id: int, name: str, kind: str, profiles: Sequence[str], day_rate: float,
                      days_per_month: float, email: str | None = None) -> Expert:
        """Change an expert of the roster; the rate agreed in a team stays (a team member keeps its own rate)."""
        _check_expert(name, kind, profiles, day_rate, days_per_month)
        with self.sessions.begin() as s:
            expert = self._expert(s, expert_id)
            expert.name, expert.kind, expert.profiles = name.strip(), kind, list(profiles)
            expert.day_rate, expert.days_per_month = day_rate, days_per_month
            expert.email = (email or "").strip().lower() or None
            audit.note("wijzigen", "expert", expert.id)
            return expert

    def set_expert_active(self, expert_id: int, active: bool) -> Expert:
        """Activate or deactivate an expert: an inactive one keeps its teams but joins no new one."""
        with self.sessions.begin() as s:
            expert = self._expert(s, expert_id)
            if expert.active != active:
                expert.active = active
                audit.note("wijzigen", "expert", expert.id, None, "actief" if active else "inactief")
            return expert

    def planned_days(self) -> dict[int, float]:
        """Return the days planned per expert over every team (an expert without any is absent)."""
        with self.sessions() as s:
            return {int(e): float(d) for e, d in s.execute(select(TeamMember.expert_id, func.sum(
                TeamMember.planned_days)).group_by(TeamMember.expert_id)).all()}

    def remove_expert(self, expert_id: int) -> None:
        """Take an expert without planned days off the roster; one with planned days is refused (deactivate it)."""
        with self.sessions.begin() as s:
            expert = self._expert(s, expert_id)
            days = float(s.scalar(select(func.coalesce(func.sum(TeamMember.planned_days), 0.0))
                                  .where(TeamMember.expert_id == expert_id)) or 0.0)
            if days > 0:
                raise ProgrammeError(f"Deze expert heeft {fmt_number(days, 1)} geplande dagen in teams: zet hem op "
                                     "inactief in plaats van hem te verwijderen.")
            s.delete(expert)
            audit.note("verwijderen", "expert", expert_id)

    @staticmethod
    def _expert(s: OrmSession, expert_id: int) -> Expert:
        expert = s.get(Expert, expert_id)
        if expert is None:
            raise RejectedError(404, f"Er is geen expert met nummer {expert_id}.")
        return expert

    def experts(self, *, active_only: bool = False) -> list[Expert]:
        """Return the roster (only the active experts when ``active_only``), by name."""
        query = select(Expert).order_by(Expert.name, Expert.id)
        if active_only:
            query = query.where(Expert.active.is_(True))
        with self.sessions() as s:
            return list(s.scalars(query))

    def compose_team(self, application_id: int, members: Iterable[tuple[int, str, float]], author: str
                     ) -> list[TeamMember]:
        """Replace the team of a trajectory by ``members`` ``(expert id, profile, planned days)``.

        Only a selected application gets a team; the day rate is the expert's rate at this moment.
        """
        items = list(members)
        with self.sessions.begin() as s:
            entry = s.scalars(select(Candidacy).where(Candidacy.application_id == application_id)).first()
            if entry is None or entry.decision != DECISIONS[0]:
                raise ProgrammeError("Alleen een geselecteerde aanvraag krijgt een team.")
            members_before = list(s.scalars(select(Expert).join(TeamMember, TeamMember.expert_id == Expert.id)
                                            .where(TeamMember.application_id == application_id)))
            before = {e.email for e in members_before if e.email}
            kept = {e.id for e in members_before}
            s.execute(delete(TeamMember).where(TeamMember.application_id == application_id))
            out = []
            for expert_id, profile, days in items:
                expert = s.get(Expert, expert_id)
                if expert is None or profile not in expert.profiles:
                    raise ProgrammeError(f"Expert {expert_id} heeft het profiel '{profile}' niet.")
                if not expert.active and expert_id not in kept:
                    raise ProgrammeError(f"Expert {expert_id} is inactief en komt in geen nieuw team.")
                if not 0 < days <= 60:
                    raise ProgrammeError("Geplande dagen per expert liggen tussen 0 en 60.")
                member = TeamMember(application_id=application_id, expert_id=expert_id, profile=profile,
                                    planned_days=float(days), day_rate=expert.day_rate, author=author)
                s.add(member)
                out.append(member)
            s.flush()
            _assign_accounts(s, application_id, before)
            return out

    def team(self, application_ids: Iterable[int]) -> list[tuple[TeamMember, Expert]]:
        """Return the team members of some trajectories with their expert."""
        query = (select(TeamMember, Expert).join(Expert, Expert.id == TeamMember.expert_id)
                 .where(TeamMember.application_id.in_(list(application_ids))).order_by(TeamMember.id))
        with self.sessions() as s:
            return [(m, e) for m, e in s.execute(query).all()]

    # -- coaching log ------------------------------------------------------------------------------------------
    def add_session(self, application_id: int, held_on: date, experts: Sequence[str], departments: Sequence[str],
                    notes: str, author: str) -> CoachingSession:
        """Log a coaching session."""
        if not notes.strip():
            raise ProgrammeError("Een sessie heeft notities: wat werd besproken?")
        with self.sessions.begin() as s:
            row = CoachingSession(application_id=application_id, held_on=held_on, experts=list(experts),
                                  departments=list(departments), notes=notes.strip()[:MAX_NOTE], author=author)
            s.add(row)
            return row

    def add_action(self, application_id: int, text: str, owner: str, due_on: date, author: str,
                   status: str = ACTION_STATUSES[0]) -> Action:
        """Add an action with its owner and due date."""
        if not text.strip() or not owner.strip():
            raise ProgrammeError("Een actie heeft een omschrijving en een eigenaar.")
        if status not in ACTION_STATUSES:
            raise ProgrammeError(f"Onbekende status '{status}'; kies uit {', '.join(ACTION_STATUSES)}.")
        with self.sessions.begin() as s:
            row = Action(application_id=application_id, text=text.strip()[:MAX_NOTE], owner=owner.strip()[:200],
                         due_on=due_on, status=status, author=author)
            s.add(row)
            return row

    def set_action_status(self, action_id: int, application_id: int, status: str) -> None:
        """Move an action of a trajectory to ``status``."""
        if status not in ACTION_STATUSES:
            raise ProgrammeError(f"Onbekende status '{status}'; kies uit {', '.join(ACTION_STATUSES)}.")
        with self.sessions.begin() as s:
            row = s.get(Action, action_id)
            if row is None or row.application_id != application_id:
                raise ProgrammeError(f"Trajectaanvraag {application_id} heeft geen actie {action_id}.")
            row.status = status

    def add_report(self, application_id: int, reported_on: date, kind: str, text: str, author: str) -> Report:
        """Add a report to VLAIO (``einde`` or ``grote wijziging``)."""
        if kind not in REPORT_KINDS or not text.strip():
            raise ProgrammeError(f"Een rapport is van het soort {' of '.join(REPORT_KINDS)} en heeft een tekst.")
        with self.sessions.begin() as s:
            row = Report(application_id=application_id, reported_on=reported_on, kind=kind,
                         text=text.strip()[:MAX_NOTE], author=author)
            s.add(row)
            return row

    def log(self, application_id: int) -> tuple[list[CoachingSession], list[Action], list[Report]]:
        """Return a trajectory's sessions (newest first), actions (by due date) and reports (newest first)."""
        with self.sessions() as s:
            sessions = list(s.scalars(select(CoachingSession).where(CoachingSession.application_id == application_id)
                                      .order_by(CoachingSession.held_on.desc(), CoachingSession.id.desc())))
            actions = list(s.scalars(select(Action).where(Action.application_id == application_id)
                                     .order_by(Action.due_on, Action.id)))
            reports = list(s.scalars(select(Report).where(Report.application_id == application_id)
                                     .order_by(Report.reported_on.desc(), Report.id.desc())))
            return sessions, actions, reports

    # -- evaluation and Vitrine ----------------------------------------------------------------------------------
    def save_evaluation(self, application_id: int, values: dict[str, Any], author: str, *,
                        synthetic: bool = False) -> Evaluation:
        """Write (or rewrite) the evaluation of a trajectory; a rewrite withdraws an earlier approval."""
        needed = ("next_steps", "challenge_tag", "concepts", "title", "summary", "worked", "worked_less", "figures")
        missing = [k for k in needed if k not in values]
        if missing:
            raise ProgrammeError(f"De evaluatie mist: {', '.join(missing)}.")
        with self.sessions.begin() as s:
            row = s.scalars(select(Evaluation).where(Evaluation.application_id == application_id)).first()
            if row is None:
                row = Evaluation(application_id=application_id, synthetic=synthetic)
                s.add(row)
            for k in needed:
                setattr(row, k, values[k])
            row.author, row.written_at = author, utcnow()
            row.approved_by, row.approved_at = None, None
            return row

    def evaluation(self, application_id: int) -> Evaluation | None:
        """Return a trajectory's evaluation, or ``None``."""
        with self.sessions() as s:
            return s.scalars(select(Evaluation).where(Evaluation.application_id == application_id)).first()

    def approve(self, application_id: int, author: str) -> Evaluation:
        """Record the municipality's approval of the Vitrine summary: it is published."""
        with self.sessions.begin() as s:
            row = s.scalars(select(Evaluation).where(Evaluation.application_id == application_id)).first()
            if row is None:
                raise ProgrammeError("Er is nog geen evaluatie om goed te keuren.")
            row.approved_by, row.approved_at = author, utcnow()
            return row

    def published(self) -> list[tuple[Evaluation, Application]]:
        """Return the approved evaluations with their application, newest approval first (the Vitrine)."""
        query = (select(Evaluation, Application).join(Application, Application.id == Evaluation.application_id)
                 .where(Evaluation.approved_at.is_not(None))
                 .order_by(Evaluation.approved_at.desc(), Evaluation.id.desc()))
        with self.sessions() as s:
            return [(e, a) for e, a in s.execute(query).all()]

    # -- demo ------------------------------------------------------------------------------------------------------
    def real_applications(self) -> int:
        """Return how many applications are no part of a synthetic programme (the demo refuses a store with any)."""
        synthetic = select(Candidacy.application_id).where(Candidacy.synthetic.is_(True))
        with self.sessions() as s:
            return int(s.scalar(select(func.count()).select_from(Application)
                                .where(Application.id.not_in(synthetic))) or 0)

    def has_synthetic(self) -> bool:
        """Tell whether a synthetic programme is already in the store."""
        with self.sessions() as s:
            return s.scalar(select(func.count()).select_from(Call).where(Call.synthetic.is_(True))) > 0


def current_programme() -> Programme:
    """Return the programme on the intake store of the app serving the current request."""
    from dashboard.intake.store import current_store

    return Programme(current_store())


def placement_text(placement: Placement) -> str:
    """Return what the form says before submitting today: which call the application goes to, and why."""
    from dashboard.formatting import fmt_date

    if placement.call is None:
        return ("Er is op dit moment geen oproep open: VLAIO bewaart uw ingediende aanvraag en neemt ze mee in de "
                "volgende oproep zodra die wordt aangekondigd.")
    target = (f"Indienen vandaag: uw aanvraag telt mee in '{placement.call.name}' (deadline "
              f"{fmt_date(placement.call.deadline, long=True)}, coaching vanaf "
              f"{fmt_date(placement.call.coaching_start, long=True)}).")
    if placement.late is None:
        return target
    return (f"De deadline van '{placement.late.name}' ({fmt_date(placement.late.deadline, long=True)}) is voorbij. "
            + target)


def enter_submitted(store: Store, application_id: int, on: date) -> str:
    """Enter a just-submitted application in its call; return the sentence the form adds to its message."""
    p = Programme(store)
    placement = p.placement(on)
    if placement.call is None:
        return " " + placement_text(placement)
    entry = p.enter(application_id, on)
    call = p.call(entry.call_id)
    return f" Ze telt mee in '{call.name}'."
