"""The omklap year in chat: a party's Omklappen / Verlengen / Stoppen (o|…) and the
matchpunt's decision where the parties disagree."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.access.roles import NotAllowedError, User
from bot.aftercare import omklap
from handlers.common import Context, button, esc, say, say_outcome, services

NOT_YOURS = "Deze knop is niet voor jou; er is niets veranderd."
STALE = "Deze knop is niet meer geldig."


@button("mijn")
async def on_press(update: Update, context: Context, user: User) -> None:
    parts = (update.callback_query.data or "").split("|")
    if len(parts) != 4 or not (parts[2].isascii() and parts[2].isdigit() and len(parts[2]) < 10):
        await say(update, STALE)
        return
    action, round_id, extra = parts[1], int(parts[2]), parts[3]
    svc = services(context)
    try:
        if action == omklap.DECIDE and extra in omklap.CHOICES:
            reply = omklap.decide(svc.store, svc.clock.now(), user, round_id, omklap.CHOICES[extra])
        elif action in omklap.CHOICES and extra in omklap.SIDES:
            reply = omklap.answer(
                svc.store,
                svc.clock.now(),
                user,
                round_id,
                omklap.SIDES[extra],
                omklap.CHOICES[action],
            )
        else:
            await say(update, STALE)
            return
    except NotAllowedError:
        await say(update, NOT_YOURS)
        return
    except omklap.OmklapError as exc:
        await say(update, esc(str(exc)))
        return
    await say_outcome(update, context, reply)


def register(app: Application) -> None:
    app.add_handler(CallbackQueryHandler(on_press, pattern=r"^o\|"))
