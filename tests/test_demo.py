"""A lived-in demo: `weerthuis shell --demo` starts in a region with candidates and dwellings
in every status the chat can reach, made through the core, the same on every start; the
README lists them."""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import REPO
from test_cli import weerthuis

from bot.demo import (
    DEMO_REGION,
    DEMO_USERS,
    DemoRefusedError,
    seed_demo,
    seed_demo_records,
)
from bot.forms.candidate import CANDIDATE_FORM
from bot.forms.dwelling import DWELLING_FORM
from bot.forms.engine import Option
from bot.knowledge.base import load_knowledge
from bot.records import registry
from bot.records.form_contexts import region_context
from bot.storage import Store

SESSION = """\
/mijn
:press WT-IZK-0001
:as field_worker
/mijn
:press Volgende
"""


def test_a_scripted_demo_session_shows_the_records():
    result = weerthuis("shell", "--demo", stdin=SESSION)
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout
        == """\
— Weer Thuis shell — je bent 1001 coordinator. Typ een bericht, of :help.
1001 coordinator> /mijn
[→ 1001 coordinator] 16 kandidaten in je regio · pagina 1 van 4
    [1] WT-IZK-0016 · verhuisd · Haarlem, Heemstede · 330 dagen
    [2] WT-IZK-0001 · voorgedragen · Haarlem, Heemstede · 212 dagen
    [3] WT-IZK-0002 · gepauzeerd · Velsen, Beverwijk · 164 dagen
    [4] WT-IZK-0003 · aangemeld · Haarlem · 131 dagen
    [5] WT-IZK-0004 · voorgedragen · Heemskerk +1 · 118 dagen
    [6] Volgende ▶️
    [7] Alle   [8] Wachtend   [9] Voorgedragen   [10] Gepauzeerd
    [11] 📍 Per gemeente   [12] ⏳ > 90 dagen
    [13] 🏠 Woningen
1001 coordinator> :press WT-IZK-0001
[→ 1001 coordinator, bewerkt] WT-IZK-0001
Status: voorgedragen voor een woning
Wacht al: 212 dagen
Gemeenten: Haarlem, Heemstede
Uitgesloten: geen
Huishouden: Alleenstaand
Begeleiding: Reguliere ambulante begeleiding
Uitstroomprofiel: Zelfstandig (voorbeeld)
Woonwensen: geen
Huurgrens: Tot de lage aftoppingsgrens (€ 713,02)
Verhuizen vanaf: zaterdag 7 juni 2025
Knelpunten: Huurschuld
Urgentie: Nee
Begeleidende organisatie: Ambulante Begeleiding Haarlem (voorbeeld)
Woonbegeleider: Sanne (Ambulante Begeleiding Haarlem (voorbeeld))
Notitie: —
Voorgedragen voor: WN-IZK-0001
  Gemeente: Haarlem
  Wijk: Schalkwijk
  Soort woning: Appartement
  Kamers: 2
  Verdieping: 3
  Lift: Ja
  Toegankelijk: Nee
  Kale huur: € 598,50
  Beschikbaar vanaf: maandag 17 november 2025
    [1] ⏸ Pauzeren
    [2] 🚫 Intrekken
    [3] ⬅️ Terug naar de lijst
1001 coordinator> :as field_worker
— je bent nu 1002 field_worker
1002 field_worker> /mijn
[→ 1002 field_worker] 13 kandidaten · pagina 1 van 3
    [1] WT-IZK-0016 · verhuisd · Haarlem, Heemstede · 330 dagen
    [2] WT-IZK-0001 · voorgedragen · Haarlem, Heemstede · 212 dagen
    [3] WT-IZK-0002 · gepauzeerd · Velsen, Beverwijk · 164 dagen
    [4] WT-IZK-0004 · voorgedragen · Heemskerk +1 · 118 dagen
    [5] WT-IZK-0005 · aangemeld · Zandvoort, Bloemendaal · 97 dagen
    [6] Volgende ▶️
1002 field_worker> :press Volgende
[→ 1002 field_worker, bewerkt] 13 kandidaten · pagina 2 van 3
    [1] WT-IZK-0014 · aangemeld · Bloemendaal · 85 dagen
    [2] WT-IZK-0006 · teruggetrokken · Haarlem · 76 dagen
    [3] WT-IZK-0013 · gematcht · Bloemendaal · 60 dagen
    [4] WT-IZK-0015 · verhuisd · Haarlem · 45 dagen
    [5] WT-IZK-0008 · aangemeld · Velsen · 41 dagen
    [6] ◀️ Vorige   [7] Volgende ▶️
"""
    )


@pytest.fixture
def seeded(store, regions, kb, clock):
    seed_demo(store, regions, clock.now())
    return seed_demo_records(store, kb, clock.now())


def _everything(store) -> dict:
    return {table: list(store.db[table].rows) for table in store.db.table_names()}


def test_seeding_twice_adds_nothing(store, regions, kb, clock, seeded):
    assert len(seeded) == 27
    before = _everything(store)
    seed_demo(store, regions, clock.now())
    assert seed_demo_records(store, kb, clock.now()) == []
    assert _everything(store) == before


def test_a_second_start_on_the_same_file_adds_nothing(tmp_path):
    db = tmp_path / "demo.sqlite3"
    counts = []
    for _ in range(2):
        assert weerthuis("shell", "--demo", "--db", str(db), stdin=":quit\n").returncode == 0
        store = Store(db)
        counts.append(
            {t: store.count(t) for t in ("users", "candidates", "dwellings", "proposals")}
            | {"audit_log": store.count("audit_log")}
        )
        store.close()
    assert (
        counts[0]
        == counts[1]
        == {
            "users": 4,
            "candidates": 16,
            "dwellings": 11,
            "proposals": 5,
            "audit_log": counts[0]["audit_log"],
        }
    )


def test_demo_records_are_refused_in_a_database_with_real_users(store, regions, kb, clock):
    seed_demo(store, regions, clock.now())
    organisation = store.organisations(DEMO_REGION)[0]
    store.add_user(77, "coordinator", organisation.id, DEMO_REGION, clock.now())
    with pytest.raises(DemoRefusedError, match="--demo weigert deze database"):
        seed_demo_records(store, kb, clock.now())
    assert store.count("candidates") == store.count("dwellings") == 0


def test_the_readme_lists_exactly_the_demo_codes(store, seeded):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shell_section = readme.split("## The local shell", 1)[1].split("\n## ", 1)[0]
    listed = dict(re.findall(r"^\| `(W[TN]-[A-Z]+-\d{4})` \| (\w+)", shell_section, flags=re.M))
    seeded_statuses = {
        row["code"]: row["status"]
        for kind in ("candidates", "dwellings")
        for row in store.records(kind, DEMO_REGION)
    }
    assert list(listed) == seeded
    assert listed == seeded_statuses


def test_demo_records_are_consistent(store, clock, seeded):
    candidates = store.records("candidates", DEMO_REGION)
    dwellings = store.records("dwellings", DEMO_REGION)
    # Every status the chat reaches today, several times over.
    assert {r["status"] for r in candidates} == {
        "aangemeld",
        "voorgedragen",
        "gematcht",
        "verhuisd",
        "gepauzeerd",
        "teruggetrokken",
    }
    assert {r["status"] for r in dwellings} == {
        "beschikbaar",
        "voorgedragen",
        "toegewezen",
        "verhuurd",
        "ingetrokken",
    }
    # The match moves in three days after the start; its proposal was accepted.
    accepted = [p for p in store.region_proposals(DEMO_REGION) if p["status"] == "geaccepteerd"]
    assert [
        (p["candidate_code"], p["dwelling_code"], p["move_in_on"], p["moved_at"]) for p in accepted
    ] == [
        ("WT-IZK-0013", "WN-IZK-0007", "2026-01-08", None),
        ("WT-IZK-0015", "WN-IZK-0010", "2026-01-03", "2026-01-03T08:00:00+00:00"),
        ("WT-IZK-0016", "WN-IZK-0011", "2025-04-10", "2025-04-10T07:00:00+00:00"),
    ]
    # The soft landing: the first check-in of WT-IZK-0015 opens the day after the start;
    # those of WT-IZK-0016 before the start were answered on their days.
    assert [
        (c["candidate_code"], c["day"], c["opens_on"], c["state"], c["answered_at"])
        for c in store.checkins_of()
        if c["opens_on"] < "2026-01-07"
    ] == [
        ("WT-IZK-0016", 3, "2025-04-13", "beantwoord", "2025-04-14T08:00:00+00:00"),
        ("WT-IZK-0016", 14, "2025-04-22", "beantwoord", "2025-04-22T08:00:00+00:00"),
        ("WT-IZK-0016", 42, "2025-05-17", "beantwoord", "2025-05-19T08:00:00+00:00"),
        ("WT-IZK-0016", 91, "2025-07-03", "beantwoord", "2025-07-03T08:00:00+00:00"),
        ("WT-IZK-0016", 182, "2025-09-29", "beantwoord", "2025-09-29T08:00:00+00:00"),
        ("WT-IZK-0015", 3, "2026-01-06", "gepland", None),
    ]
    # What the bot said before the start counts as read then.
    assert store.outbox_counts() == {"verzonden": 36}
    # A proposed candidate has one open proposal, with a proposed dwelling, and back.
    for candidate in candidates:
        proposals = store.open_proposals(candidate=candidate["code"])
        assert len(proposals) == (candidate["status"] == "voorgedragen"), candidate["code"]
        for proposal in proposals:
            dwelling = store.record("dwellings", proposal["dwelling_code"])
            assert dwelling["status"] == "voorgedragen"
            assert dwelling["municipality"] in candidate["facts"]["municipalities"]
    for dwelling in dwellings:
        proposals = store.open_proposals(dwelling=dwelling["code"])
        assert len(proposals) == (dwelling["status"] == "voorgedragen"), dwelling["code"]
    # A reason for every pause and withdrawal; waiting times, places and needs vary.
    for row in candidates + dwellings:
        assert bool(row["status_reason"]) == (row["status"] in registry.NEEDS_REASON)
    today = clock.now().date()
    assert len({registry.waiting_days(r, today) for r in candidates}) == len(candidates)
    assert sum(registry.waiting_days(r, today) > 90 for r in candidates) == 6
    assert len({m for r in candidates for m in r["facts"]["municipalities"]}) == 7
    for key in ("household", "support", "profile", "rent_limit"):
        assert len({r["facts"][key] for r in candidates}) >= 3, key
    # Each demo user has records to look at.
    coordinator, field_worker, corporation, support_worker = (
        store.user(DEMO_USERS[role])
        for role in ("coordinator", "field_worker", "corporation", "support_worker")
    )
    assert len(registry.listing(store, coordinator, registry.CANDIDATES)) == 16
    assert len(registry.listing(store, field_worker, registry.CANDIDATES)) == 13
    assert len(registry.listing(store, support_worker, registry.CANDIDATES)) == 7
    assert len(registry.listing(store, corporation, registry.DWELLINGS)) == 11


def test_demo_records_hold_answers_the_forms_accept(store, config, seeded):
    kb = load_knowledge(config.knowledge_dir)
    coordinator = store.user(DEMO_USERS["coordinator"])

    def people(role: str, organisation: str) -> list[Option]:
        if role == "support_worker":
            found = registry.support_workers(store, DEMO_REGION, int(organisation))
        else:
            found = registry.contacts(store, coordinator, int(organisation))
        return [Option(str(u.telegram_id), str(u.telegram_id)) for u in found]

    for kind, form in (("candidates", CANDIDATE_FORM), ("dwellings", DWELLING_FORM)):
        for row in store.records(kind, DEMO_REGION):
            registered = row["created_at"][:10]
            ctx = region_context(
                store,
                kb,
                DEMO_REGION,
                date.fromisoformat(registered),
                people=people,
                is_coordinator=True,
            )
            draft = {**row["facts"], "organisation": str(row["organisation_id"])}
            if kind == "dwellings":
                draft["municipality"] = row["municipality"]
                # The neighbourhood is kept by name; the form speaks in options.
                options = form.field("neighbourhood").option_list(ctx, draft)
                by_label = {o.label: o.value for o in options}
                if draft.get("neighbourhood"):
                    draft["neighbourhood"] = by_label[draft["neighbourhood"]]
            assert form.missing(draft, ctx) == [], row["code"]
            form.check_all(draft, ctx)
            assert form.clean(draft, ctx) == draft, row["code"]
