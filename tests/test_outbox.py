"""The outbox through the real Application and the local Bot API: a queued row goes out once
and is marked sent with Telegram's message id; a change that arrives twice queues its message
once; a message that is not urgent waits for working hours; an erased candidate's messages go
with it; and someone who blocked the bot is set aside and handed to the coordinator."""

from __future__ import annotations

from datetime import timedelta

from helpers import talk

from bot.demo import DEMO_USERS
from bot.messaging import outbox

COORDINATOR, FIELD_WORKER = DEMO_USERS["coordinator"], DEMO_USERS["field_worker"]
CORPORATION = DEMO_USERS["corporation"]


def _messages_to(shell, chat_id):
    return [(o.kind, o.text) for o in shell.api.outputs if o.to == chat_id]


async def test_a_queued_message_is_sent_once_and_marked_with_its_message_id(shell):
    shell.api.known_chats.add(FIELD_WORKER)
    now = shell.clock.now()
    first = outbox.queue(
        shell.store,
        now,
        FIELD_WORKER,
        "Nieuwe voordracht voor <b>WT-IZK-0001</b>",
        buttons=[[("Akkoord", "v|a|1"), ("Niet akkoord", "v|n|1")]],
        key="test:1",
        about="WT-IZK-0001",
    )
    again = outbox.queue(shell.store, now, FIELD_WORKER, "Nieuwe voordracht", key="test:1")
    assert again is None
    await shell.settle()
    await shell.settle()
    sent = [o for o in shell.api.outputs if o.to == FIELD_WORKER]
    assert [(o.kind, o.text, [[b.label for b in r] for r in o.buttons]) for o in sent] == [
        ("message", "Nieuwe voordracht voor WT-IZK-0001", [["Akkoord", "Niet akkoord"]])
    ]
    row = shell.store.message(first)
    assert (row["status"], row["message_id"], row["attempts"]) == ("verzonden", 1, 0)
    assert row["sent_at"] == "2026-01-05T08:00:00+00:00"


async def test_a_message_that_is_not_urgent_waits_for_working_hours(shell):
    shell.api.known_chats.update({FIELD_WORKER, CORPORATION})
    # Monday 5 January 2026, 09:00 in Amsterdam: forward to 22:30, in the quiet hours.
    shell.clock.advance(timedelta(hours=13, minutes=30))
    now = shell.clock.now()
    outbox.queue(shell.store, now, FIELD_WORKER, "Herinnering: nog geen antwoord")
    outbox.queue(shell.store, now, CORPORATION, "Dringend: de sleutel", urgent=True)
    await shell.settle()
    assert _messages_to(shell, FIELD_WORKER) == []
    assert _messages_to(shell, CORPORATION) == [("message", "Dringend: de sleutel")]
    # 07:59 the next morning: still quiet.
    shell.clock.advance(timedelta(hours=9, minutes=29))
    await shell.settle()
    assert _messages_to(shell, FIELD_WORKER) == []
    shell.clock.advance(timedelta(minutes=1))
    await shell.settle()
    assert _messages_to(shell, FIELD_WORKER) == [("message", "Herinnering: nog geen antwoord")]


async def test_the_weekend_is_not_working_time(shell):
    shell.api.known_chats.add(FIELD_WORKER)
    # Saturday 10 January 2026, 11:00.
    shell.clock.advance(timedelta(days=5, hours=2))
    outbox.queue(shell.store, shell.clock.now(), FIELD_WORKER, "Een overzicht")
    await shell.settle()
    assert _messages_to(shell, FIELD_WORKER) == []
    # Monday 08:00.
    shell.clock.advance(timedelta(days=1, hours=21))
    await shell.settle()
    assert _messages_to(shell, FIELD_WORKER) == [("message", "Een overzicht")]


async def test_an_erased_candidate_takes_its_messages_along(shell):
    from bot.privacy import erasure

    store, now = shell.store, shell.clock.now()
    code = _a_candidate(shell)
    shell.api.known_chats.update({COORDINATOR, FIELD_WORKER})
    outbox.queue(store, now, COORDINATOR, f"De beste kandidaten: {code}", about="WN-IZK-0001")
    await shell.settle()
    outbox.queue(store, now, FIELD_WORKER, f"Over {code}", about=code)
    outbox.queue(store, now, COORDINATOR, f"Nog te sturen: {code}, WT-IZK-0099", about="x")
    outbox.queue(store, now, COORDINATOR, f"Een ander: {code}9", about="y")
    erasure.erase_candidate(store, now, code)
    # What was sent naming it and what was about it go; a list still to be sent keeps the
    # code (which names nobody now); a longer code is another candidate.
    assert [m["text"] for m in store.messages()] == [
        f"Nog te sturen: {code}, WT-IZK-0099",
        f"Een ander: {code}9",
    ]


async def test_sent_messages_are_forgotten_after_ninety_days(shell):
    from bot.wiring.app import run_due_work

    shell.api.known_chats.add(FIELD_WORKER)
    outbox.queue(shell.store, shell.clock.now(), FIELD_WORKER, "Verzonden")
    await shell.settle()
    shell.clock.advance(timedelta(days=89))
    outbox.queue(shell.store, shell.clock.now(), FIELD_WORKER, "Wacht nog", key="later")
    shell.store.retry_message(
        shell.store.messages(key="later")[0]["id"], shell.clock.now() + timedelta(days=9), 1, "x"
    )
    await run_due_work(shell.app)
    assert [m["status"] for m in shell.store.messages()] == ["verzonden", "wacht"]
    shell.clock.advance(timedelta(days=2))
    await run_due_work(shell.app)
    assert [m["text"] for m in shell.store.messages()] == ["Wacht nog"]


async def test_a_message_with_a_button_telegram_refuses_is_not_queued(shell):
    import pytest

    with pytest.raises(ValueError):
        outbox.queue(shell.store, shell.clock.now(), 1, "x", buttons=[[("Te lang", "x" * 65)]])
    with pytest.raises(ValueError):
        outbox.queue(shell.store, shell.clock.now(), 1, "x" * 4097)
    with pytest.raises(ValueError):
        outbox.queue(shell.store, shell.clock.now(), 1, "  ")
    assert shell.store.messages() == []


async def test_someone_who_blocked_the_bot_is_set_aside_and_handed_to_the_coordinator(shell):
    from bot.messaging import blocked

    store, now = shell.store, shell.clock.now()
    shell.api.known_chats.update({COORDINATOR, FIELD_WORKER})
    blocked_ids = [
        outbox.queue(store, now, FIELD_WORKER, "Voordracht WT-IZK-0001", about="WT-IZK-0001"),
        outbox.queue(store, now, FIELD_WORKER, "Herinnering WT-IZK-0001", about="WT-IZK-0001"),
    ]
    queued = blocked.blocked_the_bot(store, now, FIELD_WORKER)
    assert [store.message(i)["status"] for i in blocked_ids] == ["onbereikbaar", "onbereikbaar"]
    assert blocked.is_blocked(store, FIELD_WORKER)
    # Told once, however often Telegram says it.
    assert blocked.blocked_the_bot(store, now, FIELD_WORKER) == []
    assert len(queued) == 1
    await shell.settle()
    assert _messages_to(shell, COORDINATOR) == [
        (
            "message",
            "⚠️ Medewerker zorg/opvang Youssef (Zorgaanbieder Kennemerland (voorbeeld)) heeft de bot "
            "geblokkeerd en krijgt geen berichten meer, totdat die de bot weer een bericht stuurt.\n"
            "Er stonden 2 berichten klaar.\n"
            "Neem deze zaken over of zoek contact: WT-IZK-0001.",
        )
    ]
    # Writing to the bot again makes them reachable.
    await talk(shell, ":as field_worker", "/help")
    assert not blocked.is_blocked(store, FIELD_WORKER)


def _a_candidate(shell) -> str:
    from helpers import CANDIDATE_FACTS

    from bot.records import registry

    user = shell.store.user(FIELD_WORKER)
    row = registry.register(
        shell.store, shell.clock.now(), user, registry.CANDIDATES, dict(CANDIDATE_FACTS)
    )
    return row["code"]
