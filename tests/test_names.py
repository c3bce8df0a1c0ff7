"""Staff by name: the first name Telegram sends when someone joins, /naam to see and change
it, cards and exports that name people "Sanne (Ambulante Begeleiding Haarlem)", and the name
erased with the account. Candidates never get one."""

from __future__ import annotations

import pytest
import sqlite_utils
from helpers import CANDIDATE_FACTS, talk

from bot.access import accounts
from bot.access.invites import create_invite
from bot.access.names import (
    InvalidNameError,
    check_first_name,
    clean_first_name,
    set_first_name,
    staff_name,
)
from bot.access.roles import UnknownUserError
from bot.demo import DEMO_REGION, DEMO_USERS, seed_demo
from bot.records import registry
from bot.records.registry import CANDIDATES, DWELLINGS
from bot.storage import MIGRATIONS, Store, User

SUPPORT_WORKER = DEMO_USERS["support_worker"]


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("Sanne", "Sanne"),
        ("  Sanne \n", "Sanne"),
        ("Anne\t\tMarie", "Anne Marie"),
        ("Sa\u200bnne\u202e", "Sanne"),  # a zero-width space and a right-to-left override
        ("Jan 🌻", "Jan 🌻"),
        ("Ελένη", "Ελένη"),
        ("x" * 60, "x" * 40),
        ("x" * 39 + " y", "x" * 39),
        ("", None),
        ("   ", None),
        ("🌻🌻", None),
        ("-- 42 --", None),
        # A phone number or an e-mail address in a Telegram name is not kept (as /naam).
        ("Sanne 0612345678", None),
        ("sanne@woonopmaat.nl", None),
        ("Jan2", None),
        (None, None),
    ],
)
def test_what_telegram_sends_is_cleaned(sent, kept):
    assert clean_first_name(sent) == kept


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Ik zie geen naam."),
        ("\u200b", "Ik zie geen naam."),
        ("x" * 41, "Die naam is te lang: hoogstens 40 tekens."),
        ("🙂 !!", "Dat is geen voornaam: er staan geen letters in."),
        ("Sanne 0612345678", "Een voornaam heeft geen cijfers of @."),
        ("sanne@example.org", "Een voornaam heeft geen cijfers of @."),
    ],
)
def test_a_typed_name_that_cannot_be_used_says_why(typed, says):
    with pytest.raises(InvalidNameError) as caught:
        check_first_name(typed)
    assert str(caught.value) == says


def test_a_typed_name_is_tidied():
    assert check_first_name("  Anne \n Marie ") == "Anne Marie"
    assert check_first_name("x" * 40) == "x" * 40


def _user(role: str, first_name: str | None, organisation: str | None = "Woonopmaat") -> User:
    return User(7, role, 1, "r", True, False, "nl", "t", first_name, organisation)


def test_staff_are_named_with_their_organisation_or_by_role_and_id():
    assert staff_name(_user("support_worker", "Sanne", "Ambulante Begeleiding Haarlem")) == (
        "Sanne (Ambulante Begeleiding Haarlem)"
    )
    assert staff_name(_user("corporation", "Inge")) == "Inge (Woonopmaat)"
    assert staff_name(_user("corporation", "Inge", None)) == "Inge"
    assert staff_name(_user("support_worker", None)) == "Woonbegeleider 7"
    assert staff_name(_user("corporation", None)) == "Medewerker corporatie 7"
    assert staff_name(_user("coordinator", None)) == "Medewerker 7"
    assert staff_name(_user("field_worker", "")) == "Medewerker 7"


def test_setting_a_name_is_audited_without_the_name(store, regions, clock):
    seed_demo(store, regions, clock.now())
    user = store.user(SUPPORT_WORKER)
    changed = set_first_name(store, clock.now(), user, " Sanne-Lotte ")
    assert changed.first_name == store.user(SUPPORT_WORKER).first_name == "Sanne-Lotte"
    [line] = store.audit_entries(actor=str(SUPPORT_WORKER))
    assert (line["action"], line["record_id"], line["detail"]) == (
        "user.name",
        str(SUPPORT_WORKER),
        None,
    )
    accounts.deactivate_user(store, clock.now(), SUPPORT_WORKER)
    with pytest.raises(UnknownUserError):
        set_first_name(store, clock.now(), store.user(SUPPORT_WORKER), "Sanne")
    assert store.user(SUPPORT_WORKER).first_name is None


def test_the_operator_may_give_a_first_name_and_a_bad_one_is_refused(store, clock):
    organisation = store.add_organisation("Woonopmaat", "corporatie", DEMO_REGION, clock.now())
    added = accounts.add_user(
        store,
        clock.now(),
        telegram_id=5,
        role="corporation",
        organisation=organisation,
        first_name=" Inge ",
    )
    assert (added.first_name, added.organisation_name) == ("Inge", "Woonopmaat")
    with pytest.raises(accounts.AccountError, match="voornaam: Een voornaam heeft geen cijfers"):
        accounts.add_user(
            store,
            clock.now(),
            telegram_id=6,
            role="corporation",
            organisation=organisation,
            first_name="06 12345678 Inge",
        )
    assert store.find_user(6) is None


# --- in the chat --------------------------------------------------------------------------


async def test_naam_shows_the_name_and_takes_a_new_one(shell):
    out = await talk(shell, ":as support_worker", "/naam", "Sanne-Lotte")
    assert (
        out
        == """\
— je bent nu 1004 support_worker
[→ 1004 support_worker] Je voornaam in de bot is Sanne. Collega's zien je als Sanne (Ambulante Begeleiding Haarlem (voorbeeld)).

Typ je nieuwe voornaam, of /annuleren om hem te laten zoals hij is.
    [1] ✖️ Annuleren
[→ 1004 support_worker, bewerkt] Je voornaam in de bot is Sanne. Collega's zien je als Sanne (Ambulante Begeleiding Haarlem (voorbeeld)).

Typ je nieuwe voornaam, of /annuleren om hem te laten zoals hij is.

✏️ Sanne-Lotte
[→ 1004 support_worker] ✅ Je voornaam is nu Sanne-Lotte. Collega's zien je als Sanne-Lotte (Ambulante Begeleiding Haarlem (voorbeeld)).
"""
    )


async def test_naam_with_a_name_sets_it_at_once(shell):
    out = await talk(shell, ":as corporation", "/naam   Inge   Marie  ", "/naam")
    assert (
        out
        == """\
— je bent nu 1003 corporation
[→ 1003 corporation] ✅ Je voornaam is nu Inge Marie. Collega's zien je als Inge Marie (Woonopmaat).
[→ 1003 corporation] Je voornaam in de bot is Inge Marie. Collega's zien je als Inge Marie (Woonopmaat).

Typ je nieuwe voornaam, of /annuleren om hem te laten zoals hij is.
    [1] ✖️ Annuleren
"""
    )


async def test_bad_names_are_explained_and_asked_again(shell):
    out = await talk(
        shell,
        ":as support_worker",
        "/naam",
        "x" * 41,
        "🙂🙂",
        "bel 0612345678",
        "Lotte",
        "/naam 🙂",
        "/naam " + "y" * 41,
    )
    assert (
        out
        == """\
— je bent nu 1004 support_worker
[→ 1004 support_worker] Je voornaam in de bot is Sanne. Collega's zien je als Sanne (Ambulante Begeleiding Haarlem (voorbeeld)).

Typ je nieuwe voornaam, of /annuleren om hem te laten zoals hij is.
    [1] ✖️ Annuleren
[→ 1004 support_worker, knoppen weg] Je voornaam in de bot is Sanne. Collega's zien je als Sanne (Ambulante Begeleiding Haarlem (voorbeeld)).
[→ 1004 support_worker] ⚠️ Die naam is te lang: hoogstens 40 tekens. Typ je voornaam opnieuw.

Je voornaam in de bot is Sanne. Collega's zien je als Sanne (Ambulante Begeleiding Haarlem (voorbeeld)).

Typ je nieuwe voornaam, of /annuleren om hem te laten zoals hij is.
    [1] ✖️ Annuleren
[→ 1004 support_worker, knoppen weg] ⚠️ Die naam is te lang: hoogstens 40 tekens. Typ je voornaam opnieuw.
[→ 1004 support_worker] ⚠️ Dat is geen voornaam: er staan geen letters in. Typ je voornaam opnieuw.

Je voornaam in de bot is Sanne. Collega's zien je als Sanne (Ambulante Begeleiding Haarlem (voorbeeld)).

Typ je nieuwe voornaam, of /annuleren om hem te laten zoals hij is.
    [1] ✖️ Annuleren
[→ 1004 support_worker, knoppen weg] ⚠️ Dat is geen voornaam: er staan geen letters in. Typ je voornaam opnieuw.
[→ 1004 support_worker] ⚠️ Een voornaam heeft geen cijfers of @. Typ je voornaam opnieuw.

Je voornaam in de bot is Sanne. Collega's zien je als Sanne (Ambulante Begeleiding Haarlem (voorbeeld)).

Typ je nieuwe voornaam, of /annuleren om hem te laten zoals hij is.
    [1] ✖️ Annuleren
[→ 1004 support_worker, bewerkt] Je voornaam in de bot is Sanne. Collega's zien je als Sanne (Ambulante Begeleiding Haarlem (voorbeeld)).

Typ je nieuwe voornaam, of /annuleren om hem te laten zoals hij is.

✏️ Lotte
[→ 1004 support_worker] ✅ Je voornaam is nu Lotte. Collega's zien je als Lotte (Ambulante Begeleiding Haarlem (voorbeeld)).
[→ 1004 support_worker] Dat is geen voornaam: er staan geen letters in. Typ je voornaam achter /naam, bijvoorbeeld /naam Sanne.
[→ 1004 support_worker] Die naam is te lang: hoogstens 40 tekens. Typ je voornaam achter /naam, bijvoorbeeld /naam Sanne.
"""
    )
    assert shell.store.user(SUPPORT_WORKER).first_name == "Lotte"


async def test_annuleren_a_question_or_the_clock_leave_the_name_as_it_is(shell):
    out = await talk(
        shell,
        ":as field_worker",
        "/naam",
        ":press Annuleren",
        "/naam",
        "/annuleren",
        "/naam",
        "wat is een omklapwoning?",
    )
    assert (
        out
        == """\
— je bent nu 1002 field_worker
[→ 1002 field_worker] Je voornaam in de bot is Youssef. Collega's zien je als Youssef (Zorgaanbieder Kennemerland (voorbeeld)).

Typ je nieuwe voornaam, of /annuleren om hem te laten zoals hij is.
    [1] ✖️ Annuleren
[→ 1002 field_worker, bewerkt] Je voornaam is niet veranderd.
[→ 1002 field_worker] Je voornaam in de bot is Youssef. Collega's zien je als Youssef (Zorgaanbieder Kennemerland (voorbeeld)).

Typ je nieuwe voornaam, of /annuleren om hem te laten zoals hij is.
    [1] ✖️ Annuleren
[→ 1002 field_worker, knoppen weg] Je voornaam in de bot is Youssef. Collega's zien je als Youssef (Zorgaanbieder Kennemerland (voorbeeld)).
[→ 1002 field_worker] Je voornaam is niet veranderd.
[→ 1002 field_worker] Je voornaam in de bot is Youssef. Collega's zien je als Youssef (Zorgaanbieder Kennemerland (voorbeeld)).

Typ je nieuwe voornaam, of /annuleren om hem te laten zoals hij is.
    [1] ✖️ Annuleren
[→ 1002 field_worker, knoppen weg] Je voornaam in de bot is Youssef. Collega's zien je als Youssef (Zorgaanbieder Kennemerland (voorbeeld)).
[→ 1002 field_worker] Je voornaam is niet veranderd.
[→ 1002 field_worker] omklapwoning: Een woning die het eerste jaar door de zorgaanbieder wordt gehuurd; gaat alles goed, dan wordt het omgezet in een normaal huurcontract voor de bewoner. Zo werkt Eindhoven.

Bron: Resultaten actieprogramma Weer Thuis: elkaar begrijpen vormt de basis, 2018-12-07
    [1] 👍   [2] 👎
"""
    )
    # A name typed after the step timed out is not kept as an unanswered question.
    late = await talk(shell, "/naam", ":advance 31m", "Joep")
    assert (
        late
        == """\
[→ 1002 field_worker] Je voornaam in de bot is Youssef. Collega's zien je als Youssef (Zorgaanbieder Kennemerland (voorbeeld)).

Typ je nieuwe voornaam, of /annuleren om hem te laten zoals hij is.
    [1] ✖️ Annuleren
[→ 1002 field_worker, knoppen weg] Je voornaam in de bot is Youssef. Collega's zien je als Youssef (Zorgaanbieder Kennemerland (voorbeeld)).
[→ 1002 field_worker] Je was een tijd niet actief. Je voornaam is niet veranderd.
— klok staat op 05-01-2026 09:31; uitgevoerde taken: 1
[→ 1002 field_worker] Dat kan ik niet beantwoorden. Typ /help om te zien wat kan.
"""
    )
    assert shell.store.user(DEMO_USERS["field_worker"]).first_name == "Youssef"
    assert shell.store.kb_questions() == []


async def test_joining_with_an_invite_keeps_the_first_name_telegram_sends(shell):
    organisation = shell.store.organisation_by_name("Woonopmaat")
    codes = [
        create_invite(
            shell.store,
            shell.clock.now(),
            role="corporation",
            organisation_id=organisation.id,
            region=DEMO_REGION,
            valid_days=7,
        ).code
        for _ in range(2)
    ]
    shell.api.send_text(3000, f"/start {codes[0]}", first_name=" Bo\u200b\n van Dijk ")
    shell.api.send_text(3001, f"/start {codes[1]}", first_name="🌻🌻")
    start = len(shell.out.getvalue())
    await shell.settle()
    out = shell.out.getvalue()[start:]
    assert (
        out
        == """\
[→ 3000] Welkom bij de Weer Thuis-bot. Je bent aangemeld als Medewerker woningcorporatie bij Woonopmaat (regio IJmond en Zuid-Kennemerland).
Collega's zien je als Bo van Dijk (Woonopmaat); je voornaam wijzig je met /naam.

Dit kun je hier doen:
/start — Beginnen of aanmelden met een uitnodigingscode
/help — Wat kan ik hier doen?
/vraag — Een vraag stellen over de afspraken (of typ gewoon je vraag)
/regels — De regels voor de matching in jouw regio
/woning — Een vrijkomende woning aanmelden
/mijn — Jouw kandidaten of woningen (coördinator: de regio)
/signalen — Signalen na een verhuizing: wie pakt wat op (samen oplossen)
/naam — Je voornaam zoals collega's die zien
/annuleren — De huidige handeling afbreken
[→ 3001] Welkom bij de Weer Thuis-bot. Je bent aangemeld als Medewerker woningcorporatie bij Woonopmaat (regio IJmond en Zuid-Kennemerland).
Collega's zien je als Medewerker corporatie 3001; met /naam geef je je voornaam op.

Dit kun je hier doen:
/start — Beginnen of aanmelden met een uitnodigingscode
/help — Wat kan ik hier doen?
/vraag — Een vraag stellen over de afspraken (of typ gewoon je vraag)
/regels — De regels voor de matching in jouw regio
/woning — Een vrijkomende woning aanmelden
/mijn — Jouw kandidaten of woningen (coördinator: de regio)
/signalen — Signalen na een verhuizing: wie pakt wat op (samen oplossen)
/naam — Je voornaam zoals collega's die zien
/annuleren — De huidige handeling afbreken
"""
    )
    assert shell.store.user(3000).first_name == "Bo van Dijk"
    assert shell.store.user(3001).first_name is None


def _candidate_with_the_support_worker(shell) -> str:
    support_worker = shell.store.user(SUPPORT_WORKER)
    field_worker = shell.store.user(DEMO_USERS["field_worker"])
    return registry.register(
        shell.store,
        shell.clock.now(),
        field_worker,
        CANDIDATES,
        {
            **CANDIDATE_FACTS,
            "support_organisation": str(support_worker.organisation_id),
            "support_worker": str(SUPPORT_WORKER),
        },
        support_organisation_id=support_worker.organisation_id,
        support_worker_id=SUPPORT_WORKER,
    )["code"]


async def test_a_candidate_card_names_the_support_worker(shell):
    _candidate_with_the_support_worker(shell)
    await talk(shell, ":as support_worker", "/naam Sanne-Lotte")
    out = await talk(shell, ":as coordinator", "/mijn", ":press 1")
    assert (
        out
        == """\
— je bent nu 1001 coordinator
[→ 1001 coordinator] 1 kandidaat in je regio
    [1] WT-IZK-0001 · aangemeld · Haarlem · 0 dagen
    [2] Alle   [3] Wachtend   [4] Voorgedragen   [5] Gepauzeerd
    [6] 📍 Per gemeente   [7] ⏳ > 90 dagen
    [8] 🏠 Woningen
[→ 1001 coordinator, bewerkt] WT-IZK-0001
Status: aangemeld
Wacht al: 0 dagen
Gemeenten: Haarlem
Huishouden: Alleenstaand
Begeleiding: Reguliere ambulante begeleiding
Uitstroomprofiel: Zelfstandig (voorbeeld)
Woonwensen: geen
Huurgrens: Tot de lage aftoppingsgrens (€ 713,02)
Verhuizen vanaf: zondag 1 februari 2026
Knelpunten: Huurschuld
Urgentie: Nee
Begeleidende organisatie: Ambulante Begeleiding Haarlem (voorbeeld)
Woonbegeleider: Sanne-Lotte (Ambulante Begeleiding Haarlem (voorbeeld))
Notitie: —
    [1] 🏠 Voordragen voor een woning
    [2] ⏸ Pauzeren
    [3] 🚫 Intrekken
    [4] ✏️ Gegevens wijzigen
    [5] ⬅️ Terug naar de lijst
"""
    )


async def test_a_dwelling_card_names_the_contact(shell):
    corporation = shell.store.user(DEMO_USERS["corporation"])
    registry.register(
        shell.store,
        shell.clock.now(),
        corporation,
        DWELLINGS,
        {"type": "studio", "rooms": 1, "contact": str(corporation.telegram_id)},
        municipality="haarlem",
    )
    out = await talk(shell, ":as coordinator", "/mijn", ":press Woningen", ":press 1")
    assert (
        out
        == """\
— je bent nu 1001 coordinator
[→ 1001 coordinator] 0 kandidaten in je regio
Nog niets hier.
    [1] Alle   [2] Wachtend   [3] Voorgedragen   [4] Gepauzeerd
    [5] 📍 Per gemeente   [6] ⏳ > 90 dagen
    [7] 🏠 Woningen
[→ 1001 coordinator, bewerkt] 1 woning in je regio
    [1] WN-IZK-0001 · beschikbaar · Haarlem · 0 dagen
    [2] Alle   [3] Beschikbaar   [4] Voorgedragen   [5] Toegewezen
    [6] 📍 Per gemeente   [7] ⏳ > 90 dagen
    [8] 👤 Kandidaten
[→ 1001 coordinator, bewerkt] WN-IZK-0001
Status: beschikbaar
Wacht al: 0 dagen
Gemeente: Haarlem
Soort woning: Studio
Kamers: 1
Contactpersoon: Inge (Woonopmaat)
    [1] 👥 Beste kandidaten
    [2] 🚫 Intrekken
    [3] ✏️ Gegevens wijzigen
    [4] ⬅️ Terug naar de lijst
"""
    )


async def test_deactivation_erases_the_name_everywhere(shell):
    _candidate_with_the_support_worker(shell)
    await talk(shell, ":as support_worker", "/naam Sanne-Lotte")
    accounts.deactivate_user(shell.store, shell.clock.now(), SUPPORT_WORKER)
    out = await talk(shell, ":as support_worker", "/naam", ":as field_worker", "/mijn", ":press 1")
    assert (
        out
        == """\
— je bent nu 1004 support_worker
[→ 1004 support_worker] Je account is niet actief. Neem contact op met de coördinator van je regio als je weer toegang nodig hebt.
— je bent nu 1002 field_worker
[→ 1002 field_worker] 1 kandidaat
    [1] WT-IZK-0001 · aangemeld · Haarlem · 0 dagen
[→ 1002 field_worker, bewerkt] WT-IZK-0001
Status: aangemeld
Wacht al: 0 dagen
Gemeenten: Haarlem
Huishouden: Alleenstaand
Begeleiding: Reguliere ambulante begeleiding
Uitstroomprofiel: Zelfstandig (voorbeeld)
Woonwensen: geen
Huurgrens: Tot de lage aftoppingsgrens (€ 713,02)
Verhuizen vanaf: zondag 1 februari 2026
Knelpunten: Huurschuld
Urgentie: Nee
Begeleidende organisatie: Ambulante Begeleiding Haarlem (voorbeeld)
Woonbegeleider: Woonbegeleider 1004
Notitie: —
    [1] ⏸ Pauzeren
    [2] 🚫 Intrekken
    [3] ✏️ Gegevens wijzigen
    [4] ⬅️ Terug naar de lijst
"""
    )
    # Not in any table of the file (the audit log noted the change, never the name).
    for table in shell.store.db.table_names():
        for row in shell.store.db[table].rows:
            assert "Sanne-Lotte" not in repr(row), table
    exported = await talk(shell, ":as coordinator", "/export")
    assert "1 kandidaat" in exported
    files = {name: content for (_, name, content) in shell.api.documents}
    sheet = files[f"kandidaten-{DEMO_REGION}.csv"].decode("utf-8-sig")
    assert ";Woonbegeleider 1004;" in sheet and "Sanne" not in sheet


def test_an_older_file_gets_the_column_and_its_users_no_name(db_path, clock):
    db = sqlite_utils.Database(db_path)
    MIGRATIONS.apply(db, stop_before="m009_user_first_names")
    organisation = (
        db["organisations"]
        .insert({"name": "Woonopmaat", "kind": "corporatie", "region": "r", "created_at": "t"})
        .last_pk
    )
    db["users"].insert(
        {
            "telegram_id": 5,
            "role": "corporation",
            "organisation_id": organisation,
            "region": "r",
            "created_at": "t",
        }
    )
    db.close()
    store = Store(db_path)
    assert store.migrate() == [
        "m009_user_first_names",
        "m010_placements",
        "m011_outbox",
        "m012_decisions",
        "m013_checkins",
        "m014_checkin_follow_up",
        "m015_signals",
        "m016_omklap",
        "m017_matchpunt_questions",
    ]
    user = store.user(5)
    assert (user.first_name, staff_name(user)) == (None, "Medewerker corporatie 5")
    store.close()
