""" "Beantwoorden" on a question for the matchpunt (kb:b:<id>): one typed step for the
coordinator's answer, which goes back to the asker and stays as a draft entry."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.access.roles import NotAllowedError, User
from bot.knowledge import to_matchpunt
from handlers.common import (
    CANCEL_COMMANDS,
    Context,
    ask,
    button,
    command,
    esc,
    keyboard,
    say,
    say_stored,
    services,
    settle,
)
from handlers.steps import Step, TypedStepExits

TYPED = 0
PENDING = "matchpunt_antwoord"
STEP_TIMEOUT = timedelta(minutes=30)
CANCEL = to_matchpunt.ANSWER + "x"
NOT_YOURS = "Deze vraag is voor de coördinatoren van een andere regio; er is niets veranderd."
STALE = "Deze knop is niet meer geldig."
STOPPED = "Gestopt; de vraag staat nog open."
PROMPT = (
    "Typ je antwoord op de vraag <i>{question}</i>\n\n"
    "Het gaat naar de vrager en wordt bewaard als concept voor de kennisbank: schrijf het "
    "zonder namen of andere persoonsgegevens."
)


def _question_id(data: str) -> int | None:
    raw = data.removeprefix(to_matchpunt.ANSWER)
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def _cancel_button():
    return keyboard([[("✖️ Annuleren", CANCEL)]])


@button("onbeantwoord")
async def on_press(update: Update, context: Context, user: User) -> int:
    question_id = _question_id(update.callback_query.data or "")
    if question_id is None:
        await say(update, STALE)
        return Step.END
    try:
        row = to_matchpunt.check_open(services(context).store, user, question_id)
    except NotAllowedError:
        await say(update, NOT_YOURS)
        return Step.END
    except to_matchpunt.MatchpuntQuestionError as exc:
        await say(update, esc(str(exc)))
        return Step.END
    context.user_data[PENDING] = {"id": question_id, "question": row["question"]}
    await ask(update, context, PROMPT.format(question=esc(row["question"])), _cancel_button())
    return TYPED


@command("onbeantwoord")
async def on_typed(update: Update, context: Context, user: User) -> int:
    pending = context.user_data.get(PENDING) or {}
    if not pending:
        return Step.END
    text = update.message.text or ""
    svc = services(context)
    prompt = PROMPT.format(question=esc(pending["question"]))
    try:
        reply = to_matchpunt.answer(svc.store, svc.clock.now(), user, pending["id"], text)
    except NotAllowedError:
        context.user_data.pop(PENDING, None)
        await say(update, NOT_YOURS)
        return Step.END
    except to_matchpunt.MatchpuntQuestionError as exc:
        if to_matchpunt.is_about_the_text(exc):
            await ask(update, context, f"⚠️ {esc(str(exc))}\n\n{prompt}", _cancel_button())
            return TYPED
        context.user_data.pop(PENDING, None)
        await say(update, esc(str(exc)))
        return Step.END
    context.user_data.pop(PENDING, None)
    await settle(update, context, echo=f"<i>{esc(' '.join(text.split()))}</i>", under=prompt)
    await say_stored(update, context, reply)
    return Step.END


_EXITS = TypedStepExits(PENDING, STOPPED)
stop, left, timed_out = _EXITS.stop, _EXITS.left, _EXITS.timed_out


def build_handler() -> Step:
    private = filters.ChatType.PRIVATE
    # The answer is free text: one phrased as a question is still the answer.
    typed = private & filters.TEXT & ~filters.COMMAND
    return Step(
        name="matchpunt-antwoord",
        entry_points=[CallbackQueryHandler(on_press, pattern=r"^kb:b:\d{1,9}$")],
        states={
            TYPED: [
                MessageHandler(typed, on_typed),
                CallbackQueryHandler(stop, pattern=f"^{CANCEL}$"),
            ]
        },
        fallbacks=[CommandHandler(CANCEL_COMMANDS, stop, filters=private)],
        timeout=STEP_TIMEOUT,
        on_leave=left,
        on_expire=timed_out,
        allow_reentry=True,
    )
