"""Tests of Telegram's refusals played by the local Bot API: flood limits, injected failures,
blocked users, and the journal of what was delivered; driven through a real PTB `Bot`."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from telegram import Bot
from telegram.error import Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import BaseRequest

import bot.localapi.server as server_module
from bot.clock import ManualClock
from bot.localapi.flood import FloodLimits
from bot.localapi.server import LocalBotApi

# PTB 22.2+ warns, even while raising RetryAfter itself, that retry_after becomes a timedelta.
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*attribute `retry_after`:telegram.warnings.PTBDeprecationWarning"
)

ANNA = 424242
BERT = 535353
START = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)
BLOCKED = "Forbidden: bot was blocked by the user"


class FakeMonotonic:
    """A monotonic clock that only moves when the test says so."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Recording(BaseRequest):
    """The local transport, keeping the raw answers so the bodies can be checked literally."""

    def __init__(self, inner: BaseRequest) -> None:
        self.inner = inner
        self.answers: list[tuple[int, dict]] = []

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(self, url, method, request_data=None, *args, **kwargs):
        code, payload = await self.inner.do_request(url, method, request_data)
        self.answers.append((code, json.loads(payload)))
        return code, payload


@contextlib.asynccontextmanager
async def running_bot(api: LocalBotApi, request: BaseRequest | None = None):
    instance = Bot(api.token, request=request or api.request(), get_updates_request=api.request())
    async with instance:
        yield instance


def seconds(error: RetryAfter) -> int:
    # An int today; a timedelta under PTB_TIMEDELTA=true (and in PTB 23).
    value = error.retry_after
    return value if isinstance(value, int) else int(value.total_seconds())


def journal_lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def texts(api: LocalBotApi) -> list[tuple[int, str | None]]:
    return [(out.to, out.text) for out in api.outputs]


@pytest.fixture
def monotonic() -> FakeMonotonic:
    return FakeMonotonic()


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    return tmp_path / "delivered.jsonl"


@pytest.fixture
def api(journal: Path):
    """A server with a journal and, like the default, no flood limits."""
    server = LocalBotApi(clock=ManualClock(start=START), journal=journal)
    server.known_chats.update({ANNA, BERT})
    yield server
    server.close()


@pytest.fixture
async def bot(api: LocalBotApi):
    async with running_bot(api) as instance:
        yield instance


@pytest.fixture
def limited(api: LocalBotApi, monotonic: FakeMonotonic) -> LocalBotApi:
    api.flood_limits = FloodLimits(monotonic=monotonic)
    return api


# ------------------------------------------------------------------------------ flood limits


async def test_second_send_to_a_chat_within_a_second_is_refused(limited, bot, monotonic):
    await bot.send_message(ANNA, "een")
    monotonic.advance(0.5)
    with pytest.raises(RetryAfter) as refused:
        await bot.send_message(ANNA, "twee")
    assert seconds(refused.value) == 1
    monotonic.advance(0.5)
    message = await bot.send_message(ANNA, "drie")
    assert message.message_id == 2
    assert texts(limited) == [(ANNA, "een"), (ANNA, "drie")]
    assert limited.too_many_requests == 1
    assert limited.flood_refusals == [(ANNA, "sendMessage")]


async def test_the_refusal_is_telegrams_429_body(limited, monotonic):
    recording = Recording(limited.request())
    async with running_bot(limited, recording) as instance:
        await instance.send_message(ANNA, "een")
        with pytest.raises(RetryAfter):
            await instance.send_message(ANNA, "twee")
    assert recording.answers[-1] == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        },
    )
    assert limited.rejected == [("sendMessage", "Too Many Requests: retry after 1")]


async def test_retry_after_is_the_wait_rounded_up(api, bot, monotonic):
    api.flood_limits = FloodLimits(per_chat_interval=3.0, monotonic=monotonic)
    await bot.send_message(ANNA, "een")
    monotonic.advance(0.5)
    with pytest.raises(RetryAfter) as refused:
        await bot.send_message(ANNA, "twee")
    assert seconds(refused.value) == 3
    monotonic.advance(2.0)
    with pytest.raises(RetryAfter) as refused:
        await bot.send_message(ANNA, "twee")
    assert seconds(refused.value) == 1
    monotonic.advance(0.5)
    await bot.send_message(ANNA, "twee")
    assert texts(api) == [(ANNA, "een"), (ANNA, "twee")]


async def test_other_chats_are_not_held_up_by_one_chat(limited, bot):
    await bot.send_message(ANNA, "een")
    await bot.send_message(BERT, "een")
    assert texts(limited) == [(ANNA, "een"), (BERT, "een")]
    assert limited.too_many_requests == 0


async def test_thirty_sends_a_second_overall_then_refused(limited, bot, monotonic):
    chats = list(range(1001, 1032))
    limited.known_chats.update(chats)
    for chat in chats[:30]:
        await bot.send_message(chat, "nieuws")
    monotonic.advance(0.25)
    with pytest.raises(RetryAfter) as refused:
        await bot.send_message(1031, "nieuws")
    assert seconds(refused.value) == 1
    assert limited.flood_refusals == [(1031, "sendMessage")]
    monotonic.advance(0.75)
    await bot.send_message(1031, "nieuws")
    assert len(limited.outputs) == 31
    assert limited.outputs[-1].to == 1031


async def test_the_overall_window_slides(api, bot, monotonic):
    api.flood_limits = FloodLimits(overall_per_second=3, monotonic=monotonic)
    api.known_chats.update({1, 2, 3, 4, 5, 6})
    await bot.send_message(1, "t=0")
    monotonic.advance(0.25)
    await bot.send_message(2, "t=0.25")
    monotonic.advance(0.25)
    await bot.send_message(3, "t=0.5")
    monotonic.advance(0.25)
    with pytest.raises(RetryAfter):
        await bot.send_message(4, "t=0.75")
    monotonic.advance(0.25)
    await bot.send_message(4, "t=1")  # the send at t=0 has left the window
    monotonic.advance(0.125)
    with pytest.raises(RetryAfter):
        await bot.send_message(5, "t=1.125")  # 0.25, 0.5 and 1 are still in it
    monotonic.advance(0.125)
    await bot.send_message(5, "t=1.25")
    assert [out.text for out in api.outputs] == ["t=0", "t=0.25", "t=0.5", "t=1", "t=1.25"]
    assert api.flood_refusals == [(4, "sendMessage"), (5, "sendMessage")]
    assert api.too_many_requests == 2


async def test_photos_and_documents_count_edits_and_answers_do_not(limited, bot, monotonic):
    sent = await bot.send_message(ANNA, "een")
    await bot.edit_message_text("een, bewerkt", chat_id=ANNA, message_id=sent.message_id)
    with pytest.raises(RetryAfter):
        await bot.send_photo(ANNA, photo=b"\x89PNG", caption="foto")
    with pytest.raises(RetryAfter):
        await bot.send_document(ANNA, document=b"inhoud", filename="brief.txt")
    monotonic.advance(1.0)
    await bot.send_photo(ANNA, photo=b"\x89PNG", caption="foto")
    assert [(out.kind, out.text) for out in limited.outputs] == [
        ("message", "een"),
        ("edit", "een, bewerkt"),
        ("photo", "foto"),
    ]
    assert limited.flood_refusals == [(ANNA, "sendPhoto"), (ANNA, "sendDocument")]
    assert limited.documents == []


async def test_a_refused_send_is_not_stored_emitted_or_journaled(limited, bot, monotonic, journal):
    await bot.send_message(ANNA, "een")
    with pytest.raises(RetryAfter):
        await bot.send_message(ANNA, "twee")
    assert limited.current_message(ANNA, 2) is None
    assert texts(limited) == [(ANNA, "een")]
    assert [name for name, _ in limited.calls] == ["getMe", "sendMessage"]
    assert journal_lines(journal) == [
        {"chat_id": ANNA, "message_id": 1, "method": "sendMessage", "text": "een"}
    ]
    monotonic.advance(1.0)
    message = await bot.send_message(ANNA, "twee")
    assert message.message_id == 2  # the refused one took no message id


async def test_a_send_to_an_unknown_chat_uses_no_budget(limited, bot):
    with pytest.raises(Forbidden):
        await bot.send_message(777, "wie?")
    limited.known_chats.add(777)
    await bot.send_message(777, "hallo")
    assert limited.too_many_requests == 0


async def test_limits_as_a_constructor_keyword(monotonic):
    server = LocalBotApi(flood_limits=FloodLimits(monotonic=monotonic))
    server.known_chats.add(ANNA)
    async with running_bot(server) as instance:
        await instance.send_message(ANNA, "een")
        with pytest.raises(RetryAfter):
            await instance.send_message(ANNA, "twee")
    assert server.too_many_requests == 1


async def test_the_default_server_has_no_limits():
    server = LocalBotApi()
    server.known_chats.add(ANNA)
    async with running_bot(server) as instance:
        for number in range(100):
            await instance.send_message(ANNA, f"bericht {number}")
    assert len(server.outputs) == 100
    assert server.outputs[-1].message_id == 100
    assert server.flood_limits is None
    assert server.too_many_requests == 0
    assert server.flood_refusals == []
    assert server.injected_failures == 0


# ------------------------------------------------------------------------ injected failures


async def test_injected_retry_after(api, journal):
    api.inject("sendMessage", "retry_after", retry_after=7)
    recording = Recording(api.request())
    async with running_bot(api, recording) as instance:
        with pytest.raises(RetryAfter) as refused:
            await instance.send_message(ANNA, "een")
        assert seconds(refused.value) == 7
        await instance.send_message(ANNA, "twee")
    assert recording.answers[1] == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 7",
            "parameters": {"retry_after": 7},
        },
    )
    assert texts(api) == [(ANNA, "twee")]
    assert journal_lines(journal) == [
        {"chat_id": ANNA, "message_id": 1, "method": "sendMessage", "text": "twee"}
    ]
    assert api.injected_failures == 1


async def test_injected_forbidden(api, bot):
    api.inject("sendMessage", "forbidden")
    with pytest.raises(Forbidden) as refused:
        await bot.send_message(ANNA, "een")
    assert str(refused.value) == BLOCKED
    assert api.rejected == [("sendMessage", BLOCKED)]
    assert api.outputs == []
    assert api.injected_failures == 1


async def test_injected_network_error_never_reaches_the_server(api, bot, journal):
    api.inject("sendMessage", "network")
    with pytest.raises(NetworkError) as broken:
        await bot.send_message(ANNA, "een")
    assert type(broken.value) is NetworkError
    assert str(broken.value) == "injected network error"
    assert api.outputs == []
    assert journal_lines(journal) == []
    assert [name for name, _ in api.calls] == ["getMe"]
    message = await bot.send_message(ANNA, "een")
    assert message.message_id == 1
    assert api.injected_failures == 1


async def test_injected_timeout_delivers_and_loses_the_answer(api, bot, journal):
    api.inject("sendMessage", "timeout")
    with pytest.raises(TimedOut):
        await bot.send_message(ANNA, "een")
    assert texts(api) == [(ANNA, "een")]
    assert api.current_message(ANNA, 1)["text"] == "een"
    # The bot cannot know it arrived; sending again is how duplicates are born.
    await bot.send_message(ANNA, "een")
    assert texts(api) == [(ANNA, "een"), (ANNA, "een")]
    assert journal_lines(journal) == [
        {"chat_id": ANNA, "message_id": 1, "method": "sendMessage", "text": "een"},
        {"chat_id": ANNA, "message_id": 2, "method": "sendMessage", "text": "een"},
    ]
    assert api.injected_failures == 1


async def test_injected_times(api, bot):
    api.inject("sendMessage", "forbidden", times=2)
    for _ in range(2):
        with pytest.raises(Forbidden):
            await bot.send_message(ANNA, "een")
    await bot.send_message(ANNA, "een")
    assert texts(api) == [(ANNA, "een")]
    assert api.injected_failures == 2


async def test_injected_for_one_chat(api, bot):
    api.inject("sendMessage", "retry_after", chat_id=ANNA, retry_after=5)
    await bot.send_message(BERT, "voor Bert")
    with pytest.raises(RetryAfter) as refused:
        await bot.send_message(ANNA, "voor Anna")
    assert seconds(refused.value) == 5
    await bot.send_message(ANNA, "voor Anna")
    assert texts(api) == [(BERT, "voor Bert"), (ANNA, "voor Anna")]
    assert api.injected_failures == 1


async def test_injected_only_for_its_method(api, bot):
    api.inject("editMessageText", "retry_after", retry_after=3)
    sent = await bot.send_message(ANNA, "een")
    with pytest.raises(RetryAfter) as refused:
        await bot.edit_message_text("twee", chat_id=ANNA, message_id=sent.message_id)
    assert seconds(refused.value) == 3
    await bot.edit_message_text("twee", chat_id=ANNA, message_id=sent.message_id)
    assert [(out.kind, out.text) for out in api.outputs] == [("message", "een"), ("edit", "twee")]


async def test_injected_errors_queue_in_order(api, bot):
    api.inject("sendMessage", "forbidden")
    api.inject("sendMessage", "network")
    with pytest.raises(Forbidden):
        await bot.send_message(ANNA, "een")
    with pytest.raises(NetworkError):
        await bot.send_message(ANNA, "een")
    await bot.send_message(ANNA, "een")
    assert api.injected_failures == 2


def test_inject_refuses_what_it_cannot_play(api):
    with pytest.raises(ValueError, match="unknown error 'flood'"):
        api.inject("sendMessage", "flood")
    with pytest.raises(ValueError, match="unknown method 'sendMesage'"):
        api.inject("sendMesage", "network")
    with pytest.raises(ValueError, match="at least 1"):
        api.inject("sendMessage", "network", times=0)


# ------------------------------------------------------------------------------- blocking


async def test_a_blocked_user_gets_no_sends(api, bot, journal):
    api.block(ANNA)
    with pytest.raises(Forbidden) as refused:
        await bot.send_message(ANNA, "een")
    assert str(refused.value) == BLOCKED
    with pytest.raises(Forbidden):
        await bot.send_photo(ANNA, photo=b"\x89PNG", caption="foto")
    with pytest.raises(Forbidden):
        await bot.send_document(ANNA, document=b"inhoud", filename="brief.txt")
    await bot.send_message(BERT, "voor Bert")
    assert texts(api) == [(BERT, "voor Bert")]
    assert api.documents == []
    assert api.current_message(ANNA, 1) is None
    assert api.rejected == [
        ("sendMessage", BLOCKED),
        ("sendPhoto", BLOCKED),
        ("sendDocument", BLOCKED),
    ]
    api.unblock(ANNA)
    message = await bot.send_message(ANNA, "weer welkom")
    assert message.message_id == 1
    assert journal_lines(journal) == [
        {"chat_id": BERT, "message_id": 1, "method": "sendMessage", "text": "voor Bert"},
        {"chat_id": ANNA, "message_id": 1, "method": "sendMessage", "text": "weer welkom"},
    ]


async def test_a_blocked_user_still_gets_edits(api, bot):
    sent = await bot.send_message(ANNA, "een")
    api.block(ANNA)
    await bot.edit_message_text("twee", chat_id=ANNA, message_id=sent.message_id)
    assert [(out.kind, out.text) for out in api.outputs] == [("message", "een"), ("edit", "twee")]


# -------------------------------------------------------------------------------- journal


async def test_the_journal_has_what_the_user_sees(api, bot, journal):
    api.send_text(ANNA, "hallo")  # the user's message is not the bot's delivery
    await bot.send_message(ANNA, "<b>Welkom</b> &amp; fijn", parse_mode="HTML")
    sent = await bot.send_photo(BERT, photo=b"\x89PNG", caption="<i>Foto</i>", parse_mode="HTML")
    await bot.send_document(BERT, document=b"inhoud", filename="brief.txt")
    await bot.edit_message_caption(chat_id=BERT, message_id=sent.message_id, caption="nieuw")
    await bot.send_chat_action(ANNA, "typing")
    assert journal_lines(journal) == [
        {"chat_id": ANNA, "message_id": 2, "method": "sendMessage", "text": "Welkom & fijn"},
        {"chat_id": BERT, "message_id": 1, "method": "sendPhoto", "text": "Foto"},
        {"chat_id": BERT, "message_id": 2, "method": "sendDocument", "text": None},
    ]


async def test_the_journal_is_on_disk_before_the_answer(api, journal, monkeypatch):
    recording = Recording(api.request())
    seen: list[tuple[list[dict], int]] = []
    real_fsync = server_module.os.fsync

    def spying_fsync(fd: int) -> None:
        real_fsync(fd)
        seen.append((journal_lines(journal), len(recording.answers)))

    async with running_bot(api, recording) as instance:
        monkeypatch.setattr(server_module.os, "fsync", spying_fsync)
        await instance.send_message(ANNA, "een")
    assert seen == [
        ([{"chat_id": ANNA, "message_id": 1, "method": "sendMessage", "text": "een"}], 1)
    ]  # one answer so far: getMe's


async def test_a_restarted_server_appends_to_the_journal(journal):
    first = LocalBotApi(journal=journal)
    first.known_chats.add(ANNA)
    async with running_bot(first) as instance:
        await instance.send_message(ANNA, "voor de herstart")
    # A killed process never closes its file; the lines are on disk all the same.
    second = LocalBotApi(journal=str(journal))
    second.known_chats.add(ANNA)
    async with running_bot(second) as instance:
        await instance.send_message(ANNA, "na de herstart")
    first.close()
    second.close()
    assert journal_lines(journal) == [
        {"chat_id": ANNA, "message_id": 1, "method": "sendMessage", "text": "voor de herstart"},
        {"chat_id": ANNA, "message_id": 1, "method": "sendMessage", "text": "na de herstart"},
    ]
