"""Questions to the knowledge base: free text and /vraag, answers with follow-up and feedback
buttons, "bedoelde je…?", /onbeantwoord for coordinators and /herlaad."""

from __future__ import annotations

import asyncio
import secrets
from collections import OrderedDict

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.access.roles import User
from bot.knowledge.base import Entry
from bot.knowledge.rules_text import region_rules
from bot.knowledge.search import SearchResult, looks_english
from bot.knowledge.unanswered import (
    MAX_GROUPED,
    group_questions,
    record_question,
    visible_questions,
)
from bot.services import reload_knowledge
from bot.telegram_html import parse_html, utf16_length
from handlers.common import Context, button, command, esc, keyboard, say, services
from handlers.steps import just_left_a_step

PREFIX = "kb:"
CB_ANSWER = PREFIX + "a:"
CB_UP = PREFIX + "up:"
CB_DOWN = PREFIX + "down:"
CB_NONE = PREFIX + "geen:"
CB_SUGGESTION = PREFIX + "s:"
# Feedback tokens live in memory only: a vote after a restart is simply no longer counted.
MAX_PENDING = 2000
MAX_BUTTON_LABEL = 60

UNKNOWN = (
    "Dat weet ik niet. Ik geef alleen antwoord als het in de kennisbank van Weer Thuis staat.\n\n"
    "Vraag het na bij de partners in je regio: de gemeente, de woningcorporatie of de "
    "zorgaanbieder. Je vraag is zonder je naam bewaard, zodat de kennisbank kan worden aangevuld."
)
ASK_HOW = "Typ je vraag achter /vraag, bijvoorbeeld: <code>/vraag wat is een omklapwoning</code>"
DID_YOU_MEAN = "Ik weet niet zeker wat je bedoelt. Bedoelde je een van deze vragen?"
# Form (scratch name) → its command.
FORM_COMMANDS = {"kandidaat": "kandidaat", "woning": "woning"}
THANKS_UP = "Dank je!"
THANKS_DOWN = "Dank je. We kijken of het antwoord beter kan."
NOT_FOUND_AFTER_ALL = (
    "Jammer. Vraag het na bij de partners in je regio: de gemeente, de woningcorporatie of de "
    "zorgaanbieder. Je vraag is zonder je naam bewaard, zodat de kennisbank kan worden aangevuld."
)


def _pending(context: Context) -> OrderedDict:
    return context.bot_data.setdefault("kb_pending", OrderedDict())


def _remember(context: Context, question: str, entry_id: str | None, region: str | None) -> str:
    pending = _pending(context)
    token = secrets.token_hex(4)
    pending[token] = (question, entry_id, region)
    while len(pending) > MAX_PENDING:
        pending.popitem(last=False)
    return token


def _suggestion_label(svc, entry_id: str) -> str:
    entry = svc.kb.entry(entry_id)
    region = svc.kb.regions.get(entry.region) if entry and entry.region else None
    # An answer about another region says so on its button.
    return _label(f"{region.name}: {entry.question}" if region else entry.question)


def _label(text: str) -> str:
    return text if len(text) <= MAX_BUTTON_LABEL else text[: MAX_BUTTON_LABEL - 1] + "…"


def _answer_text(entry: Entry, user: User, question: str) -> str:
    english = user.language == "en" or looks_english(question)
    body = entry.answer_en if english and entry.answer_en else entry.answer
    source = entry.sources[0] if entry.sources else {}
    cited = source.get("title") or source.get("name") or source.get("seed")
    when = f", {source['date']}" if source.get("date") else ""
    return f"{body}\n\n<i>Bron: {esc(cited)}{esc(when)}</i>" if cited else body


async def _show_answer(update: Update, context: Context, user: User, entry: Entry, question: str):
    svc = services(context)
    token = _remember(context, question, entry.id, user.region)
    rows = [
        [(_label(target.question), CB_ANSWER + target.id)]
        for target in (svc.kb.entry(i) for i in entry.follow_ups)
        if target is not None
    ]
    rows.append([("👍", CB_UP + token), ("👎", CB_DOWN + token)])
    await say(update, _answer_text(entry, user, question), keyboard(rows))


def _open_drafts(context: Context) -> list[str]:
    """The commands of the forms with an unfinished draft."""
    return [
        "/" + FORM_COMMANDS.get(key.removeprefix("form:"), key.removeprefix("form:"))
        for key, value in context.user_data.items()
        if key.startswith("form:") and (value or {}).get("draft")
    ]


async def _reply_to(update: Update, context: Context, user: User, question: str) -> None:
    svc = services(context)
    result: SearchResult = svc.index.search(question, region=user.region)
    drafts = _open_drafts(context)
    if not result.found and drafts:
        # Probably an answer meant for a form that timed out: it may hold facts about a
        # person, so it is not kept as a question.
        await say(
            update,
            "Dat kan ik niet beantwoorden. Was dit een antwoord voor je onafgemaakte "
            f"aanmelding? Typ {' of '.join(drafts)} om daar verder te gaan.",
        )
        return
    if not result.found and just_left_a_step(context):
        # Text that ended a step, or came right after one timed out (a reason, a name), may
        # hold facts about a person: it is not kept as a question.
        await say(update, "Dat kan ik niet beantwoorden. Typ /help om te zien wat kan.")
        return
    if result.found and result.entry is not None:
        await _show_answer(update, context, user, result.entry, question)
        return
    if result.suggestions:
        token = _remember(context, question, None, result.region)
        rows = [
            [(_suggestion_label(svc, s.entry_id), f"{CB_SUGGESTION}{token}:{s.entry_id}")]
            for s in result.suggestions
        ]
        rows.append([("Nee, iets anders", CB_NONE + token)])
        await say(update, DID_YOU_MEAN, keyboard(rows))
        return
    record_question(svc.store, svc.clock.now(), "unanswered", result.question, result.region)
    await say(update, UNKNOWN)


@command("vraag")
async def free_question(update: Update, context: Context, user: User) -> None:
    """Any text outside a conversation is a question."""
    await _reply_to(update, context, user, update.message.text)


@command("vraag")
async def ask_command(update: Update, context: Context, user: User) -> None:
    """/vraag <tekst>."""
    question = " ".join(context.args or []).strip()
    if not question:
        await say(update, ASK_HOW)
        return
    await _reply_to(update, context, user, question)


@button("vraag")
async def show_entry(update: Update, context: Context, user: User) -> None:
    """A follow-up or suggestion button: show that entry."""
    entry_id = update.callback_query.data.removeprefix(CB_ANSWER)
    entry = services(context).kb.entry(entry_id)
    if entry is None:
        await say(update, "Dit antwoord bestaat niet meer. Stel je vraag gerust opnieuw.")
        return
    await _show_answer(update, context, user, entry, entry.question)


@button("vraag")
async def choose_suggestion(update: Update, context: Context, user: User) -> None:
    """A "bedoelde je…?" choice: show it, and keep the asker's words as a new phrasing."""
    token, _, entry_id = update.callback_query.data.removeprefix(CB_SUGGESTION).partition(":")
    svc = services(context)
    entry = svc.kb.entry(entry_id)
    if entry is None:
        await say(update, "Dit antwoord bestaat niet meer. Stel je vraag gerust opnieuw.")
        return
    remembered = _pending(context).pop(token, None)
    if remembered is not None:
        question, _, region = remembered
        record_question(svc.store, svc.clock.now(), "suggestion", question, region, entry.id)
    await _show_answer(
        update, context, user, entry, remembered[0] if remembered else entry.question
    )


@button("vraag", answer=False)
async def vote(update: Update, context: Context, user: User) -> None:
    """👍/👎 on an answer: thanks in a pop-up, the follow-up questions stay; a 👎 keeps the
    question for the knowledge editors."""
    query = update.callback_query
    down = query.data.startswith(CB_DOWN)
    token = query.data.removeprefix(CB_DOWN if down else CB_UP)
    remembered = _pending(context).pop(token, None)
    if remembered is not None and down:
        svc = services(context)
        question, entry_id, region = remembered
        record_question(svc.store, svc.clock.now(), "downvote", question, region, entry_id)
    await query.answer(THANKS_DOWN if down else THANKS_UP)
    await _drop_votes(update)


@button("vraag")
async def none_of_these(update: Update, context: Context, user: User) -> None:
    """ "Nee, iets anders" under the suggestions: keep the question as unanswered."""
    token = update.callback_query.data.removeprefix(CB_NONE)
    remembered = _pending(context).pop(token, None)
    if remembered is not None:
        svc = services(context)
        question, _, region = remembered
        record_question(svc.store, svc.clock.now(), "unanswered", question, region)
    await _edit_keyboard_away(update)
    await say(update, NOT_FOUND_AFTER_ALL)


async def _drop_votes(update: Update) -> None:
    """Take the 👍/👎 row off the answer; the follow-up questions stay."""
    query = update.callback_query
    if not isinstance(query.message, Message) or query.message.reply_markup is None:
        return
    rows = [
        [b for b in row if not str(b.callback_data or "").startswith((CB_UP, CB_DOWN))]
        for row in query.message.reply_markup.inline_keyboard
    ]
    rows = [row for row in rows if row]
    try:
        await query.edit_message_reply_markup(InlineKeyboardMarkup(rows) if rows else None)
    except TelegramError:  # already without them: nothing to tidy
        return


async def _edit_keyboard_away(update: Update) -> None:
    query = update.callback_query
    if not isinstance(query.message, Message):
        return  # too old for Telegram to show the bot: nothing to tidy
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except TelegramError:  # already without buttons: nothing to tidy
        return


@command("onbeantwoord")
async def unanswered(update: Update, context: Context, user: User) -> None:
    """Unanswered and disliked questions of the caller's region, grouped with counts."""
    svc = services(context)
    visible = visible_questions(svc.store, user)
    rows = [r for r in visible if r["kind"] != "suggestion"]
    rephrased = len(visible) - len(rows)
    if not rows:
        await say(update, "Er zijn geen onbeantwoorde vragen. 🎉")
        return
    groups = await asyncio.to_thread(group_questions, rows)
    lines = [f"<b>Onbeantwoorde en afgekeurde vragen</b> ({len(rows)}, {len(groups)} groepen):"]
    if len(rows) > MAX_GROUPED:
        lines.append(f"(de nieuwste {MAX_GROUPED})")
    for group in groups[:15]:
        extra = f", {group.downvotes}× 👎" if group.downvotes else ""
        lines.append(f"• {group.count}× {esc(group.example[:120])}{extra}")
    if len(groups) > 15:
        lines.append(f"… en nog {len(groups) - 15} groepen (zie weerthuis kb unanswered).")
    if rephrased:
        lines.append(
            f"\n{rephrased} vragen vonden hun antwoord pas via ‘Bedoelde je…?’: goede nieuwe "
            "formuleringen (zie weerthuis kb unanswered)."
        )
    await say(update, "\n".join(lines))


# Telegram refuses a message longer than 4096 characters (counted after the HTML is parsed).
MAX_MESSAGE_CHARS = 4096
MAX_RELOAD_PROBLEMS = 10
MAX_PROBLEM_CHARS = 500
RELOAD_REFUSED = "De kennisbank is <b>niet</b> opnieuw geladen; de vorige blijft in gebruik."


def reload_refused(problems: list[str]) -> str:
    """The /herlaad reply for an invalid knowledge base: the first problems (each cut to
    `MAX_PROBLEM_CHARS`) and how many more, always within one Telegram message."""

    def message(lines: list[str], more: int) -> str:
        noun = "probleem" if more == 1 else "problemen"
        tail = [f"… en nog {more} {noun} (zie weerthuis kb check)"] if more else []
        return "\n".join([RELOAD_REFUSED, "Problemen:", *lines, *tail])

    def fits(text: str) -> bool:
        plain, _ = parse_html(text)  # what Telegram counts; UTF-16 units are never fewer
        return utf16_length(plain) <= MAX_MESSAGE_CHARS

    lines: list[str] = []
    for problem in problems[:MAX_RELOAD_PROBLEMS]:
        if len(problem) > MAX_PROBLEM_CHARS:
            problem = problem[: MAX_PROBLEM_CHARS - 1].rstrip() + "…"
        longer = [*lines, f"• {esc(problem)}"]
        if lines and not fits(message(longer, len(problems) - len(longer))):
            break
        lines = longer
    return message(lines, len(problems) - len(lines))


@command("herlaad")
async def reload(update: Update, context: Context, user: User) -> None:
    """Reload the knowledge base; keep the old one when the new one is invalid."""
    svc = services(context)
    problems = reload_knowledge(svc, user.telegram_id)
    if problems:
        await say(update, reload_refused(problems))
        return
    await say(
        update,
        f"Kennisbank opnieuw geladen: {len(svc.kb.entries)} vragen en antwoorden, "
        f"{len(svc.kb.regions)} regio's.",
    )


@command("regels")
async def rules(update: Update, context: Context, user: User) -> None:
    """/regels: the caller's region's allocation rules, from the region file."""
    svc = services(context)
    await say(update, region_rules(svc.kb, user, svc.clock.now().date()))


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("regels", rules, filters=private))
    app.add_handler(CommandHandler("vraag", ask_command, filters=private))
    app.add_handler(CommandHandler("onbeantwoord", unanswered, filters=private))
    app.add_handler(CommandHandler("herlaad", reload, filters=private))
    app.add_handler(CallbackQueryHandler(show_entry, pattern=f"^{CB_ANSWER}"))
    app.add_handler(CallbackQueryHandler(choose_suggestion, pattern=f"^{CB_SUGGESTION}"))
    app.add_handler(CallbackQueryHandler(vote, pattern=f"^({CB_UP}|{CB_DOWN})"))
    app.add_handler(CallbackQueryHandler(none_of_these, pattern=f"^{CB_NONE}"))


def register_free_text(app: Application) -> None:
    """Registered after the conversations, so text inside a conversation never lands here."""
    app.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, free_question)
    )
