"""Questions to the knowledge base: free text and /vraag, answers with follow-up and feedback
buttons, "bedoelde je…?", /onbeantwoord for coordinators and /herlaad."""

from __future__ import annotations

import asyncio
import secrets
from collections import OrderedDict
from datetime import timedelta

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.access.roles import User
from bot.knowledge import to_matchpunt
from bot.knowledge.asking import Reply, ask
from bot.knowledge.base import Entry
from bot.knowledge.rules_text import region_rules
from bot.knowledge.search import looks_english
from bot.knowledge.unanswered import (
    MAX_GROUPED,
    group_questions,
    record_question,
    record_unanswered,
    visible_questions,
)
from bot.services import reload_knowledge_in_background
from bot.telegram_html import parse_html, utf16_length
from handlers.common import (
    CANCEL_COMMANDS,
    Context,
    button,
    command,
    esc,
    keyboard,
    say,
    services,
    settle,
)
from handlers.common import ask as ask_step
from handlers.steps import Step, just_left_a_step

PREFIX = "kb:"
CB_ANSWER = PREFIX + "a:"
CB_UP = PREFIX + "up:"
CB_DOWN = PREFIX + "down:"
CB_NONE = PREFIX + "geen:"
CB_SUGGESTION = PREFIX + "s:"
# Feedback tokens live in memory only: a vote after a restart is simply no longer counted.
MAX_PENDING = 2000
MAX_BUTTON_LABEL = 60

UNKNOWN = "Dat weet ik niet. Ik geef alleen antwoord als het in de kennisbank van Weer Thuis staat."
ASK_MATCHPUNT = (
    "Je kunt het aan het matchpunt van je regio vragen: een coördinator antwoordt je hier."
)
ASK_MATCHPUNT_ANYWAY = (
    "Je kunt het wel aan het matchpunt van je regio vragen: een coördinator antwoordt je hier."
)
KEPT = "Je vraag is ook zonder je naam bewaard, zodat de kennisbank kan worden aangevuld."
# Nobody at the matchpunt to ask (the asker is the region's only coordinator, or none can be
# reached): no button that would end in "geen coördinator bereikbaar".
NO_MATCHPUNT = "Je vraag is zonder je naam bewaard, zodat de kennisbank kan worden aangevuld."
OUTSIDE = (
    "Over <b>{subject}</b> staat niets in de kennisbank van Weer Thuis: die gaat over het "
    "programma, de afspraken in de regio's en deze bot."
)
ASK_WHAT = (
    "Wat wil je weten? Typ je vraag, bijvoorbeeld: <i>wat is een omklapwoning</i>. "
    "Met /stop stop je."
)
ASK_STOPPED = "Gestopt; je hebt geen vraag gesteld."
ASKED = 0
DID_YOU_MEAN = "Ik weet niet zeker wat je bedoelt. Bedoelde je een van deze vragen?"
WHICH_REGION = "Dat verschilt per regio. Over welke regio gaat je vraag?"
PART_UNANSWERED = "Op dit deel van je vraag heb ik geen antwoord: <i>{part}</i>"
ASK_TIMEOUT = timedelta(minutes=15)
# A follow-up ("en in Emmen?") refers to the question before it for this long.
FOLLOW_UP_WINDOW = timedelta(minutes=30)
# Form (scratch name) → its command.
FORM_COMMANDS = {"kandidaat": "kandidaat", "woning": "woning"}
THANKS_UP = "Dank je!"
THANKS_DOWN = "Dank je. We kijken of het antwoord beter kan."
NOT_FOUND_AFTER_ALL = "Jammer."
CB_MATCHPUNT = PREFIX + "m:"
TO_MATCHPUNT = "❓ Vraag het matchpunt"
EXPIRED = "Deze knop is verlopen. Stel je vraag gerust opnieuw."


def _pending(context: Context) -> OrderedDict:
    return context.bot_data.setdefault("kb_pending", OrderedDict())


def _remember(context: Context, question: str, entry_id: str | None, region: str | None) -> str:
    pending = _pending(context)
    token = secrets.token_hex(4)
    pending[token] = (question, entry_id, region)
    while len(pending) > MAX_PENDING:
        pending.popitem(last=False)
    return token


def _previous(context: Context, user: User, now) -> str | None:
    """The asker's question before this one, if recent: what a follow-up refers to. Kept in
    memory only (a question may hold more than it should)."""
    kept = context.bot_data.get("kb_previous", {}).get(user.telegram_id)
    if kept is None or now - kept[1] > FOLLOW_UP_WINDOW:
        return None
    return kept[0]


def _keep_previous(context: Context, user: User, question: str, now) -> None:
    kept = context.bot_data.setdefault("kb_previous", OrderedDict())
    kept.pop(user.telegram_id, None)
    kept[user.telegram_id] = (question, now)
    while len(kept) > MAX_PENDING:
        kept.popitem(last=False)


def _suggestion_label(svc, entry_id: str, *, region_only: bool = False) -> str:
    entry = svc.kb.entry(entry_id)
    region = svc.kb.regions.get(entry.region) if entry and entry.region else None
    if region_only and region is not None:
        return _label(region.name)
    # An answer about another region says so on its button.
    return _label(f"{region.name}: {entry.question}" if region else entry.question)


def _label(text: str) -> str:
    return text if len(text) <= MAX_BUTTON_LABEL else text[: MAX_BUTTON_LABEL - 1] + "…"


def _answer_text(entry: Entry, user: User, question: str, region_name: str | None = None) -> str:
    english = user.language == "en" or looks_english(question)
    body = entry.answer_en if english and entry.answer_en else entry.answer
    if region_name and region_name.lower() not in _opening(body):
        # A region's own agreement says whose it is: "In IJmond en Zuid-Kennemerland: …".
        body = f"<b>In {esc(region_name)}:</b> {body}"
    source = entry.sources[0] if entry.sources else {}
    cited = source.get("title") or source.get("name") or source.get("seed")
    when = f", {source['date']}" if source.get("date") else ""
    return f"{body}\n\n<i>Bron: {esc(cited)}{esc(when)}</i>" if cited else body


def _opening(html: str) -> str:
    return html[:160].lower()


async def _show_answer(update: Update, context: Context, user: User, entry: Entry, question: str):
    svc = services(context)
    region = svc.kb.regions.get(entry.region) if entry.region else None
    token = _remember(context, question, entry.id, user.region)
    rows = [
        [(_label(target.question), CB_ANSWER + target.id)]
        for target in (svc.kb.entry(i) for i in entry.follow_ups)
        if target is not None
    ]
    rows.append([("👍", CB_UP + token), ("👎", CB_DOWN + token)])
    text = _answer_text(entry, user, question, region.name if region else None)
    await say(update, text, keyboard(rows))


def _open_drafts(context: Context) -> list[str]:
    """The commands of the forms with an unfinished draft."""
    return [
        "/" + FORM_COMMANDS.get(key.removeprefix("form:"), key.removeprefix("form:"))
        for key, value in context.user_data.items()
        if key.startswith("form:") and (value or {}).get("draft")
    ]


async def _reply_to(update: Update, context: Context, user: User, question: str) -> None:
    svc = services(context)
    now = svc.clock.now()
    reply: Reply = ask(
        svc.index, question, region=user.region, previous=_previous(context, user, now)
    )
    # "en in Emmen?" after "en in Assen?" still follows the question both refer to.
    _keep_previous(context, user, reply.follows or reply.question, now)
    result = reply.main
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
    if result.found:
        for part in reply.results:
            await _show_answer(update, context, user, part.entry, reply.question)
        record_unanswered(svc.store, now, reply)
        for part in reply.unanswered:
            markup = _matchpunt_button(context, user, part, result.region)
            await say(update, PART_UNANSWERED.format(part=esc(part)), markup)
        return
    if result.suggestions:
        token = _remember(context, reply.question, None, result.region)
        rows = [
            [
                (
                    _suggestion_label(svc, s.entry_id, region_only=result.which_region),
                    f"{CB_SUGGESTION}{token}:{s.entry_id}",
                )
            ]
            for s in result.suggestions
        ]
        rows.append([("Nee, iets anders", CB_NONE + token)])
        await say(update, WHICH_REGION if result.which_region else DID_YOU_MEAN, keyboard(rows))
        return
    markup = _matchpunt_button(context, user, reply.question, result.region)
    if result.outside:
        # Not kept for the editors: the knowledge base will not cover it.
        text = OUTSIDE.format(subject=esc(result.outside))
        await say(update, _with_next_step(text, markup, outside=True), markup)
        return
    record_unanswered(svc.store, now, reply)
    await say(update, _with_next_step(UNKNOWN, markup), markup)


def _matchpunt_button(context: Context, user: User, question: str, region: str | None):
    """ "Vraag het matchpunt", when there is a matchpunt to ask; else None."""
    if not to_matchpunt.reachable(services(context).store, user):
        return None
    token = _remember(context, question, None, region)
    return keyboard([[(TO_MATCHPUNT, CB_MATCHPUNT + token)]])


def _with_next_step(text: str, markup, *, outside: bool = False) -> str:
    """The text, and what the asker can do next: ask the matchpunt (with its button), or
    know that the question is kept for the editors."""
    if markup is None:
        return text if outside else f"{text}\n\n{NO_MATCHPUNT}"
    if outside:
        return f"{text}\n\n{ASK_MATCHPUNT_ANYWAY}"
    return f"{text}\n\n{ASK_MATCHPUNT} {KEPT}"


@command("vraag")
async def free_question(update: Update, context: Context, user: User) -> None:
    """Any text outside a conversation is a question."""
    await _reply_to(update, context, user, update.message.text)


@command("vraag")
async def ask_command(update: Update, context: Context, user: User) -> int:
    """/vraag <tekst>; /vraag alone asks for the question."""
    question = " ".join(context.args or []).strip()
    if not question:
        await ask_step(update, context, ASK_WHAT)
        return ASKED
    await _reply_to(update, context, user, question)
    return Step.END


@command("vraag")
async def typed_question(update: Update, context: Context, user: User) -> int:
    await settle(update, context, echo=f"<i>{esc(update.message.text)}</i>", under=ASK_WHAT)
    await _reply_to(update, context, user, update.message.text)
    return Step.END


async def stop_asking(update: Update, context: Context) -> int:
    await settle(update, context)
    await say(update, ASK_STOPPED)
    return Step.END


async def left_asking(update: Update, context: Context) -> None:
    return None  # nothing was typed yet, so nothing is lost


async def asking_timed_out(update: Update, context: Context) -> None:
    await say(update, "Je was een tijd niet actief. " + ASK_STOPPED)


@button("vraag")
async def ask_matchpunt(update: Update, context: Context, user: User) -> None:
    """ "Vraag het matchpunt" under "dat weet ik niet": the question goes to the region's
    coordinators."""
    token = update.callback_query.data.removeprefix(CB_MATCHPUNT)
    remembered = _pending(context).pop(token, None)
    await _edit_keyboard_away(update)
    if remembered is None:
        await say(update, EXPIRED)
        return
    svc = services(context)
    region = svc.kb.regions.get(user.region)
    try:
        reply = to_matchpunt.send(
            svc.store, svc.clock.now(), user, remembered[0], region.name if region else user.region
        )
    except to_matchpunt.MatchpuntQuestionError as exc:
        reply = esc(str(exc))
    await say(update, reply)


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
    if remembered is None:
        # The question is gone (a restart, or long ago): nothing was kept, nothing to ask.
        await say(update, f"{NOT_FOUND_AFTER_ALL} Stel je vraag gerust opnieuw.")
        return
    markup = _matchpunt_button(context, user, remembered[0], remembered[2])
    await say(update, _with_next_step(NOT_FOUND_AFTER_ALL, markup).replace("\n\n", " ", 1), markup)


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
    problems = await reload_knowledge_in_background(svc, user.telegram_id)
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
    app.add_handler(CommandHandler("onbeantwoord", unanswered, filters=private))
    app.add_handler(CommandHandler("herlaad", reload, filters=private))
    app.add_handler(CallbackQueryHandler(show_entry, pattern=f"^{CB_ANSWER}"))
    app.add_handler(CallbackQueryHandler(choose_suggestion, pattern=f"^{CB_SUGGESTION}"))
    app.add_handler(CallbackQueryHandler(vote, pattern=f"^({CB_UP}|{CB_DOWN})"))
    app.add_handler(CallbackQueryHandler(none_of_these, pattern=f"^{CB_NONE}"))
    app.add_handler(CallbackQueryHandler(ask_matchpunt, pattern=f"^{CB_MATCHPUNT}"))


def build_handler() -> Step:
    """/vraag without text: one step that waits for the question."""
    private = filters.ChatType.PRIVATE
    return Step(
        name="vraag",
        entry_points=[CommandHandler("vraag", ask_command, filters=private)],
        states={ASKED: [MessageHandler(private & filters.TEXT & ~filters.COMMAND, typed_question)]},
        fallbacks=[CommandHandler(CANCEL_COMMANDS, stop_asking, filters=private)],
        timeout=ASK_TIMEOUT,
        on_leave=left_asking,
        on_expire=asking_timed_out,
        allow_reentry=True,
    )


def register_free_text(app: Application) -> None:
    """Registered after the conversations, so text inside a conversation never lands here."""
    app.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, free_question)
    )
