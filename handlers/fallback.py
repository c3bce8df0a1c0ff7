"""What nothing else handled: free text, stale buttons, /annuleren with nothing to cancel,
updates from groups, and the one error handler."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers.common import (
    CANCEL_COMMANDS,
    DEACTIVATED,
    NOT_REGISTERED,
    SOMETHING_WRONG,
    STALE_BUTTON,
    Context,
    caller,
    say,
)

log = logging.getLogger("weerthuis.handlers")

NOT_UNDERSTOOD = "Dat begrijp ik nog niet. Typ /help om te zien wat je hier kunt doen."
NOTHING_TO_CANCEL = "Er loopt nu niets om af te breken. Typ /help om te zien wat je kunt doen."


async def private_only(update: Update, context: Context) -> None:
    """Drop updates from groups and channels (records about people stay in private chats) and
    every kind of update the bot does not use, such as edited messages."""
    chat = update.effective_chat
    if chat is not None and chat.type != chat.PRIVATE:
        log.info("handler=private_only dropped update from a %s chat", chat.type)
        raise ApplicationHandlerStop
    if update.message is None and update.callback_query is None:
        log.info("handler=private_only dropped an update that is no message or button")
        raise ApplicationHandlerStop


async def free_text(update: Update, context: Context) -> None:
    """Any message outside a conversation."""
    user = caller(update, context)
    log.info(
        "handler=free_text user=%s", update.effective_user.id if update.effective_user else None
    )
    if user is None:
        await say(update, NOT_REGISTERED)
    elif not user.active:
        await say(update, DEACTIVATED)
    else:
        await say(update, NOT_UNDERSTOOD)


async def nothing_to_cancel(update: Update, context: Context) -> None:
    """/annuleren outside a conversation."""
    user = caller(update, context)
    if user is None:
        await say(update, NOT_REGISTERED)
    elif not user.active:
        await say(update, DEACTIVATED)
    else:
        await say(update, NOTHING_TO_CANCEL)


async def stale_button(update: Update, context: Context) -> None:
    """A button whose conversation is over (or forged data that matched nothing)."""
    log.info("handler=stale_button user=%s", update.effective_user.id)
    await update.callback_query.answer(STALE_BUTTON)


async def on_error(update: object, context: Context) -> None:
    """Log with the traceback (never the update's text) and tell the user in Dutch."""
    user_id = (
        update.effective_user.id if isinstance(update, Update) and update.effective_user else None
    )
    log.error("unhandled error for user %s", user_id, exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await say(update, SOMETHING_WRONG)
        except Exception:  # the error may be that we cannot reach the user at all
            log.warning("could not tell user %s about the error", user_id)


def register_gate(app: Application) -> None:
    # Before the one-step gate (group -1): updates from groups never reach any step.
    app.add_handler(TypeHandler(Update, private_only), group=-2)


def register(app: Application) -> None:
    app.add_handler(CommandHandler(CANCEL_COMMANDS, nothing_to_cancel))
    app.add_handler(MessageHandler(filters.ALL, free_text))
    app.add_handler(CallbackQueryHandler(stale_button))
    app.add_error_handler(on_error)
