"""Tests of the in-process Telegram Bot API (bot/localapi/server.py), driven through real PTB objects."""

from __future__ import annotations

import asyncio
import html
import re
import time
from datetime import UTC, datetime

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    MenuButtonCommands,
    MessageEntity,
    Update,
)
from telegram.constants import ChatAction
from telegram.error import BadRequest, Conflict, EndPointNotFound, Forbidden
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    ExtBot,
    MessageHandler,
    filters,
)

from bot.clock import ManualClock
from bot.localapi.server import Button, LocalBotApi, Output, load_spec, parse_html

USER = 424242
START = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)


def keyboard(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


@pytest.fixture
def api() -> LocalBotApi:
    return LocalBotApi(clock=ManualClock(start=START))


@pytest.fixture
async def bot(api: LocalBotApi):
    instance = Bot(api.token, request=api.request(), get_updates_request=api.request())
    await instance.initialize()
    yield instance
    await instance.shutdown()


@pytest.fixture
def user(api: LocalBotApi) -> int:
    api.send_text(USER, "hallo", first_name="Anna")
    return USER


async def rejected(api: LocalBotApi, call, error=BadRequest) -> str:
    """Run a PTB call that must fail; return the server's exact description."""
    before = len(api.rejected)
    with pytest.raises(error):
        await call
    assert len(api.rejected) == before + 1
    return api.rejected[-1][1]


async def wait_for(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.01)


# ------------------------------------------------------------------------------------ basics


def test_spec_is_loaded_once():
    assert load_spec() is load_spec()
    assert "sendMessage" in load_spec()["methods"]


async def test_get_me_and_token(api: LocalBotApi, bot: Bot):
    assert re.fullmatch(r"7000000001:LOCAL[0-9a-f]{30}", api.token)
    assert bot.username == "WeerThuisBot"
    assert bot.first_name == "Weer Thuis"
    assert bot.id == 7000000001
    assert api.calls[0] == ("getMe", {})


async def test_send_message_roundtrip(api: LocalBotApi, bot: Bot, user: int):
    message = await bot.send_message(
        user,
        "<b>Hallo</b> &amp; <i>welkom</i>!",
        parse_mode="HTML",
        reply_markup=keyboard([("Ja", "yes"), ("Nee", "no")]),
    )
    assert message.text == "Hallo & welkom!"
    assert message.entities == (
        MessageEntity("bold", 0, 5),
        MessageEntity("italic", 8, 6),
    )
    assert message.chat.id == user
    assert message.chat.first_name == "Anna"
    assert message.from_user.id == bot.id
    assert message.date == START
    assert message.message_id == 2  # the user's "hallo" was message 1 in this chat
    assert message.reply_markup == keyboard([("Ja", "yes"), ("Nee", "no")])
    out = api.outputs[-1]
    assert out == Output(
        to=user,
        kind="message",
        text="Hallo & welkom!",
        buttons=[[Button("Ja", "yes"), Button("Nee", "no")]],
        message_id=2,
        html="<b>Hallo</b> &amp; <i>welkom</i>!",
    )
    assert out.as_json() == {
        "to": user,
        "kind": "message",
        "text": "Hallo & welkom!",
        "buttons": [["Ja", "Nee"]],
    }
    current = api.current_message(user, 2)
    assert current is not None
    assert current["text"] == "Hallo & welkom!"
    assert current["reply_markup"]["inline_keyboard"][0][1]["callback_data"] == "no"


async def test_listener_sees_every_output(api: LocalBotApi, bot: Bot, user: int):
    seen: list[Output] = []
    api.add_listener(seen.append)
    await bot.send_message(user, "een")
    await bot.send_message(user, "twee")
    assert [o.text for o in seen] == ["een", "twee"]
    assert seen == api.outputs


# ------------------------------------------------------------------------- text limits


async def test_text_of_4097_characters_is_rejected(api: LocalBotApi, bot: Bot, user: int):
    description = await rejected(api, bot.send_message(user, "x" * 4097))
    assert description == "Bad Request: message is too long"


async def test_text_of_4096_characters_is_accepted(api: LocalBotApi, bot: Bot, user: int):
    message = await bot.send_message(user, "x" * 4096)
    assert len(message.text) == 4096


async def test_html_counts_the_parsed_text(api: LocalBotApi, bot: Bot, user: int):
    raw = "<b>" + "x" * 4000 + "</b>" + "&lt;" * 96
    assert len(raw) > 4096
    message = await bot.send_message(user, raw, parse_mode="HTML")
    assert len(message.text) == 4096
    too_long = "<b>" + "x" * 4000 + "</b>" + "&lt;" * 97
    description = await rejected(api, bot.send_message(user, too_long, parse_mode="HTML"))
    assert description == "Bad Request: message is too long"


async def test_empty_text_is_rejected(api: LocalBotApi, bot: Bot, user: int):
    description = await rejected(api, bot.send_message(user, "<b> </b>", parse_mode="HTML"))
    assert description == "Bad Request: message text is empty"


async def test_caption_over_1024_is_rejected(api: LocalBotApi, bot: Bot, user: int):
    call = bot.send_photo(user, b"\xff\xd8\xff", caption="c" * 1025)
    assert await rejected(api, call) == "Bad Request: message caption is too long"
    await bot.send_photo(
        user, b"\xff\xd8\xff", caption="<i>" + "c" * 1024 + "</i>", parse_mode="HTML"
    )


# --------------------------------------------------------------------------- keyboards


async def test_callback_data_of_65_bytes_is_rejected(api: LocalBotApi, bot: Bot, user: int):
    call = bot.send_message(user, "kies", reply_markup=keyboard([("A", "a" * 65)]))
    assert await rejected(api, call) == "Bad Request: BUTTON_DATA_INVALID"


async def test_callback_data_counts_bytes_not_characters(api: LocalBotApi, bot: Bot, user: int):
    data = "é€" * 22  # 44 characters, but 110 bytes in UTF-8
    assert len(data) < 64 < len(data.encode())
    call = bot.send_message(user, "kies", reply_markup=keyboard([("A", data)]))
    assert await rejected(api, call) == "Bad Request: BUTTON_DATA_INVALID"


async def test_callback_data_of_64_bytes_is_accepted(api: LocalBotApi, bot: Bot, user: int):
    for data in ("a" * 64, "é" * 32):
        message = await bot.send_message(user, "kies", reply_markup=keyboard([("A", data)]))
        assert message.reply_markup.inline_keyboard[0][0].callback_data == data


async def test_bad_buttons_are_rejected(api: LocalBotApi, bot: Bot, user: int):
    no_action = {"inline_keyboard": [[{"text": "A"}]]}
    call = bot._post("sendMessage", {"chat_id": user, "text": "x", "reply_markup": no_action})
    assert (
        await rejected(api, call)
        == "Bad Request: text buttons are unallowed in the inline keyboard"
    )
    empty_label = keyboard([("", "a")])
    call = bot.send_message(user, "x", reply_markup=empty_label)
    assert (
        await rejected(api, call)
        == "Bad Request: text buttons are unallowed in the inline keyboard"
    )
    unknown = {"inline_keyboard": [[{"text": "A", "callback_data": "a", "colour": "red"}]]}
    call = bot._post("sendMessage", {"chat_id": user, "text": "x", "reply_markup": unknown})
    assert await rejected(api, call) == (
        'Bad Request: unknown field "reply_markup.inline_keyboard[0][0].colour"'
    )
    many = InlineKeyboardMarkup(
        [[InlineKeyboardButton(str(i), callback_data=str(i))] for i in range(101)]
    )
    assert await rejected(api, bot.send_message(user, "x", reply_markup=many)) == (
        "Bad Request: reply markup is too long"
    )


# ------------------------------------------------------------------- spec validation


async def test_unknown_parameter_is_rejected(api: LocalBotApi, bot: Bot, user: int):
    call = bot.send_message(user, "x", api_kwargs={"foo": 1})
    assert await rejected(api, call) == 'Bad Request: unknown parameter "foo"'
    call = bot._post("sendMessage", {"chat_id": user, "text": "x", "foo": 1})
    assert await rejected(api, call) == 'Bad Request: unknown parameter "foo"'


async def test_wrong_type_and_missing_parameter(api: LocalBotApi, bot: Bot, user: int):
    call = bot._post("sendMessage", {"chat_id": user, "text": 5})
    assert await rejected(api, call) == 'Bad Request: parameter "text" must be of type String'
    call = bot._post("sendMessage", {"chat_id": True, "text": "x"})
    assert await rejected(api, call) == (
        'Bad Request: parameter "chat_id" must be of type Integer or String'
    )
    call = bot._post("pinChatMessage", {"chat_id": user})
    assert await rejected(api, call) == 'Bad Request: parameter "message_id" is required'
    call = bot._post("sendMessage", {"chat_id": user})
    assert await rejected(api, call) == "Bad Request: message text is empty"


async def test_unknown_method_is_not_found(api: LocalBotApi, bot: Bot):
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("fooBar")
    assert api.rejected[-1] == ("fooBar", "Not Found")


async def test_other_spec_methods_are_validated_and_accepted(api: LocalBotApi, bot: Bot):
    assert await bot.set_chat_title(-100123, "Team") is True
    assert api.calls[-1] == ("setChatTitle", {"chat_id": -100123, "title": "Team"})
    description = await rejected(api, bot.set_chat_title(-100123, "t" * 129))
    assert description == 'Bad Request: parameter "title" must be 1-128 characters long'


# ---------------------------------------------------------------------------- HTML


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("&nbsp;", 'Unsupported HTML entity "&nbsp;" at byte offset 0'),
        ("é <b>x</i>", 'Unmatched end tag at byte offset 7, expected "</b>", found "</i>"'),
        ("x</b>", 'Unexpected end tag "</b>" at byte offset 1'),
        ("<a>x</a>", 'Tag "a" must have attribute "href" at byte offset 0'),
        ('<span class="red">x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b", "Unclosed start tag at byte offset 0"),
    ],
)
async def test_broken_html_is_rejected(api: LocalBotApi, bot: Bot, user: int, raw, reason):
    description = await rejected(api, bot.send_message(user, raw, parse_mode="HTML"))
    assert description == f"Bad Request: can't parse entities: {reason}"


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("a &lt; b", "a < b"),
        ('<a href="https://x.nl">x</a>', "x"),
        ("a & b &#33; &#x41; &quot;q&quot; a > b", 'a & b ! A "q" a > b'),
        ('<span class="tg-spoiler">s</span> <tg-spoiler>t</tg-spoiler>', "s t"),
        ('<pre><code class="language-python">x = 1</code></pre>', "x = 1"),
        ("<blockquote expandable>q</blockquote><STRONG>s</STRONG>", "qs"),
    ],
)
async def test_valid_html_is_accepted(api: LocalBotApi, bot: Bot, user: int, raw, text):
    message = await bot.send_message(user, raw, parse_mode="HTML")
    assert message.text == text
    assert api.outputs[-1].text == text
    assert api.outputs[-1].html == raw


def test_parse_html_entities_use_utf16_offsets():
    text, entities = parse_html('😀 <b>vet</b> <a href="https://x.nl?a=1&amp;b=2">link</a>')
    assert text == "😀 vet link"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 3},
        {"type": "text_link", "offset": 7, "length": 4, "url": "https://x.nl?a=1&b=2"},
    ]
    _, entities = parse_html('<pre><code class="language-py">x</code></pre>')
    assert entities == [{"type": "pre", "offset": 0, "length": 1, "language": "py"}]


# ---------------------------------------------------------------------------- edits


async def test_edit_message(api: LocalBotApi, bot: Bot, user: int):
    sent = await bot.send_message(user, "vraag", reply_markup=keyboard([("A", "a")]))
    edited = await bot.edit_message_text(
        "<b>antwoord</b>", user, sent.message_id, parse_mode="HTML"
    )
    assert edited.text == "antwoord"
    assert edited.reply_markup is None  # an edit without reply_markup removes the keyboard
    assert api.outputs[-1] == Output(
        to=user,
        kind="edit",
        text="antwoord",
        buttons=[],
        message_id=sent.message_id,
        html="<b>antwoord</b>",
    )
    again = bot.edit_message_text("<b>antwoord</b>", user, sent.message_id, parse_mode="HTML")
    assert await rejected(api, again) == (
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message"
    )
    # same text but different formatting is a modification
    await bot.edit_message_text("antwoord", user, sent.message_id)
    markup = keyboard([("B", "b")])
    await bot.edit_message_reply_markup(user, sent.message_id, reply_markup=markup)
    assert api.outputs[-1].buttons == [[Button("B", "b")]]
    assert api.outputs[-1].text == "antwoord"
    same = bot.edit_message_reply_markup(user, sent.message_id, reply_markup=markup)
    assert (await rejected(api, same)).startswith("Bad Request: message is not modified")


async def test_edit_or_delete_missing_message(api: LocalBotApi, bot: Bot, user: int):
    call = bot.edit_message_text("x", user, 999)
    assert await rejected(api, call) == "Bad Request: message to edit not found"
    call = bot.edit_message_text("x", user, 1)  # the user's own message
    assert await rejected(api, call) == "Bad Request: message can't be edited"
    sent = await bot.send_message(user, "weg")
    assert await bot.delete_message(user, sent.message_id) is True
    assert api.current_message(user, sent.message_id) is None
    call = bot.delete_message(user, sent.message_id)
    assert await rejected(api, call) == "Bad Request: message to delete not found"


# ---------------------------------------------------------------- callback queries


async def test_press_and_answer_callback_query(api: LocalBotApi, bot: Bot, user: int):
    sent = await bot.send_message(user, "kies", reply_markup=keyboard([("A", "a"), ("B", "b")]))
    await bot.edit_message_text(
        "kies opnieuw", user, sent.message_id, reply_markup=keyboard([("C", "c")])
    )
    update_id = api.press_button(user, "c")
    updates = await bot.get_updates(offset=update_id)
    query = updates[0].callback_query
    assert query.data == "c"
    assert query.message.text == "kies opnieuw"  # the message as it is now
    assert query.from_user.first_name == "Anna"
    assert await query.answer("Gekozen!", show_alert=True) is True
    assert api.outputs[-1] == Output(
        to=user,
        kind="callback_answer",
        text="Gekozen!",
        buttons=[],
        message_id=sent.message_id,
        show_alert=True,
    )
    assert await rejected(api, query.answer()) == (
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    )
    assert await rejected(api, bot.answer_callback_query("12345")) == (
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    )


async def test_answer_without_text_records_no_output(api: LocalBotApi, bot: Bot, user: int):
    sent = await bot.send_message(user, "kies", reply_markup=keyboard([("A", "a")]))
    api.press(user, sent.message_id, "a")
    query = (await bot.get_updates())[-1].callback_query
    count = len(api.outputs)
    await query.answer()
    assert len(api.outputs) == count
    api.press(user, sent.message_id, "a")
    query = (await bot.get_updates(offset=api.last_update_id))[-1].callback_query
    assert await rejected(api, query.answer("x" * 201)) == "Bad Request: MESSAGE_TOO_LONG"


async def test_press_button_by_number_and_errors(api: LocalBotApi, bot: Bot, user: int):
    with pytest.raises(ValueError, match="no message with inline buttons"):
        api.press_button(user, "A")
    await bot.send_message(user, "oud", reply_markup=keyboard([("Oud", "old")]))
    await bot.send_message(user, "kies", reply_markup=keyboard([("A", "a")], [("B", "b")]))
    await bot.send_message(user, "geen knoppen")
    api.press_button(user, "2")
    api.press_button(user, "A")
    with pytest.raises(ValueError, match='no button "Oud"'):
        api.press_button(user, "Oud")
    await bot.send_message(
        user, "nav", reply_markup=keyboard([("⬅️ Terug", "back"), ("✖️ Annuleren", "cancel")])
    )
    api.press_button(user, "terug")
    api.press_button(user, "✖️ Annuleren")
    await bot.send_message(user, "twee", reply_markup=keyboard([("Ja!", "y1"), ("ja?", "y2")]))
    with pytest.raises(ValueError, match="ambiguous"):
        api.press_button(user, "ja")
    with pytest.raises(ValueError, match="does not exist"):
        api.press(user, 999, "a")
    data = [u.callback_query.data for u in await bot.get_updates() if u.callback_query]
    assert data == ["b", "a", "back", "cancel"]


async def test_press_button_goes_by_the_printed_number_then_the_label(
    api: LocalBotApi, bot: Bot, user: int
):
    # Numbered as printed: "3" is the third button, not the button labelled "3".
    await bot.send_message(
        user, "kamers", reply_markup=keyboard([("Begane grond", "g"), ("1", "1"), ("3", "3")])
    )
    api.press_button(user, "3")
    with pytest.raises(ValueError, match="no button 4"):
        api.press_button(user, "4")
    await bot.send_message(
        user,
        "kies",
        reply_markup=keyboard(
            [("ℹ️ Uitleg", "help")],
            [("Coördinator", "coord")],
            [("🅿️ Bewaren, WT-IZK-0001 wijzigen", "park")],
            [("Bewerken", "edit")],
        ),
    )
    api.press_button(user, "Uitleg")  # emoji and case ignored
    api.press_button(user, "coordinator")  # accents ignored
    api.press_button(user, "Bewaren")  # a unique start of a label
    with pytest.raises(ValueError, match="ambiguous"):
        api.press_button(user, "Bew")
    data = [u.callback_query.data for u in await bot.get_updates() if u.callback_query]
    assert data == ["3", "help", "coord", "park"]


# -------------------------------------------------------------------- chats, files


async def test_send_to_unknown_user_is_forbidden(api: LocalBotApi, bot: Bot):
    with pytest.raises(Forbidden):
        await bot.send_message(999, "hallo")
    assert api.rejected[-1] == (
        "sendMessage",
        "Forbidden: bot can't initiate conversation with a user",
    )
    assert await rejected(api, bot.send_message(-100999, "x")) == "Bad Request: chat not found"
    assert await rejected(api, bot.send_message("@iemand", "x")) == "Bad Request: chat not found"


async def test_document_upload_is_recorded(api: LocalBotApi, bot: Bot, user: int):
    message = await bot.send_document(user, b"a;b\n1;2\n", filename="export.csv", caption="Export")
    assert message.document.file_name == "export.csv"
    assert message.document.file_size == 8
    assert message.caption == "Export"
    assert api.documents == [(user, "export.csv", b"a;b\n1;2\n")]
    out = api.outputs[-1]
    assert out.kind == "document"
    assert out.as_json() == {
        "to": user,
        "kind": "document",
        "text": "Export",
        "buttons": [],
        "file_name": "export.csv",
    }


async def test_user_files_can_be_downloaded(api: LocalBotApi, bot: Bot, user: int):
    api.send_document(user, "lijst.txt", b"inhoud")
    api.send_photo(user, caption="foto")
    updates = await bot.get_updates()
    document = updates[-2].message.document
    assert document.file_name == "lijst.txt"
    assert document.mime_type == "text/plain"
    file = await document.get_file()
    assert bytes(await file.download_as_bytearray()) == b"inhoud"
    photo = updates[-1].message
    assert photo.caption == "foto"
    assert photo.text is None
    assert len(photo.photo) == 2


# ------------------------------------------------------------------------ commands


async def test_set_my_commands(api: LocalBotApi, bot: Bot):
    call = bot.set_my_commands([BotCommand("Start", "Begin")])
    assert await rejected(api, call) == "Bad Request: BOT_COMMAND_INVALID"
    call = bot.set_my_commands([BotCommand("start", "")])
    assert await rejected(api, call) == "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"
    await bot.set_my_commands([BotCommand("start", "Begin"), BotCommand("help", "Hulp")])
    await bot.set_my_commands([BotCommand("start", "Start")], language_code="en")
    await bot.set_my_commands(
        [BotCommand("admin", "Beheer")], scope=BotCommandScopeChat(USER), language_code="nl"
    )
    await bot.set_my_commands([BotCommand("x", "y")], scope=BotCommandScopeAllPrivateChats())
    assert api.commands == {
        ("default", None, ""): [("start", "Begin"), ("help", "Hulp")],
        ("default", None, "en"): [("start", "Start")],
        ("chat", USER, "nl"): [("admin", "Beheer")],
        ("all_private_chats", None, ""): [("x", "y")],
    }
    got = await bot.get_my_commands(scope=BotCommandScopeChat(USER), language_code="nl")
    assert got == (BotCommand("admin", "Beheer"),)
    await bot.delete_my_commands(scope=BotCommandScopeAllPrivateChats())
    assert ("all_private_chats", None, "") not in api.commands


# ------------------------------------------------------------------------ polling


async def test_get_updates_wakes_up_when_an_update_arrives(api: LocalBotApi, bot: Bot):
    task = asyncio.create_task(bot.get_updates(timeout=30))
    await asyncio.sleep(0.05)
    assert not task.done()
    update_id = api.send_text(USER, "/start abc123", first_name="Bo")
    # Woken by the update, long before its 30-second poll would have ended.
    updates = await asyncio.wait_for(task, 5)
    assert [u.update_id for u in updates] == [update_id]
    message = updates[0].message
    assert message.text == "/start abc123"
    assert message.entities == (MessageEntity("bot_command", 0, 6),)
    assert message.from_user.language_code == "nl"
    assert api.injected_count == 1
    assert api.last_update_id == update_id
    assert USER in api.known_chats
    # acknowledging with a higher offset drops it
    assert await bot.get_updates(offset=update_id + 1, timeout=0) == ()


async def test_a_second_poller_ends_the_first_with_a_conflict(api: LocalBotApi, bot: Bot):
    first = asyncio.create_task(bot.get_updates(timeout=30))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(bot.get_updates(timeout=30))
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await asyncio.wait_for(first, 2)
    api.send_text(USER, "hoi")
    assert len(await asyncio.wait_for(second, 2)) == 1


async def test_user_name_is_remembered(api: LocalBotApi, bot: Bot):
    api.send_text(USER, "een", first_name="Anna", language_code="en")
    api.send_text(USER, "twee")
    second = (await bot.get_updates())[-1].message
    assert second.from_user.first_name == "Anna"
    assert second.from_user.language_code == "en"
    assert second.chat.first_name == "Anna"


async def test_markdown_is_accepted_as_is(api: LocalBotApi, bot: Bot, user: int):
    message = await bot.send_message(user, "*vet*", parse_mode="MarkdownV2")
    assert message.text == "*vet*"
    assert api.outputs[-1].html is None


async def test_get_updates_times_out_empty(bot: Bot):
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert time.monotonic() - started >= 0.9  # it waited for the poll's timeout


async def test_webhook_blocks_get_updates(api: LocalBotApi, bot: Bot):
    assert await bot.set_webhook("https://example.org/hook") is True
    assert (await bot.get_webhook_info()).url == "https://example.org/hook"
    with pytest.raises(Conflict):
        await bot.get_updates()
    await bot.delete_webhook()
    assert await bot.get_updates() == ()


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(
        f"<b>Echo:</b> {html.escape(update.message.text)}",
        parse_mode="HTML",
        reply_markup=keyboard([("Nog eens", "again")]),
    )


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(f"Welkom, code {' '.join(context.args)}")


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.callback_query.answer("Oké")
    await update.callback_query.edit_message_text("Gedaan")


async def test_application_runs_with_polling(api: LocalBotApi):
    app = (
        ApplicationBuilder()
        .token(api.token)
        .request(api.request())
        .get_updates_request(api.request())
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(CallbackQueryHandler(on_button))
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        api.send_text(USER, "/start XYZ")
        await wait_for(lambda: len(api.outputs) == 1)
        api.send_text(USER, "a < b")
        await wait_for(lambda: len(api.outputs) == 2)
        api.press_button(USER, "Nog eens")
        await wait_for(lambda: len(api.outputs) == 4)
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    assert [o.as_json() for o in api.outputs] == [
        {"to": USER, "kind": "message", "text": "Welkom, code XYZ", "buttons": []},
        {"to": USER, "kind": "message", "text": "Echo: a < b", "buttons": [["Nog eens"]]},
        {"to": USER, "kind": "callback_answer", "text": "Oké", "buttons": []},
        {"to": USER, "kind": "edit", "text": "Gedaan", "buttons": []},
    ]
    assert api.outputs[1].html == "<b>Echo:</b> a &lt; b"
    assert api.rejected == []


# ------------------------------------------------ legitimate PTB calls all pass validation


@pytest.mark.parametrize("variant", ["bot", "extbot", "extbot-defaults"])
async def test_legitimate_ptb_calls_pass(api: LocalBotApi, variant: str):
    requests = {"request": api.request(), "get_updates_request": api.request()}
    if variant == "bot":
        instance = Bot(api.token, **requests)
    elif variant == "extbot":
        instance = ExtBot(api.token, **requests)
    else:
        defaults = Defaults(
            parse_mode="HTML",
            disable_notification=True,
            protect_content=True,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            allow_sending_without_reply=True,
        )
        instance = ExtBot(api.token, defaults=defaults, **requests)
    async with instance as b:
        await b.get_me()
        await b.delete_webhook(drop_pending_updates=True)
        await b.set_webhook("https://example.org/hook", secret_token="s3cret", allowed_updates=[])
        await b.get_webhook_info()
        await b.delete_webhook()
        api.send_text(USER, "hoi")
        updates = await b.get_updates(offset=0, limit=10, timeout=0, allowed_updates=["message"])
        assert len(updates) == 1
        sent = await b.send_message(
            USER,
            "<b>Hoi</b>",
            parse_mode="HTML",
            reply_markup=keyboard([("A", "a")]),
            reply_to_message_id=updates[0].message.message_id,
            disable_notification=True,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )
        await sent.edit_text("<i>Hoi</i>", parse_mode="HTML", reply_markup=keyboard([("B", "b")]))
        await b.edit_message_reply_markup(USER, sent.message_id, reply_markup=None)
        api.press(USER, sent.message_id, "b")
        query = (await b.get_updates(offset=updates[0].update_id + 1, allowed_updates=[]))[
            0
        ].callback_query
        await b.answer_callback_query(query.id, text="ok", show_alert=False, cache_time=0)
        photo = await b.send_photo(USER, b"\xff\xd8\xff", caption="<b>foto</b>", parse_mode="HTML")
        await photo.edit_caption("<i>foto</i>", parse_mode="HTML")
        await b.send_document(USER, b"data", filename="d.txt", caption="doc")
        await b.send_chat_action(USER, ChatAction.TYPING)
        await b.set_my_commands([BotCommand("start", "Begin")], scope=BotCommandScopeChat(USER))
        await b.get_my_commands(scope=BotCommandScopeChat(USER))
        await b.delete_my_commands(scope=BotCommandScopeChat(USER))
        await b.set_my_description("Beschrijving", language_code="nl")
        await b.set_my_short_description("Kort")
        await b.set_chat_menu_button(USER, MenuButtonCommands())
        await b.set_chat_menu_button()
        await b.delete_message(USER, sent.message_id)
        await b.close()
        await b.log_out()
    assert api.rejected == []
    edit = next(params for method, params in api.calls if method == "editMessageText")
    assert "disable_notification" not in edit  # ExtBot+Defaults sends it; Telegram ignores it
    methods = {method for method, _ in api.calls}
    assert methods >= {
        "getMe", "getUpdates", "deleteWebhook", "setWebhook", "getWebhookInfo", "close", "logOut",
        "sendMessage", "editMessageText", "editMessageReplyMarkup", "deleteMessage",
        "answerCallbackQuery", "sendPhoto", "sendDocument", "sendChatAction", "setMyCommands",
        "deleteMyCommands", "getMyCommands", "setMyDescription", "setMyShortDescription",
        "setChatMenuButton",
    }  # fmt: skip
