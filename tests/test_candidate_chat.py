"""/kandidaat through the real Application: the whole registration, every kind of answer,
Wijzigen, Terug, Annuleren, stale and forged buttons, bad input, timeout with a kept draft."""

from __future__ import annotations

import string
import unicodedata

from helpers import HAPPY_CANDIDATE, form_button, talk
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.demo import DEMO_USERS

FIELD_WORKER = DEMO_USERS["field_worker"]

HAPPY = list(HAPPY_CANDIDATE)
# Typed out, a button's label or an option's value is an answer, not noise ("VELSEN" at the
# first question picks Velsen): what the steps of the fuzz test below take, written as the form
# compares typed text (no accents, emoji or punctuation; lower case).
ANSWERS = {
    *("terug", "annuleren", "klaar", "geen", "overslaan", "uitleg"),
    *("beverwijk", "heemskerk", "velsen", "bloemendaal", "haarlem", "heemstede", "zandvoort"),
    *("alleenstaand", "stel", "gezin", "met kinderen"),
    *("licht", "regulier", "intensief", "beschermdzelfstandig"),
    "lichte ambulante begeleiding",
    "reguliere ambulante begeleiding",
    "intensieve ambulante begeleiding",
    "beschermd zelfstandig wonen",
    *("zelfstandig", "begeleid", "beschermdthuis"),
    *("zelfstandig voorbeeld", "begeleid zelfstandig voorbeeld", "beschermd thuis voorbeeld"),
    *("beganegrondoflift", "toegankelijk", "huisdier"),
    *("begane grond of lift", "toegankelijk rolstoelrollator"),
    *("lageaftoppingsgrens", "hogeaftoppingsgrens", "liberalisatiegrens", "anders"),
    "tot de lage aftoppingsgrens 71302",
    "tot de hoge aftoppingsgrens 76414",
    "tot de liberalisatiegrens 93293",
    "een eigen maximum bedrag",
}


def _plain(text: str) -> str:
    letters = "".join(c for c in unicodedata.normalize("NFKD", text) if c.isalnum() or c.isspace())
    return " ".join(letters.split()).casefold()


def _draft(shell, telegram_id=FIELD_WORKER):
    return shell.app.user_data[telegram_id].get("form:kandidaat", {}).get("draft", {})


async def test_a_whole_registration_is_saved_under_a_code(shell):
    await talk(shell, *HAPPY)
    summary = await talk(shell, ":press Overslaan")
    assert (
        summary.splitlines()[0] == "[→ 1002 field_worker, bewerkt] Kandidaat aanmelden · overzicht"
    )
    for line in (
        "Gemeenten: Haarlem",
        "Uitgesloten: geen",
        "Huishouden: Alleenstaand",
        "Begeleiding: Reguliere ambulante begeleiding",
        "Uitstroomprofiel: Zelfstandig (voorbeeld)",
        "Woonwensen: Begane grond of lift",
        "Maximale huur: € 650,00",
        "Verhuizen vanaf: zondag 1 maart 2026",
        "Knelpunten: Huurschuld",
        "Urgentie: Nee",
        "Woonbegeleider: Sanne (Ambulante Begeleiding Haarlem (voorbeeld))",
        "Notitie: —",
    ):
        assert line in summary, line
    saved = await talk(shell, ":press Opslaan")
    assert "✅ Opgeslagen als WT-IZK-0001." in saved
    [row] = shell.store.records("candidates", "ijmond-zuid-kennemerland")
    assert row["code"] == "WT-IZK-0001" and row["status"] == "aangemeld"
    assert row["support_worker_id"] == DEMO_USERS["support_worker"]
    assert row["facts"]["max_rent"] == 650 and row["facts"]["earliest_move"] == "2026-03-01"
    assert row["facts"]["bottlenecks"] == ["huurschuld"]
    assert row["facts"]["urgent"] == "nee"
    assert "form:kandidaat" not in shell.app.user_data[FIELD_WORKER]


async def test_every_field_can_be_changed_from_the_summary(shell):
    await talk(shell, *HAPPY, ":press Overslaan")
    await talk(shell, ":press Wijzigen", ":press Huishouden", ":press Met kind(eren)")
    asked = await talk(shell, "3")
    assert "Kinderen: 3" in asked and "Huishouden: Met kind(eren)" in asked
    await talk(shell, ":press Wijzigen", ":press Huurgrens", ":press Tot de lage aftoppingsgrens")
    assert "max_rent" not in _draft(shell)
    menu = await talk(shell, ":press Wijzigen")
    labels = [b.label for row in shell.api.outputs[-1].buttons for b in row]
    assert "Maximale huur" not in labels and "Kinderen" in labels
    back = await talk(shell, ":press Terug naar het overzicht")
    assert "Kandidaat aanmelden · overzicht" in back and menu


async def test_terug_walks_back_and_annuleren_stores_nothing(shell):
    await talk(shell, ":as field_worker", "/kandidaat", ":press Haarlem", ":press Klaar")
    back = await talk(shell, ":press Terug")
    assert "In welke gemeenten" in back
    cancelled = await talk(shell, ":press Annuleren")
    assert "Kandidaat aanmelden afgebroken. Er is niets opgeslagen." in cancelled
    assert shell.store.count("candidates") == 0
    await talk(shell, "/kandidaat", ":press Haarlem")
    assert "afgebroken" in await talk(shell, "/annuleren")
    assert shell.store.count("candidates") == 0


async def test_bad_typed_answers_are_explained_and_asked_again(shell):
    await talk(shell, *HAPPY[:11])  # at the maximum rent
    for wrong, says in (
        ("-5", "Dat is geen getal"),
        ("abc", "Dat is geen getal"),
        ("99999", "Kies een waarde van € 100 tot € 2000"),
        ("x" * 10_000, "te lang"),
    ):
        reply = await talk(shell, wrong)
        assert says in reply, wrong
        assert "maximale kale huur" in reply
    await talk(shell, "650")
    for wrong, says in (("gisteren", "begrijp ik niet"), ("1-1-2020", "ligt in het verleden")):
        assert says in await talk(shell, wrong)
    shell.api.send_photo(FIELD_WORKER)
    await shell.settle()
    assert "Dat kan ik hier niet gebruiken" in shell.out.getvalue()
    await talk(shell, "over 2 weken", ":press Klaar", ":press Nee", ":press 1", ":press 1")
    refused = await talk(shell, "bel hem op 0612345678")
    assert "een telefoonnummer" in refused and "Die gegevens bewaren we niet" in refused
    assert "note" not in _draft(shell)


async def test_stale_and_forged_buttons_change_nothing(shell):
    await talk(
        shell, ":as field_worker", "/kandidaat", ":press Haarlem", ":press Klaar", ":press Geen"
    )
    first = next(o for o in shell.api.outputs if o.text and "In welke gemeenten" in o.text)
    before = dict(_draft(shell))
    own = [
        form_button(shell, FIELD_WORKER, "kandidaat", action, index, arg)
        for action, index, arg in (
            ("t", 0, "haarlem"),
            ("o", 2, "99"),
            ("o", 2, "-1"),
            ("o", 2, "x"),
            ("S", -1, ""),
            ("e", -1, "50"),
            ("zz", 2, "0"),
            ("o", 999999, "0"),
            ("c", 9, "²"),
            ("e", -1, "²"),
        )
    ]
    for data in (*own, "k|o|2|ffffff|alleenstaand", "k|t|0|0", "x" * 64):
        shell.api.press(FIELD_WORKER, first.message_id, data)
        await shell.settle()
    assert _draft(shell) == before
    assert "Er ging iets mis" not in shell.out.getvalue()
    # Someone without the right role cannot drive the form with forged data either.
    await talk(shell, ":as corporation", "/help")
    shell.api.press(
        DEMO_USERS["corporation"],
        shell.api.outputs[-1].message_id,
        form_button(shell, FIELD_WORKER, "kandidaat", "S", -1),
    )
    await shell.settle()
    # Outside any form of theirs the button is simply stale; nothing runs.
    assert shell.api.outputs[-1].text in (
        "Deze knop is niet meer geldig.",
        "Dit mag je met jouw rol niet doen.",
    )
    assert shell.store.count("candidates") == 0


async def test_a_timeout_keeps_the_draft_and_offers_to_continue(shell):
    await talk(shell, ":as field_worker", "/kandidaat", ":press Haarlem", ":press Klaar")
    timed_out = await talk(shell, ":advance 31m")
    assert (
        "Je aanmelding van een kandidaat is bewaard als concept: typ /kandidaat om verder te gaan"
        in timed_out
    )
    resumed = await talk(shell, "/kandidaat")
    assert "onafgemaakte aanmelding van een kandidaat" in resumed
    again = await talk(shell, ":press Verder gaan")
    assert "Zijn er gemeenten in de regio waar de kandidaat niet kan wonen?" in again
    await talk(shell, "/annuleren", "/kandidaat")
    fresh = await talk(shell, ":press Haarlem")
    assert "Gekozen: Haarlem" in fresh


async def test_roles_without_kandidaat_are_refused(shell):
    for role in ("corporation", "support_worker"):
        reply = await talk(shell, f":as {role}", "/kandidaat")
        assert "Dat kan ik met jouw rol niet voor je doen." in reply


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=string.printable + "éëï€😀", min_size=1, max_size=200))
async def test_fuzzed_text_at_every_step_never_breaks_the_form(shell, text):
    assume(_plain(text) not in ANSWERS)
    before = shell.store.count("candidates")
    await talk(shell, ":as field_worker", "/annuleren", "/kandidaat")
    for step in (
        "Haarlem",
        "Klaar",
        "Geen",
        "Alleenstaand",
        "Reguliere ambulante begeleiding",
        "1",
        "Klaar",
        "Tot de lage aftoppingsgrens",
    ):
        if text.strip() and not text.lstrip().startswith(("/", ":", "#")):
            await talk(shell, text)
        await talk(shell, f":press {step}")
    # Whatever was typed in between, the form goes on to one saved candidate with the answers
    # the buttons gave.
    await talk(
        shell,
        "1 maart",
        ":press Klaar",
        ":press Nee",
        ":press Nog niet bekend",
        ":press Overslaan",
        ":press Opslaan",
    )
    assert "Er ging iets mis" not in shell.out.getvalue()
    assert shell.store.count("candidates") == before + 1
    newest = shell.store.records("candidates", "ijmond-zuid-kennemerland")[-1]
    assert newest["facts"]["municipalities"] == ["haarlem"]
    assert newest["facts"]["household"] == "alleenstaand"
    assert newest["facts"]["note"] is None


async def test_every_field_can_be_reached_from_wijzigen_and_comes_back(shell):
    await talk(shell, *HAPPY, ":press Overslaan")
    await talk(shell, ":press Wijzigen")
    labels = [b.label for row in shell.api.outputs[-1].buttons for b in row][:-1]
    assert len(labels) == 14  # the 15 fields less "Kinderen" (no children in this household)
    for label in labels:
        await talk(shell, ":press Wijzigen", f":press {label}")
        question = shell.api.outputs[-1]
        assert "vraag" in question.text, label
        # Terug from a jumped-to question returns to the summary, unchanged.
        back = await talk(shell, ":press Terug")
        assert "Kandidaat aanmelden · overzicht" in back, label
    assert "✅ Opgeslagen als WT-IZK-0001." in await talk(shell, ":press Opslaan")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.tuples(
            st.sampled_from(list("otdcshbxSEeBrnpWz")),
            st.integers(-5, 120),
            st.text(alphabet=string.ascii_letters + string.digits + "-|", max_size=8),
        ),
        st.text(max_size=64),
    )
)
async def test_forged_callback_data_never_breaks_the_form(shell, data):
    await talk(shell, ":as field_worker", "/annuleren", "/kandidaat", ":press Haarlem")
    message = shell.api.outputs[-1].message_id
    if isinstance(data, tuple):  # a button of this very draft, with forged contents
        data = form_button(shell, FIELD_WORKER, "kandidaat", *data)
    if data.encode() and len(data.encode()) <= 64 and data:
        shell.api.press(FIELD_WORKER, message, data)
        await shell.settle()
    assert "Er ging iets mis" not in shell.out.getvalue()
    assert shell.store.count("candidates") == 0
    draft = _draft(shell)
    assert set(draft) <= {"municipalities", "excluded", "household"}


async def test_answers_that_stop_fitting_are_dropped_and_asked_again(shell):
    await talk(
        shell,
        ":as field_worker",
        "/kandidaat",
        ":press Haarlem",
        ":press Klaar",
        ":press Velsen",
        ":press Klaar",
    )
    assert _draft(shell)["excluded"] == ["velsen"]
    await talk(shell, "/annuleren")
    await talk(shell, *HAPPY, ":press Overslaan")
    summary = await talk(
        shell,
        ":press Wijzigen",
        ":press Begeleidende organisatie",
        ":press Zorgaanbieder Kennemerland (voorbeeld)",
    )
    # The support worker belonged to the other organisation: asked again, not kept.
    assert "Wie is de woonbegeleider?" in summary
    assert "support_worker" not in _draft(shell)


async def test_text_after_a_timeout_is_not_kept_as_a_question(shell):
    await talk(
        shell, ":as field_worker", "/kandidaat", ":press Haarlem", ":press Klaar", ":advance 31m"
    )
    reply = await talk(shell, "mevrouw heeft schulden bij de bank en een zoon")
    assert "Was dit een antwoord voor je onafgemaakte aanmelding?" in reply
    assert shell.store.kb_questions() == []
