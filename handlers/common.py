"""What every handler shares: the services handle, the caller, guards and reply helpers."""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable, Callable, Sequence
from functools import wraps
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes, ConversationHandler

from bot.access.roles import ROLE_LABELS, User, commands_for, may_use
from bot.services import Services

log = logging.getLogger("weerthuis.handlers")

Context = ContextTypes.DEFAULT_TYPE
Handler = Callable[[Update, Context, User], Awaitable[Any]]

NOT_REGISTERED = (
    "Deze bot is voor medewerkers van de partners in <b>Weer Thuis!</b> "
    "(gemeenten, woningcorporaties en zorg- en opvangaanbieders).\n\n"
    "Je hebt nog geen toegang. Vraag de coördinator van je regio (het regionaal matchpunt) "
    "om een uitnodigingslink en open die link, of typ <code>/start CODE</code>."
)
DEACTIVATED = (
    "Je account is niet actief. Neem contact op met de coördinator van je regio als je "
    "weer toegang nodig hebt."
)
# /annuleren, and what people used to other bots type for it.
CANCEL_COMMANDS = ("annuleren", "cancel", "stop")
NOT_ALLOWED = "Dat kan ik met jouw rol niet voor je doen. Typ /help om te zien wat wel kan."
NOT_ALLOWED_SHORT = "Dit mag je met jouw rol niet doen."
DEACTIVATED_SHORT = "Je account is niet actief."
STALE_BUTTON = "Deze knop is niet meer geldig."
SOMETHING_WRONG = (
    "Er ging iets mis aan onze kant. Probeer het opnieuw, of typ /annuleren om opnieuw te beginnen."
)


def services(context: Context) -> Services:
    return context.bot_data["services"]


def caller(update: Update, context: Context) -> User | None:
    """The registered user behind this update, active or not; None when unknown."""
    if update.effective_user is None:
        return None
    return services(context).store.find_user(update.effective_user.id)


def esc(text: object) -> str:
    """Escape for Telegram HTML."""
    return html.escape(str(text), quote=False)


def keyboard(rows: Sequence[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup | None:
    """Inline keyboard from rows of (label, callback_data); None when there is no button
    (Telegram refuses an empty keyboard)."""
    rows = [row for row in rows if row]
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


async def say(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Send a new message to the chat the update came from."""
    chat = update.effective_chat
    if chat is None:
        return None
    return await chat.send_message(text, reply_markup=markup)


async def show(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Replace the pressed message when the update is a button press; else send a new one.
    Returns the message that shows `text` (None when it already showed it)."""
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        try:
            edited = await query.edit_message_text(text, reply_markup=markup)
            return edited if isinstance(edited, Message) else None
        except BadRequest as exc:
            if "not modified" in exc.message:
                return None  # it shows this already
            # The message may be too old to edit.
            log.debug("edit failed (%s); sending a new message", exc.message)
    return await say(update, text, markup)


# user_data: which message shows the open step's question, {"id": message id}, so that the
# next update can settle it (take its keyboard off, or echo a typed answer). Only the id: the
# text can name people, and is shown again from the step's own state when needed.
STEP_MESSAGE = "step_message"
ECHO = "✏️"


async def ask(
    update: Update,
    context: Context,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    edit: bool = False,
) -> None:
    """Show a step's question (in place of the pressed message with `edit`) and remember
    which message shows it. A question shown anew takes the keyboard off the one before: one
    live question per chat."""
    query = update.callback_query
    pressed = query.message.message_id if query is not None and query.message else None
    if not edit or pressed != (context.user_data.get(STEP_MESSAGE) or {}).get("id"):
        # A new message, or another one edited: the question shown so far goes out of use.
        await settle(update, context, force=not edit)
    message = await (show if edit else say)(update, text, markup)
    if message is not None:
        context.user_data[STEP_MESSAGE] = {"id": message.message_id}


async def settle(
    update: Update,
    context: Context,
    echo: str | None = None,
    *,
    under: str = "",
    force: bool = False,
) -> None:
    """Done with the step's question on screen: take its keyboard off, and with `echo` (a
    typed answer, in HTML) show the answer under the question `under` (its text as asked),
    so the chat reads as one message per step. A message Telegram no longer lets us edit
    stays as it is. A press on the question itself is left to replace it, unless `force`."""
    shown = context.user_data.pop(STEP_MESSAGE, None)
    chat = update.effective_chat
    if not shown or chat is None:
        return
    query = update.callback_query
    pressed = query.message.message_id if query is not None and query.message else None
    if echo is None and pressed == shown["id"] and not force:
        return  # the press on it replaces it anyway
    try:
        if echo is None or not under:
            await context.bot.edit_message_reply_markup(chat.id, shown["id"], reply_markup=None)
        else:
            # The answer is short (a checked value); the question fits a message already.
            text = f"{under}\n\n{ECHO} {echo}"
            await context.bot.edit_message_text(text, chat_id=chat.id, message_id=shown["id"])
    except BadRequest as exc:
        # Not modified (it had no keyboard), deleted, or too old: nothing to settle.
        log.debug("settling message %s: %s", shown["id"], exc.message)


async def say_stored(
    update: Update,
    context: Context,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    edit: bool = False,
) -> None:
    """A reply that reports a stored change ("✅ opgeslagen"): it goes out once the change is
    committed, and not at all when the update is rolled back."""

    async def send() -> None:
        await (show if edit else say)(update, text, markup)

    after_commit = getattr(context.application, "after_commit", None)
    if after_commit is None:
        await send()
    else:
        after_commit(send)


async def say_outcome(
    update: Update, context: Context, reply: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """A button's outcome: the pressed message keeps what it said, with the outcome under
    it and `markup` in place of its buttons (once the change is committed)."""
    shown = getattr(update.callback_query.message, "text_html", None) or ""
    await say_stored(update, context, f"{shown}\n\n{reply}".strip(), markup, edit=True)


def refusal(user: User | None) -> str:
    if user is None:
        return NOT_REGISTERED
    if not user.active:
        return DEACTIVATED
    return NOT_ALLOWED


def command(name: str) -> Callable[[Handler], Callable[[Update, Context], Awaitable[Any]]]:
    """Guard a command or text handler: only active users whose role may use `name` get in.

    Everyone else gets one short Dutch message; a conversation entry point then stays closed.
    """

    def decorate(handler: Handler) -> Callable[[Update, Context], Awaitable[Any]]:
        @wraps(handler)
        async def guarded(update: Update, context: Context) -> Any:
            user = caller(update, context)
            log.info("handler=%s user=%s", handler.__name__, _user_id(update))
            if user is None or not may_use(user, name):
                await say(update, refusal(user))
                return ConversationHandler.END
            return await handler(update, context, user)

        return guarded

    return decorate


def button(
    name: str, *, answer: bool = True
) -> Callable[[Handler], Callable[[Update, Context], Awaitable[Any]]]:
    """Guard a button handler: answer the query first, and re-check the role on the server,
    because callback data can be forged or outlive the caller's permissions. With
    `answer=False` the handler answers the query itself (a pop-up text)."""

    def decorate(handler: Handler) -> Callable[[Update, Context], Awaitable[Any]]:
        @wraps(handler)
        async def guarded(update: Update, context: Context) -> Any:
            query = update.callback_query
            user = caller(update, context)
            log.info("handler=%s user=%s", handler.__name__, _user_id(update))
            if user is None or not may_use(user, name):
                refused = DEACTIVATED_SHORT if user and not user.active else NOT_ALLOWED_SHORT
                await query.answer(refused, show_alert=True)
                return ConversationHandler.END
            if answer:
                await query.answer()
            return await handler(update, context, user)

        return guarded

    return decorate


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


def command_list(user: User | None) -> str:
    return "\n".join(f"/{c.name} — {esc(c.description)}" for c in commands_for(user))


def _user_id(update: Update) -> int | None:
    return update.effective_user.id if update.effective_user else None
