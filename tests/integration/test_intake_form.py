"""What the form's save button, its autosave and its submit button do to a real store (SQLite and PostgreSQL)."""

from __future__ import annotations

from dashboard.intake.expertise import Suggestion
from dashboard.intake.form import TEXT_FIELDS, collect, merge_experts, save_form, stored_values, unsaved_texts
from dashboard.intake.store import Store

KNOWN = {"44021", "11002"}
COMPLETE = {"contact_name": "An Peeters", "department": "Economie", "email": "an@gent.be", "phone": "09 266 51 11",
            "challenge": "Leegstand.", "expectations": "Een actieplan.", "retail_policy": "Kern afgebakend.",
            "means_capacity": "Een centrummanager.", "departments_involvement": "Economie en mobiliteit."}


def form(texts: dict[str, str], zone: list[str] | None = None, notes: dict[int, str] | None = None,
         experts: tuple[list[str] | None, list[str]] = (None, [])) -> dict:
    """The values the page collects from its inputs ('' for an empty box, as the browser sends it)."""
    return collect([texts.get(f.name, "") for f in TEXT_FIELDS], zone or [], "",
                   [(notes or {}).get(i, "") for i in range(5)], *experts)


def test_autosave_writes_nothing_until_something_was_typed_and_nothing_twice(store: Store) -> None:
    blank = form({})
    assert save_form(store, "44021", None, None, blank, None, "An", "auto") is None
    assert store.list_applications() == []
    first = save_form(store, "44021", None, None, form({"challenge": "Leegstand"}), None, "An", "auto")
    assert first is not None and first.message.startswith("Automatisch bewaard") and first.app.version == 1
    again = save_form(store, "44021", first.app.id, 1, form({"challenge": "Leegstand"}), first.saved, "An", "auto")
    assert again is None and len(store.revisions(first.app.id)) == 1


def test_without_a_name_nothing_is_saved_and_the_form_says_why(store: Store) -> None:
    out = save_form(store, "44021", None, None, form({"challenge": "Leegstand"}), None, "  ", "bewaren")
    assert out.kind == "warning" and "uw naam" in out.message and "author" in out.errors
    assert store.list_applications() == []


def test_a_draft_keeps_a_wrong_email_and_says_what_to_fix(store: Store) -> None:
    out = save_form(store, "44021", None, None, form({"email": "an@gent"}), None, "An", "bewaren")
    assert out.kind == "warning" and "geen geldig e-mailadres" in out.errors["email"]
    assert store.get(out.app.id).email == "an@gent"  # what was typed is kept
    fixed = save_form(store, "44021", out.app.id, 1, form({"email": "an@gent.be"}), out.saved, "An", "bewaren")
    assert fixed.kind == "success" and fixed.errors == {} and fixed.app.version == 2
    # The revision holds only what changed, with its old value.
    assert store.revisions(out.app.id)[-1].changes == {"email": {"old": "an@gent", "new": "an@gent.be"}}


def test_two_people_editing_at_once_get_a_conflict_not_an_overwrite(store: Store) -> None:
    out = save_form(store, "44021", None, None, form({"challenge": "Leegstand"}), None, "An", "bewaren")
    loaded = stored_values(store.get(out.app.id))  # both forms open at version 1
    bart = save_form(store, "44021", out.app.id, 1, form({"challenge": "Leegstand", "department": "Economie"}),
                     loaded, "Bart", "bewaren")
    assert bart.kind == "success"
    an = save_form(store, "44021", out.app.id, 1, form({"challenge": "Leegstand en parkeren"}), loaded, "An",
                   "bewaren")
    assert an.kind == "danger" and "gewijzigd door Bart" in an.message and "dienst" in an.message
    assert an.saved is None
    # What An typed is handed back, to copy into the reloaded form.
    assert unsaved_texts(an.unsaved) == [("Uitdaging", "Leegstand en parkeren")]
    app = store.get(out.app.id)
    assert (app.challenge, app.department, app.version) == ("Leegstand", "Economie", 2)


def test_a_save_whose_answer_was_lost_is_not_a_conflict_with_itself(store: Store) -> None:
    out = save_form(store, "44021", None, None, form({"challenge": "Leegstand"}), None, "An", "bewaren")
    values = form({"challenge": "Leegstand en parkeren"})
    assert save_form(store, "44021", out.app.id, 1, values, out.saved, "An", "bewaren").app.version == 2
    # The browser never saw version 2 and sends the same values again with version 1.
    again = save_form(store, "44021", out.app.id, 1, values, out.saved, "An", "auto")
    assert again.kind == "success" and again.app.version == 2


def test_submit_names_what_is_missing_then_moves_to_review(store: Store) -> None:
    out = save_form(store, "44021", None, None, form({"challenge": "Leegstand"}), None, "An", "indienen", KNOWN)
    assert out.kind == "danger" and "nog niet ingediend" in out.message
    assert set(out.errors) >= {"department", "zone_area_ids"} and store.get(out.app.id).status == "aanvraag"
    done = save_form(store, "44021", out.app.id, out.app.version, form(COMPLETE, zone=["WG4402101"]), out.saved,
                     "An", "indienen", KNOWN)
    assert done.kind == "success" and store.get(out.app.id).status == "beoordeling"


def test_notes_and_experts_are_stored_with_the_answers(store: Store) -> None:
    values = form({"challenge": "Parkeren"}, notes={4: "Beleidsplan opvragen."},
                  experts=(["Mobiliteit"], ["Mobiliteit", "Evenementen"]))
    out = save_form(store, "44021", None, None, values, None, "An", "bewaren")
    app = store.get(out.app.id)
    assert app.five_b_notes == {"Beleid": "Beleidsplan opvragen."}
    assert app.experts == {"suggested": ["Mobiliteit"], "chosen": ["Mobiliteit", "Evenementen"]}


def test_new_suggestions_keep_what_the_user_added_and_removed() -> None:
    def s(*experts: str) -> list[Suggestion]:
        return [Suggestion(e, ("reden",), ("regel",)) for e in experts]

    assert merge_experts(s("Mobiliteit", "Retailvastgoed"), None, None) == ["Mobiliteit", "Retailvastgoed"]
    # The user removed Retailvastgoed and added Evenementen; then the zone changed and Starters is suggested.
    chosen = merge_experts(s("Mobiliteit", "Retailvastgoed", "Starters"), ["Mobiliteit", "Retailvastgoed"],
                           ["Mobiliteit", "Evenementen"])
    assert chosen == ["Mobiliteit", "Evenementen", "Starters"]
    # A suggestion that no longer applies and was never touched goes away.
    assert merge_experts(s("Starters"), ["Mobiliteit", "Starters"], ["Mobiliteit", "Starters"]) == ["Starters"]
