"""The outbox's sender against the local Bot API when Telegram says no: "too many requests"
(429) is waited out and never reaches a user, a broken connection is tried again (soon, then
later from the row), a blocked user is set aside and handed to the coordinator, and with
Telegram's flood limits on the sender keeps within them by itself."""

from __future__ import annotations

from datetime import timedelta

from bot.demo import DEMO_USERS
from bot.localapi.flood import FloodLimits
from bot.messaging import outbox

COORDINATOR, FIELD_WORKER = DEMO_USERS["coordinator"], DEMO_USERS["field_worker"]
CORPORATION = DEMO_USERS["corporation"]


def _texts_to(shell, chat_id):
    return [o.text for o in shell.api.outputs if o.to == chat_id and o.kind == "message"]


def _queue(shell, chat_id, *texts):
    return [outbox.queue(shell.store, shell.clock.now(), chat_id, t) for t in texts]


async def test_too_many_requests_is_waited_out_and_the_message_arrives_once(shell):
    shell.api.known_chats.add(FIELD_WORKER)
    shell.api.inject("sendMessage", "retry_after", chat_id=FIELD_WORKER, times=2, retry_after=1)
    [first] = _queue(shell, FIELD_WORKER, "Voordracht WT-IZK-0001")
    await shell.settle()
    assert _texts_to(shell, FIELD_WORKER) == ["Voordracht WT-IZK-0001"]
    assert shell.api.injected_failures == 2
    row = shell.store.message(first)
    assert (row["status"], row["attempts"]) == ("verzonden", 0)


async def test_a_broken_connection_is_tried_again_soon(shell):
    shell.api.known_chats.add(FIELD_WORKER)
    shell.api.inject("sendMessage", "network", chat_id=FIELD_WORKER, times=3)
    [first] = _queue(shell, FIELD_WORKER, "Herinnering")
    await shell.settle()
    assert _texts_to(shell, FIELD_WORKER) == ["Herinnering"]
    assert shell.store.message(first)["status"] == "verzonden"


async def test_a_connection_that_stays_broken_is_tried_later_from_the_row(shell):
    shell.api.known_chats.add(FIELD_WORKER)
    # The first try and three quick retries fail: the row waits a minute.
    shell.api.inject("sendMessage", "network", chat_id=FIELD_WORKER, times=4)
    [first] = _queue(shell, FIELD_WORKER, "Overzicht")
    await shell.settle()
    row = shell.store.message(first)
    assert _texts_to(shell, FIELD_WORKER) == []
    assert (row["status"], row["attempts"], row["next_attempt_at"]) == (
        "wacht",
        1,
        "2026-01-05T08:01:00+00:00",
    )
    assert row["error"] == "NetworkError: injected network error"
    shell.clock.advance(timedelta(seconds=59))
    await shell.settle()
    assert _texts_to(shell, FIELD_WORKER) == []
    shell.clock.advance(timedelta(seconds=1))
    await shell.settle()
    assert _texts_to(shell, FIELD_WORKER) == ["Overzicht"]
    assert shell.store.message(first)["status"] == "verzonden"


async def test_an_answer_lost_after_telegram_sent_it_means_it_is_sent_again(shell):
    """Telegram has no idempotency key: a send whose answer was lost cannot be told from
    one that never arrived, so it goes again (the reader may see it twice; it is recorded
    once)."""
    shell.api.known_chats.add(FIELD_WORKER)
    shell.api.inject("sendMessage", "timeout", chat_id=FIELD_WORKER, times=1)
    [first] = _queue(shell, FIELD_WORKER, "Match")
    await shell.settle()
    assert _texts_to(shell, FIELD_WORKER) == ["Match", "Match"]
    row = shell.store.message(first)
    assert (row["status"], row["message_id"]) == ("verzonden", 2)


async def test_a_user_who_blocked_the_bot_is_set_aside_and_the_coordinator_told(shell):
    shell.api.known_chats.update({COORDINATOR, FIELD_WORKER})
    shell.api.block(FIELD_WORKER)
    ids = [
        outbox.queue(
            shell.store, shell.clock.now(), FIELD_WORKER, f"Bericht {n}", about="WT-IZK-0001"
        )
        for n in (1, 2)
    ]
    await shell.settle()
    assert _texts_to(shell, FIELD_WORKER) == []
    assert [shell.store.message(i)["status"] for i in ids] == ["onbereikbaar", "onbereikbaar"]
    assert shell.store.blocked_since(FIELD_WORKER) == "2026-01-05T08:00:00+00:00"
    assert _texts_to(shell, COORDINATOR) == [
        "⚠️ Medewerker zorg/opvang Youssef (Zorgaanbieder Kennemerland (voorbeeld)) heeft de bot "
        "geblokkeerd en krijgt geen berichten meer, totdat die de bot weer een bericht stuurt.\n"
        "Er stonden 2 berichten klaar.\n"
        "Neem deze zaken over of zoek contact: WT-IZK-0001."
    ]
    # Only the first send was tried: the second waited in the same round and was set aside.
    assert shell.api.flood_refusals == []


async def test_within_telegrams_limits_no_request_is_refused(shell):
    shell.api.flood_limits = FloodLimits()
    chats = [FIELD_WORKER, CORPORATION, COORDINATOR]
    shell.api.known_chats.update(chats)
    for chat in chats:
        _queue(shell, chat, *(f"{chat}: {n}" for n in range(3)))
    await shell.settle()
    for chat in chats:
        assert _texts_to(shell, chat) == [f"{chat}: {n}" for n in range(3)]
    assert shell.api.too_many_requests == 0
    assert shell.store.outbox_counts() == {"verzonden": 9}


async def test_refusals_of_the_limits_are_waited_out_and_never_reach_a_user(shell):
    # A sender that does not pace itself meets Telegram's 429s, and waits them out.
    shell.api.flood_limits = FloodLimits()
    sender = shell.app.outbox
    sender.per_chat_interval = 0.0
    shell.api.known_chats.add(FIELD_WORKER)
    _queue(shell, FIELD_WORKER, "een", "twee", "drie")
    await shell.settle()
    assert _texts_to(shell, FIELD_WORKER) == ["een", "twee", "drie"]
    assert shell.api.too_many_requests == 2
    assert shell.store.outbox_counts() == {"verzonden": 3}


async def test_a_chat_reads_its_messages_in_order_after_a_broken_connection(shell):
    shell.api.known_chats.add(FIELD_WORKER)
    shell.api.inject("sendMessage", "network", chat_id=FIELD_WORKER, times=4)
    _queue(shell, FIELD_WORKER, "1 voordracht", "2 herinnering")
    await shell.settle()
    assert _texts_to(shell, FIELD_WORKER) == []
    shell.clock.advance(timedelta(minutes=1))
    await shell.settle()
    assert _texts_to(shell, FIELD_WORKER) == ["1 voordracht", "2 herinnering"]
