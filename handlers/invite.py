"""/uitnodigen: a coordinator invites a colleague (role → organisation → validity → confirm)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.access.invites import (
    MAX_VALID_DAYS,
    InviteTermsError,
    NotFoundError,
    check_terms,
    create_invite,
    deep_link,
    organisations_for,
)
from bot.access.roles import ROLES, NotAllowedError, User, may_use
from handlers.common import (
    CANCEL_COMMANDS,
    NOT_ALLOWED_SHORT,
    Context,
    ask,
    button,
    caller,
    command,
    esc,
    keyboard,
    role_label,
    say,
    say_stored,
    services,
    settle,
    show,
)
from handlers.steps import Step

ROLE, ORGANISATION, VALIDITY, CONFIRM = range(4)

PREFIX = "uitn:"
CB_ROLE = PREFIX + "rol:"
CB_ORGANISATION = PREFIX + "org:"
CB_DAYS = PREFIX + "dagen:"
CB_CREATE = PREFIX + "maak"
CB_BACK = PREFIX + "terug"
CB_CANCEL = PREFIX + "stop"

DAY_CHOICES = (1, 7, 14, 30)
# ASCII digits only: str.isdigit() also accepts '²', which int() refuses.
_SMALL_NUMBER = re.compile(r"[0-9]{1,3}", re.ASCII)
_ID_NUMBER = re.compile(r"[1-9][0-9]{0,11}", re.ASCII)
SCRATCH = "invite"

CANCELLED = "Uitnodigen afgebroken. Er is niets aangemaakt."
TIMED_OUT = (
    "Je was een tijd niet actief, dus het uitnodigen is gestopt. "
    "Typ /uitnodigen om opnieuw te beginnen."
)
LEFT = "Het uitnodigen is gestopt; er is niets aangemaakt."
USE_BUTTONS = "Kies een van de knoppen, of typ /annuleren om te stoppen."
STALE = "Die knop hoort bij een eerdere stap."
NAV = [("⬅️ Terug", CB_BACK), ("✖️ Annuleren", CB_CANCEL)]


def _ask_role(draft: dict) -> tuple[str, object]:
    rows = [[(role_label(role), CB_ROLE + role)] for role in ROLES]
    rows.append([("✖️ Annuleren", CB_CANCEL)])
    return "Wie wil je uitnodigen? Kies de <b>rol</b> van je collega.", keyboard(rows)


def _ask_organisation(svc, user: User, draft: dict) -> tuple[str, object]:
    organisations = organisations_for(svc.store, user, draft["role"])
    rows = [[(o.name[:60], f"{CB_ORGANISATION}{o.id}")] for o in organisations]
    rows.append(NAV)
    if not organisations:
        text = (
            f"Er is in jouw regio nog geen organisatie voor de rol "
            f"<b>{esc(role_label(draft['role']))}</b>. Vraag de beheerder om die toe te voegen, "
            "of kies een andere rol met Terug."
        )
    else:
        role = esc(role_label(draft["role"]))
        text = f"Rol: <b>{role}</b>.\nBij welke <b>organisatie</b> werkt je collega?"
    return text, keyboard(rows)


def _ask_validity(draft: dict) -> tuple[str, object]:
    rows = [[(f"{d} dag" if d == 1 else f"{d} dagen", f"{CB_DAYS}{d}") for d in DAY_CHOICES], NAV]
    return (
        f"Hoe lang blijft de uitnodiging <b>geldig</b>? Kies hieronder of typ een aantal dagen "
        f"(1 tot {MAX_VALID_DAYS}).",
        keyboard(rows),
    )


def _summary(svc, user: User, draft: dict) -> tuple[str, object]:
    organisation = svc.store.organisation(draft["organisation_id"])
    region = svc.regions.get(user.region)
    until = svc.clock.now() + timedelta(days=draft["days"])
    text = (
        "Klopt dit?\n"
        f"Rol: <b>{esc(role_label(draft['role']))}</b>\n"
        f"Organisatie: <b>{esc(organisation.name)}</b>\n"
        f"Regio: <b>{esc(region.name if region else user.region)}</b>\n"
        f"Geldig: <b>{draft['days']} {'dag' if draft['days'] == 1 else 'dagen'}</b> "
        f"(tot {until:%d-%m-%Y %H:%M})"
    )
    # The button carries the terms it shows: an older summary's button never makes the invite
    # of a newer one.
    return text, keyboard([[("✅ Aanmaken", CB_CREATE + _terms(draft))], NAV])


def _terms(draft: dict) -> str:
    return f":{draft.get('role')}:{draft.get('organisation_id')}:{draft.get('days')}"


def _question(state: int, svc, user: User, draft: dict) -> tuple[str, object]:
    if state == ROLE:
        return _ask_role(draft)
    if state == ORGANISATION:
        return _ask_organisation(svc, user, draft)
    if state == VALIDITY:
        return _ask_validity(draft)
    return _summary(svc, user, draft)


@command("uitnodigen")
async def begin(update: Update, context: Context, user: User) -> int:
    """Start a new invite."""
    context.user_data[SCRATCH] = {}
    await ask(update, context, *_ask_role({}))
    return ROLE


@button("uitnodigen")
async def choose_role(update: Update, context: Context, user: User) -> int:
    """Take the role from the button."""
    role = update.callback_query.data.removeprefix(CB_ROLE)
    if role not in ROLES:
        await _again(update, context, user, ROLE, USE_BUTTONS)
        return ROLE
    draft = context.user_data.setdefault(SCRATCH, {})
    draft["role"] = role
    await ask(update, context, *_ask_organisation(services(context), user, draft), edit=True)
    return ORGANISATION


@button("uitnodigen")
async def choose_organisation(update: Update, context: Context, user: User) -> int:
    """Take the organisation; it must be in the caller's region and fit the role."""
    svc = services(context)
    draft = context.user_data.setdefault(SCRATCH, {})
    raw = update.callback_query.data.removeprefix(CB_ORGANISATION)
    try:
        if not _ID_NUMBER.fullmatch(raw):
            raise ValueError(raw)
        check_terms(svc.store, draft.get("role", ""), int(raw), user.region)
    except (ValueError, InviteTermsError, NotFoundError):
        note = "Die organisatie kun je hier niet kiezen. " + USE_BUTTONS
        await _again(update, context, user, ORGANISATION, note)
        return ORGANISATION
    draft["organisation_id"] = int(raw)
    await ask(update, context, *_ask_validity(draft), edit=True)
    return VALIDITY


@button("uitnodigen")
async def choose_days(update: Update, context: Context, user: User) -> int:
    """Take the validity from a button."""
    return await _take_days(update, context, user, update.callback_query.data.removeprefix(CB_DAYS))


@command("uitnodigen")
async def type_days(update: Update, context: Context, user: User) -> int:
    """Take the validity as typed text."""
    return await _take_days(update, context, user, update.effective_message.text or "")


async def _take_days(update: Update, context: Context, user: User, raw: str) -> int:
    text = raw.strip().lower().removesuffix("dagen").removesuffix("dag").strip()
    if not _SMALL_NUMBER.fullmatch(text) or not 1 <= int(text) <= MAX_VALID_DAYS:
        note = (
            f"⚠️ Dat is geen geldig aantal dagen. Typ een getal van 1 tot {MAX_VALID_DAYS}, "
            "bijvoorbeeld 7."
        )
        await _again(update, context, user, VALIDITY, note)
        return VALIDITY
    draft = context.user_data.setdefault(SCRATCH, {})
    draft["days"] = int(text)
    if update.callback_query is None:
        days = int(text)
        echo = f"<b>{days} {'dag' if days == 1 else 'dagen'}</b>"
        await settle(update, context, echo=echo, under=_ask_validity(draft)[0])
    await ask(update, context, *_summary(services(context), user, draft), edit=True)
    return CONFIRM


@button("uitnodigen")
async def confirm(update: Update, context: Context, user: User) -> int:
    """Create the invite and show the link."""
    svc = services(context)
    draft = context.user_data.get(SCRATCH) or {}
    if update.callback_query.data != CB_CREATE + _terms(draft):
        stale = "Die knop hoort bij een eerdere samenvatting; er is niets aangemaakt."
        if {"role", "organisation_id", "days"} <= set(draft):
            await _again(update, context, user, CONFIRM, stale)
        else:
            await say(update, stale)
        return CONFIRM
    try:
        invite = create_invite(
            svc.store,
            svc.clock.now(),
            role=draft["role"],
            organisation_id=draft["organisation_id"],
            region=user.region,
            valid_days=draft["days"],
            inviter=user,
        )
    except (KeyError, InviteTermsError, NotAllowedError):
        context.user_data.pop(SCRATCH, None)
        await show(update, "Deze uitnodiging is niet meer geldig. Begin opnieuw met /uitnodigen.")
        return ConversationHandler.END
    context.user_data.pop(SCRATCH, None)
    link = deep_link(context.bot.username, invite.code)
    await say_stored(
        update,
        context,
        f"✅ Uitnodiging aangemaakt voor een <b>{esc(role_label(invite.role))}</b> bij "
        f"<b>{esc(svc.store.organisation(invite.organisation_id).name)}</b>.\n\n"
        f"Stuur deze link naar je collega: {esc(link)}\n"
        f"Of laat je collega <code>/start {invite.code}</code> typen.\n\n"
        "De code werkt één keer en verloopt op "
        f"{_local(svc, invite.expires_at)}.",
        edit=True,
    )
    return ConversationHandler.END


def _back(state: int):
    @button("uitnodigen")
    async def back(update: Update, context: Context, user: User) -> int:
        """Go one step back, keeping what was chosen."""
        previous = max(ROLE, state - 1)
        draft = context.user_data.setdefault(SCRATCH, {})
        await ask(update, context, *_question(previous, services(context), user, draft), edit=True)
        return previous

    return back


@button("uitnodigen")
async def cancel_button(update: Update, context: Context, user: User) -> int:
    """Stop without creating anything."""
    context.user_data.pop(SCRATCH, None)
    await show(update, CANCELLED)
    return ConversationHandler.END


async def cancel_command(update: Update, context: Context) -> int:
    """/annuleren: stop without creating anything."""
    context.user_data.pop(SCRATCH, None)
    await settle(update, context)
    await say(update, CANCELLED)
    return ConversationHandler.END


def _reask(state: int):
    async def reask(update: Update, context: Context) -> int:
        """Answer unexpected input in place and ask the same question again."""
        user = caller(update, context)
        if user is None or not may_use(user, "uitnodigen"):
            if update.callback_query is not None:
                await update.callback_query.answer(NOT_ALLOWED_SHORT, show_alert=True)
            return ConversationHandler.END
        if update.callback_query is not None:
            await update.callback_query.answer(STALE)
            note = None
        elif state == VALIDITY:
            note = "Typ een aantal dagen of kies een van de knoppen."
        else:
            note = USE_BUTTONS
        await _again(update, context, user, state, note)
        return state

    reask.__name__ = f"reask_{state}"
    return reask


async def _again(
    update: Update, context: Context, user: User, state: int, note: str | None
) -> None:
    """The question of `state` asked anew, with `note` (what was wrong) above it: one message."""
    draft = context.user_data.get(SCRATCH) or {}
    text, markup = _question(state, services(context), user, draft)
    shown = f"{note}\n\n{text}" if note else text
    # A stale press gets the current question in place of the message it came from.
    edit = update.callback_query is not None
    await ask(update, context, shown, markup, edit=edit)


async def timed_out(update: Update, context: Context) -> None:
    """Tell the user the conversation ended for inactivity."""
    context.user_data.pop(SCRATCH, None)
    await say(update, TIMED_OUT)


async def left(update: Update, context: Context) -> None:
    """The chat turned to something else: the invite is not made."""
    context.user_data.pop(SCRATCH, None)
    await say(update, LEFT)


def _local(svc, iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(svc.config.tz).strftime("%d-%m-%Y %H:%M")


def build_handler(timeout_minutes: int) -> Step:
    private = filters.ChatType.PRIVATE
    anything = filters.ALL & ~filters.COMMAND
    ours = f"^{PREFIX}"  # another button (a card, an answer) leaves the invite instead

    def nav(state: int) -> list:
        return [
            CallbackQueryHandler(_back(state), pattern=f"^{CB_BACK}$"),
            CallbackQueryHandler(cancel_button, pattern=f"^{CB_CANCEL}$"),
        ]

    return Step(
        name="uitnodigen",
        allow_reentry=True,
        timeout=timedelta(minutes=timeout_minutes),
        on_leave=left,
        on_expire=timed_out,
        entry_points=[CommandHandler("uitnodigen", begin, filters=private)],
        states={
            ROLE: [
                CallbackQueryHandler(choose_role, pattern=f"^{CB_ROLE}"),
                *nav(ROLE),
                MessageHandler(anything, _reask(ROLE)),
                CallbackQueryHandler(_reask(ROLE), pattern=ours),
            ],
            ORGANISATION: [
                CallbackQueryHandler(choose_organisation, pattern=f"^{CB_ORGANISATION}"),
                *nav(ORGANISATION),
                MessageHandler(anything, _reask(ORGANISATION)),
                CallbackQueryHandler(_reask(ORGANISATION), pattern=ours),
            ],
            VALIDITY: [
                CallbackQueryHandler(choose_days, pattern=f"^{CB_DAYS}"),
                *nav(VALIDITY),
                MessageHandler(filters.TEXT & ~filters.COMMAND, type_days),
                MessageHandler(anything, _reask(VALIDITY)),
                CallbackQueryHandler(_reask(VALIDITY), pattern=ours),
            ],
            CONFIRM: [
                CallbackQueryHandler(confirm, pattern=f"^{CB_CREATE}(:|$)"),
                *nav(CONFIRM),
                MessageHandler(anything, _reask(CONFIRM)),
                CallbackQueryHandler(_reask(CONFIRM), pattern=ours),
            ],
        },
        fallbacks=[CommandHandler(CANCEL_COMMANDS, cancel_command, filters=private)],
    )
