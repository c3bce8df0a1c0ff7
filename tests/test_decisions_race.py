"""Two coordinators acting at once: one wins, the other is told, nothing is double-booked.
In two processes' worth of database handles (threads released together) and through the
real Application (two presses queued before either is handled). Forged presses on the
workflow's buttons change nothing."""

from __future__ import annotations

import threading
from datetime import timedelta

from helpers import CANDIDATE_FACTS, talk

from bot.access import accounts
from bot.decisions import workflow
from bot.demo import DEMO_USERS
from bot.records import registry
from bot.records.lifecycle import IllegalTransitionError
from bot.storage import Store

REGION = "ijmond-zuid-kennemerland"
SECOND = 1009
HOME = {
    "neighbourhood": "Schalkwijk",
    "type": "appartement",
    "rooms": 2,
    "floor": 0,
    "accessible": "nee",
    "pets_allowed": "ja",
    "net_rent": 600.0,
    "service_costs": 0.0,
    "available_from": "2026-01-19",
    "omklap": "nee",
    "contact": str(DEMO_USERS["corporation"]),
}


def _second_coordinator(store, now):
    [matchpunt_org] = [o for o in store.organisations(REGION) if o.kind == "gemeente"]
    return accounts.add_user(
        store, now, telegram_id=SECOND, role="coordinator", organisation=matchpunt_org
    )


def _records(store, now, candidates=1, dwellings=1):
    field_worker = store.user(DEMO_USERS["field_worker"])
    corporation = store.user(DEMO_USERS["corporation"])
    earlier = now - timedelta(days=10)
    cs = [
        registry.register(store, earlier, field_worker, registry.CANDIDATES, dict(CANDIDATE_FACTS))[
            "code"
        ]
        for _ in range(candidates)
    ]
    ds = [
        registry.register(
            store, earlier, corporation, registry.DWELLINGS, dict(HOME), municipality="haarlem"
        )["code"]
        for _ in range(dwellings)
    ]
    return cs, ds


def _race(db_path, kb, now, pairs):
    """Propose each (coordinator, candidate, dwelling) from its own handle, all at once."""
    barrier = threading.Barrier(len(pairs))
    outcomes = [None] * len(pairs)

    def run(i, who, candidate, dwelling):
        store = Store(db_path)
        try:
            user = store.user(who)
            barrier.wait()
            workflow.propose(store, kb, now, user, candidate, dwelling)
            outcomes[i] = "voorgedragen"
        except IllegalTransitionError:
            outcomes[i] = "bezet"
        finally:
            store.close()

    threads = [threading.Thread(target=run, args=(i, *pair)) for i, pair in enumerate(pairs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_proposals_for_one_candidate_at_once_one_wins(shell, kb, db_path):
    store, now = shell.store, shell.clock.now()
    _second_coordinator(store, now)
    [candidate], homes = _records(store, now, dwellings=2)
    outcomes = _race(
        db_path,
        kb,
        now,
        [(DEMO_USERS["coordinator"], candidate, homes[0]), (SECOND, candidate, homes[1])],
    )
    assert sorted(outcomes) == ["bezet", "voorgedragen"]
    assert len(store.open_proposals(candidate=candidate)) == 1
    statuses = sorted(store.record("dwellings", d)["status"] for d in homes)
    assert statuses == ["beschikbaar", "voorgedragen"]


def test_two_proposals_for_one_dwelling_at_once_one_wins(shell, kb, db_path):
    store, now = shell.store, shell.clock.now()
    _second_coordinator(store, now)
    candidates, [home] = _records(store, now, candidates=2)
    outcomes = _race(
        db_path,
        kb,
        now,
        [(DEMO_USERS["coordinator"], candidates[0], home), (SECOND, candidates[1], home)],
    )
    assert sorted(outcomes) == ["bezet", "voorgedragen"]
    assert len(store.open_proposals(dwelling=home)) == 1
    statuses = sorted(store.record("candidates", c)["status"] for c in candidates)
    assert statuses == ["aangemeld", "voorgedragen"]
    # The parties were told about the proposal that won, once.
    assert [m["chat_id"] for m in store.messages()] == [
        DEMO_USERS["field_worker"],
        DEMO_USERS["corporation"],
    ]


async def test_two_coordinators_press_at_once_in_chat_the_second_is_told(shell, kb):
    store, now = shell.store, shell.clock.now()
    _second_coordinator(store, now)
    shell.api.known_chats.add(SECOND)
    [candidate], [home] = _records(store, now)
    workflow.offer_dwelling(store, kb, now, store.record("dwellings", home))
    await shell.settle()
    first = shell.api.press_button(DEMO_USERS["coordinator"], "Voordragen: WT-IZK-0001")
    second = shell.api.press_button(SECOND, "Voordragen: WT-IZK-0001")
    assert first and second
    start = len(shell.out.getvalue())
    await shell.settle()
    out = shell.out.getvalue()[start:]
    assert out.rstrip("\n").split("\n")[:1] == [
        "[→ 1001 coordinator, bewerkt] ✅ WT-IZK-0001 is voorgedragen voor WN-IZK-0001. De "
        "zorgkant en de corporatie krijgen een bericht en antwoorden vóór maandag 12 januari "
        "2026, 09:00 (de corporatie ziet de kandidaat zonder de knelpunten)."
    ]
    assert (
        "[→ 1009] Die voordracht kan niet (meer): een van beide is niet meer beschikbaar "
        "(misschien was een collega je net voor). Er is niets veranderd."
    ) in out
    assert len(store.open_proposals(candidate=candidate)) == 1


async def test_forged_presses_on_the_workflow_change_nothing(shell, kb):
    store, now = shell.store, shell.clock.now()
    [candidate], [home] = _records(store, now)
    coordinator = store.user(DEMO_USERS["coordinator"])
    proposal = workflow.propose(store, kb, now, coordinator, candidate, home)
    await shell.settle()
    pid = proposal["id"]
    before = store.proposal(pid)
    # (who, forged callback data, what they are told)
    cases = [
        ("corporation", f"b|j|{pid}|z", "Deze knop is niet voor jou; er is niets veranderd."),
        ("field_worker", f"b|j|{pid}|c", "Deze knop is niet voor jou; er is niets veranderd."),
        ("support_worker", f"b|n|{pid}|z", "Deze knop is niet voor jou; er is niets veranderd."),
        ("field_worker", f"b|k|{pid}", "Deze knop is niet voor jou; er is niets veranderd."),
        ("corporation", f"b|i|{pid}", "Deze knop is niet voor jou; er is niets veranderd."),
        ("field_worker", f"b|m|{pid}", "Deze knop is niet voor jou; er is niets veranderd."),
        (
            "coordinator",
            f"b|k|{pid}",
            "Deze voordracht is niet afgewezen; er is niets te bevestigen.",
        ),
        ("coordinator", "b|j|999|z", "Deze voordracht bestaat niet (meer)."),
        ("field_worker", f"b|r|{pid}|z|verzonnen", "Kies een reden uit de lijst."),
        ("field_worker", f"b|j|{pid}|q", "Deze knop is niet meer geldig."),
        ("field_worker", "b|j|x1|z", "Deze knop is niet meer geldig."),
    ]
    for role in ("coordinator", "field_worker", "corporation", "support_worker"):
        await talk(shell, f":as {role}", "/help")
    for role, data, told in cases:
        user = DEMO_USERS[role]
        message = max(o.message_id for o in shell.api.outputs if o.to == user and o.message_id)
        start = len(shell.out.getvalue())
        shell.api.press(user, message, data)
        await shell.settle()
        out = shell.out.getvalue()[start:]
        assert told in out, (role, data, out)
    assert store.proposal(pid) == before
