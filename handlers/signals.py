"""Samen oplossen in chat: a signal's buttons (s|…): "Ik pak dit op", "Afgerond" with an
outcome, the note of the one who raised it (one typed step), and /signalen."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.access.roles import NotAllowedError, User
from bot.aftercare import signals
from bot.records.registry import InvalidRecordError
from handlers.common import (
    CANCEL_COMMANDS,
    Context,
    ask,
    button,
    command,
    esc,
    keyboard,
    say,
    say_outcome,
    say_stored,
    services,
    settle,
)
from handlers.steps import Step, TypedStepExits

TYPED = 0
PENDING = "signaal"
STEP_TIMEOUT = timedelta(minutes=15)
NOT_YOURS = "Deze knop is niet voor jou; er is niets veranderd."
STALE = "Deze knop is niet meer geldig."
CANCEL = "c"
QUESTION = (
    "Typ een korte toelichting voor het matchpunt en de corporatie: wat speelt er en wat is "
    "er nodig? Zonder namen of andere persoonsgegevens."
)
STOPPED = "Gestopt; er is geen toelichting toegevoegd."
# /signalen lists at most this many (Telegram's 4,096 characters and 100 buttons).
MAX_LISTED = 20


def _parse(data: str) -> tuple[str, int, str] | None:
    parts = data.split("|")
    if len(parts) not in (3, 4):
        return None
    if not (parts[2].isascii() and parts[2].isdigit() and len(parts[2]) < 10):
        return None
    return parts[1], int(parts[2]), parts[3] if len(parts) == 4 else ""


@button("signalen")
async def on_press(update: Update, context: Context, user: User) -> int:
    parsed = _parse(update.callback_query.data or "")
    if parsed is None:
        await say(update, STALE)
        return Step.END
    action, signal_id, extra = parsed
    svc = services(context)
    store, now = svc.store, svc.clock.now()
    query = update.callback_query
    try:
        if action == signals.TAKE:
            reply = signals.take(store, now, user, signal_id)
            signal = signals.check(store, user, signal_id)
            await say_outcome(update, context, reply, keyboard(signals.buttons(signal)))
        elif action == signals.DONE:
            signals.check_open(store, user, signal_id)
            await query.edit_message_reply_markup(keyboard(signals.outcome_buttons(signal_id)))
        elif action == signals.BACK:
            signal = signals.check_open(store, user, signal_id)
            await query.edit_message_reply_markup(keyboard(signals.buttons(signal)))
        elif action == signals.OUTCOME:
            await say_outcome(update, context, signals.close(store, now, user, signal_id, extra))
        elif action == signals.VIEW:
            text, rows = signals.card(store, user, signal_id, now)
            await say(update, text, keyboard(rows))
        elif action == signals.NOTE:
            signals.check_note(store, user, signal_id)
            context.user_data[PENDING] = {"id": signal_id}
            stop = keyboard([[("✖️ Annuleren", signals.data(CANCEL, signal_id))]])
            await ask(update, context, QUESTION, stop)
            return TYPED
        else:
            await say(update, STALE)
    except NotAllowedError:
        await say(update, NOT_YOURS)
    except signals.SignalError as exc:
        await say(update, esc(str(exc)))
    return Step.END


@command("signalen")
async def on_typed(update: Update, context: Context, user: User) -> int:
    pending = context.user_data.get(PENDING) or {}
    if not pending:
        return Step.END
    text = (update.message.text or "").strip()
    svc = services(context)
    try:
        reply = signals.add_note(svc.store, svc.clock.now(), user, pending["id"], text)
    except InvalidRecordError as exc:
        stop = keyboard([[("✖️ Annuleren", signals.data(CANCEL, pending["id"]))]])
        await ask(update, context, f"⚠️ {esc(str(exc))}\n\n{QUESTION}", stop)
        return TYPED
    except NotAllowedError:
        context.user_data.pop(PENDING, None)
        await say(update, NOT_YOURS)
        return Step.END
    except signals.SignalError as exc:
        context.user_data.pop(PENDING, None)
        await say(update, esc(str(exc)))
        return Step.END
    context.user_data.pop(PENDING, None)
    await settle(update, context, echo=f"<i>{esc(text)}</i>", under=QUESTION)
    await say_stored(update, context, reply)
    return Step.END


_EXITS = TypedStepExits(PENDING, STOPPED)
stop, left, timed_out = _EXITS.stop, _EXITS.left, _EXITS.timed_out


@command("signalen")
async def list_signals(update: Update, context: Context, user: User) -> None:
    """The open signals the caller is a partner in, with their age and who took them."""
    svc = services(context)
    rows = signals.open_signals(svc.store, user)
    if not rows:
        await say(update, "Er staan geen signalen open.")
        return
    lines = ["<b>Open signalen</b>"]
    shown = rows[:MAX_LISTED]
    for row in shown:
        lines.append("• " + signals.summary(svc.store, row, svc.clock.now()))
    if len(rows) > len(shown):
        # One message holds only so much: the oldest first, the rest counted.
        lines.append(f"… en nog {len(rows) - len(shown)} nieuwere.")
    buttons = [
        [(f"Bekijken: {row['candidate_code']}", signals.data(signals.VIEW, row["id"]))]
        for row in shown
    ]
    await say(update, "\n".join(lines), keyboard(buttons))


def build_handler() -> Step:
    private = filters.ChatType.PRIVATE
    # The step asks for free text: a note phrased as a question is still the note.
    typed = private & filters.TEXT & ~filters.COMMAND
    return Step(
        name="signaal",
        entry_points=[CallbackQueryHandler(on_press, pattern=r"^s\|")],
        states={
            TYPED: [
                MessageHandler(typed, on_typed),
                CallbackQueryHandler(stop, pattern=rf"^s\|{CANCEL}\|"),
            ]
        },
        fallbacks=[CommandHandler(CANCEL_COMMANDS, stop, filters=private)],
        timeout=STEP_TIMEOUT,
        on_leave=left,
        on_expire=timed_out,
        allow_reentry=True,
    )


def register(app) -> None:
    app.add_handler(CommandHandler("signalen", list_signals, filters=filters.ChatType.PRIVATE))
