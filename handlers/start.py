"""/start (with an invite code from a deep link) and /help."""

from __future__ import annotations

import logging

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, filters

from bot.access.invites import (
    AlreadyRegisteredError,
    InvalidInviteError,
    TooManyTriesError,
    redeem_invite,
)
from bot.access.names import staff_name
from bot.access.roles import User, commands_for
from handlers.common import (
    DEACTIVATED,
    NOT_REGISTERED,
    Context,
    caller,
    command_list,
    esc,
    role_label,
    say,
    services,
)

log = logging.getLogger("weerthuis.handlers")

# Commands that open a step-by-step flow (with Terug and /annuleren at every step).
FLOW_COMMANDS = ("uitnodigen", "kandidaat", "woning")
INVALID_CODE = (
    "Deze uitnodigingscode is onbekend, al gebruikt of verlopen. "
    "Vraag de coördinator van je regio om een nieuwe uitnodiging."
)
TOO_MANY_TRIES = "Te veel pogingen met een ongeldige code. Probeer het over een uur opnieuw."


async def publish_commands(context_bot, user: User | None, chat_id: int | None = None) -> None:
    """Show the caller's own commands in Telegram's menu (setMyCommands per chat scope)."""
    commands = [BotCommand(c.name, c.description) for c in commands_for(user)]
    scope = BotCommandScopeChat(chat_id) if chat_id is not None else BotCommandScopeDefault()
    try:
        await context_bot.set_my_commands(commands, scope=scope)
    except TelegramError as exc:
        # The menu is a convenience; a user who never opened the chat cannot get one yet.
        log.info("setMyCommands failed for chat %s: %s", chat_id, type(exc).__name__)


def _welcome(user: User, organisation: str, region: str) -> str:
    change = (
        "je voornaam wijzig je met /naam" if user.first_name else "met /naam geef je je voornaam op"
    )
    return (
        f"Welkom bij de Weer Thuis-bot. Je bent aangemeld als <b>{esc(role_label(user.role))}</b> "
        f"bij {esc(organisation)} (regio {esc(region)}).\n"
        f"Collega's zien je als <b>{esc(staff_name(user))}</b>; {change}.\n\n"
        f"Dit kun je hier doen:\n{command_list(user)}"
    )


async def start(update: Update, context: Context) -> None:
    """Greet a known user, or register a new one from an invite code."""
    svc = services(context)
    user = caller(update, context)
    telegram_id = update.effective_user.id
    log.info("handler=start user=%s", telegram_id)
    code = context.args[0] if context.args else None
    if user is not None and not user.active:
        await say(update, DEACTIVATED)
        return
    if user is not None:
        prefix = "Je bent al aangemeld; deze code is niet nodig.\n\n" if code else ""
        await say(update, prefix + _welcome(user, *_org_and_region(svc, user)))
        return
    if code is None:
        await say(update, NOT_REGISTERED)
        return
    # Telegram tells the app's language; English speakers get the English fallback.
    spoken = update.effective_user.language_code or ""
    language = "en" if spoken.startswith("en") else svc.config.language
    try:
        user = redeem_invite(
            svc.store,
            svc.clock.now(),
            code,
            telegram_id,
            language,
            update.effective_user.first_name,
            throttle=context.bot_data["redeem_throttle"],
        )
    except TooManyTriesError:
        await say(update, TOO_MANY_TRIES)
        return
    except (InvalidInviteError, AlreadyRegisteredError):
        await say(update, INVALID_CODE)
        return
    await say(update, _welcome(user, *_org_and_region(svc, user)))
    await publish_commands(context.bot, user, update.effective_chat.id)


async def help_command(update: Update, context: Context) -> None:
    """List exactly the commands the caller's role may use."""
    user = caller(update, context)
    log.info("handler=help user=%s", update.effective_user.id)
    if user is None:
        await say(update, NOT_REGISTERED)
        return
    if not user.active:
        await say(update, DEACTIVATED)
        return
    await say(
        update,
        f"Je bent <b>{esc(role_label(user.role))}</b>. Dit kun je hier doen:\n"
        f"{command_list(user)}\n\n"
        "Een vraag over de afspraken kun je ook gewoon intypen."
        + (
            "\nBij elke stap kun je <b>Terug</b> kiezen of /annuleren typen."
            if _has_flows(user)
            else ""
        ),
    )


def _has_flows(user: User) -> bool:
    return any(c.name in FLOW_COMMANDS for c in commands_for(user))


def _org_and_region(svc, user: User) -> tuple[str, str]:
    organisation = svc.store.organisation(user.organisation_id).name
    region = svc.regions.get(user.region)
    return organisation, region.name if region else user.region


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("start", start, filters=private))
    app.add_handler(CommandHandler("help", help_command, filters=private))
