"""The soft landing in chat: a check-in's buttons (c|…) and /checkins for the support
worker (and the matchpunt)."""

from __future__ import annotations

from datetime import date

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.access.roles import NotAllowedError, User
from bot.aftercare import answers
from bot.aftercare.runner import ACUTE, ANSWERS, BACK, CONCERN, TOPIC, answer_buttons
from bot.aftercare.schedule import label
from bot.forms.dutch_dates import format_date
from handlers.common import Context, button, command, esc, keyboard, say, say_outcome, services

NOT_YOURS = "Deze knop is niet voor jou; er is niets veranderd."
STALE = "Deze knop is niet meer geldig."
VIEW = "v"


@button("checkins")
async def on_press(update: Update, context: Context, user: User) -> None:
    parts = (update.callback_query.data or "").split("|")
    if len(parts) < 3 or not (parts[2].isascii() and parts[2].isdigit() and len(parts[2]) < 10):
        await say(update, STALE)
        return
    action, checkin_id = parts[1], int(parts[2])
    svc = services(context)
    try:
        if action == VIEW:
            text, rows = answers.prompt_for(svc.store, svc.kb, user, checkin_id)
            await say(update, text, keyboard(rows))
            return
        if action == BACK:
            answers.check(svc.store, user, checkin_id)
            rows = answer_buttons(checkin_id)
            await update.callback_query.edit_message_reply_markup(keyboard(rows))
            return
        if action in (CONCERN, ACUTE):
            answers.check(svc.store, user, checkin_id)
            rows = answers.topic_buttons(checkin_id, action)
            await update.callback_query.edit_message_reply_markup(keyboard(rows))
            return
        if action == TOPIC and len(parts) == 4 and parts[3][:1] in (CONCERN, ACUTE):
            reply, rows = answers.answer(
                svc.store, svc.clock.now(), user, checkin_id, parts[3][0], parts[3][1:]
            )
        elif action in ANSWERS:
            reply, rows = answers.answer(svc.store, svc.clock.now(), user, checkin_id, action)
        else:
            await say(update, STALE)
            return
    except NotAllowedError:
        await say(update, NOT_YOURS)
        return
    except answers.CheckinError as exc:
        await say(update, esc(str(exc)))
        return
    await say_outcome(update, context, reply, keyboard(rows))


@command("checkins")
async def checkins(update: Update, context: Context, user: User) -> None:
    """The caller's open and coming check-ins."""
    rows = answers.open_checkins(services(context).store, user)
    if not rows:
        await say(update, "Er staan geen check-ins open of gepland.")
        return
    lines = ["<b>Check-ins</b>"]
    buttons = []
    for row in rows:
        when = format_date(date.fromisoformat(row["due_on"]))
        state = {"gepland": "gepland", "klaar": "open", "gemist": "gemist"}[row["state"]]
        lines.append(f"• {row['candidate_code']} · {label(row['day'])} · {when} · {state}")
        if row["state"] != "gepland":
            buttons.append([(f"Beantwoorden: {row['candidate_code']}", f"c|{VIEW}|{row['id']}")])
    await say(update, "\n".join(lines), keyboard(buttons))


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("checkins", checkins, filters=private))
    app.add_handler(CallbackQueryHandler(on_press, pattern=r"^c\|"))
