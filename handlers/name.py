"""/naam: a staff member's first name, as colleagues see it on cards and in exports.

`/naam Sanne` sets it at once; `/naam` alone shows the name and asks for the new one in one
step (a question typed instead leaves the step and is answered).
"""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.access.names import InvalidNameError, set_first_name, staff_name
from bot.access.roles import User
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
    show,
)
from handlers.steps import AQuestion, Step

NAME = 0
CB_STOP = "naam|x"

UNCHANGED = "Je voornaam is niet veranderd."
TIMED_OUT = "Je was een tijd niet actief. " + UNCHANGED
TRY_AGAIN = "Typ je voornaam opnieuw."
HOW = "Typ je voornaam achter /naam, bijvoorbeeld <code>/naam Sanne</code>."


def _shown_as(user: User) -> str:
    return f"Collega's zien je als <b>{esc(staff_name(user))}</b>."


def _question(user: User) -> str:
    if user.first_name:
        now = f"Je voornaam in de bot is <b>{esc(user.first_name)}</b>. {_shown_as(user)}"
    else:
        now = f"Je hebt nog geen voornaam in de bot. {_shown_as(user)}"
    return f"{now}\n\nTyp je nieuwe voornaam, of /annuleren om hem te laten zoals hij is."


def _stop_keyboard():
    return keyboard([[("✖️ Annuleren", CB_STOP)]])


def _done(user: User) -> str:
    return f"✅ Je voornaam is nu <b>{esc(user.first_name)}</b>. {_shown_as(user)}"


@command("naam")
async def begin(update: Update, context: Context, user: User) -> int:
    """`/naam NAME` sets the name at once; `/naam` alone shows it and asks for a new one."""
    if not context.args:
        await ask(update, context, _question(user), _stop_keyboard())
        return NAME
    svc = services(context)
    try:
        changed = set_first_name(svc.store, svc.clock.now(), user, " ".join(context.args))
    except InvalidNameError as exc:
        await say(update, f"{esc(str(exc))} {HOW}")
    else:
        await say_stored(update, context, _done(changed))
    return ConversationHandler.END


@command("naam")
async def typed_name(update: Update, context: Context, user: User) -> int:
    """The new first name, typed."""
    svc = services(context)
    typed = update.effective_message.text or ""
    asked = _question(user)  # as on screen, with the name before the change
    try:
        changed = set_first_name(svc.store, svc.clock.now(), user, typed)
    except InvalidNameError as exc:
        # One message: what is wrong, above the question again.
        note = f"⚠️ {esc(str(exc))} {TRY_AGAIN}"
        await ask(update, context, f"{note}\n\n{asked}", _stop_keyboard())
        return NAME
    await settle(update, context, echo=f"<b>{esc(changed.first_name)}</b>", under=asked)
    await say_stored(update, context, _done(changed))
    return ConversationHandler.END


@button("naam")
async def stop_button(update: Update, context: Context, user: User) -> int:
    """Annuleren: the name stays as it is."""
    await show(update, UNCHANGED)
    return ConversationHandler.END


async def stop_command(update: Update, context: Context) -> int:
    """/annuleren: the name stays as it is."""
    await settle(update, context)
    await say(update, UNCHANGED)
    return ConversationHandler.END


async def left(update: Update, context: Context) -> None:
    """The chat turned to something else (a command, a button, a question)."""
    await say(update, UNCHANGED)


async def timed_out(update: Update, context: Context) -> None:
    await say(update, TIMED_OUT)


def build_handler(timeout_minutes: int) -> Step:
    private = filters.ChatType.PRIVATE
    typed = private & filters.TEXT & ~filters.COMMAND & ~AQuestion()
    return Step(
        name="naam",
        allow_reentry=True,
        timeout=timedelta(minutes=timeout_minutes),
        on_leave=left,
        on_expire=timed_out,
        entry_points=[CommandHandler("naam", begin, filters=private)],
        states={
            NAME: [
                MessageHandler(typed, typed_name),
                CallbackQueryHandler(stop_button, pattern=f"^{CB_STOP}$"),
            ]
        },
        fallbacks=[CommandHandler(CANCEL_COMMANDS, stop_command, filters=private)],
    )
