"""The decision workflow's buttons (b|…): a party's Akkoord / Niet akkoord with a reason,
the matchpunt's confirm, send back and withdraw, and the corporation's move-in date. Typed
answers (a note for "Anders", the matchpunt's note, the date) are one step."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.access.roles import NotAllowedError, User
from bot.decisions import workflow
from bot.decisions.parties import SIDE_OF_LETTER
from bot.decisions.reasons import OTHER
from bot.forms.dutch_dates import DateError, parse_date, parse_past_date
from bot.forms.engine import InvalidAnswerError
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
    show,
)
from handlers.steps import Step, TypedStepExits

TYPED = 0
PENDING = "besluit"
STEP_TIMEOUT = timedelta(minutes=15)
NOT_YOURS = "Deze knop is niet voor jou; er is niets veranderd."
STALE = "Deze knop is niet meer geldig."
CANCEL = "x"
BACK = "B"
WITHDRAW_SURE = "I"
QUESTIONS = {
    "anders": "Typ een korte toelichting bij je ‘niet akkoord’, zonder namen of andere "
    "persoonsgegevens.",
    "terug": "Typ een korte notitie voor de partij: waarom je de afwijzing terugstuurt. Zonder "
    "namen of andere persoonsgegevens.",
    "datum": "Op welke datum verhuist de kandidaat? Typ bijvoorbeeld ‘1 maart’ of ‘15-2’.",
    "correctie": "Op welke datum is de kandidaat echt verhuisd? Typ bijvoorbeeld ‘2 januari’. "
    "De check-ins die nog komen, schuiven mee.",
}
STOPPED = "Gestopt; er is niets veranderd."


def _parse(data: str) -> tuple[str, int, str | None, str | None] | None:
    parts = data.split("|")
    if len(parts) < 3 or not (parts[2].isascii() and parts[2].isdigit() and len(parts[2]) < 10):
        return None
    side = SIDE_OF_LETTER.get(parts[3]) if len(parts) > 3 else None
    if len(parts) > 3 and side is None:
        return None
    return parts[1], int(parts[2]), side, parts[4] if len(parts) > 4 else None


@button("mijn")
async def on_press(update: Update, context: Context, user: User) -> int:
    parsed = _parse(update.callback_query.data or "")
    if parsed is None:
        await say(update, STALE)
        return Step.END
    action, proposal_id, side, extra = parsed
    svc = services(context)
    store, kb, now = svc.store, svc.kb, svc.clock.now()
    try:
        if action == workflow.YES and side:
            await say_outcome(
                update, context, workflow.answer(store, kb, now, user, proposal_id, side, True)
            )
        elif action == workflow.NO and side:
            workflow.party_side(store, user, proposal_id, side)
            rows = workflow.reason_buttons(proposal_id, side)
            rows.append([("⬅️ Terug", workflow.data(BACK, proposal_id, _letter(side)))])
            await update.callback_query.edit_message_reply_markup(keyboard(rows))
        elif action == BACK and side:
            workflow.party_side(store, user, proposal_id, side)
            await update.callback_query.edit_message_reply_markup(
                keyboard(workflow.answer_buttons(proposal_id, side))
            )
        elif action == workflow.REASON and side and extra:
            if extra == OTHER:
                workflow.party_side(store, user, proposal_id, side)
                return await _ask(
                    update, context, {"kind": "anders", "id": proposal_id, "side": side}
                )
            reply = workflow.answer(store, kb, now, user, proposal_id, side, False, extra)
            await say_outcome(update, context, reply)
        elif action == workflow.CONFIRM:
            reply = workflow.confirm_decline(store, kb, now, user, proposal_id, side)
            await say_outcome(update, context, reply)
        elif action == workflow.SEND_BACK:
            workflow.check_send_back(store, user, proposal_id, side)
            return await _ask(update, context, {"kind": "terug", "id": proposal_id, "side": side})
        elif action == workflow.WITHDRAW:
            pair = workflow.check_withdraw(store, user, proposal_id)
            sure = keyboard(
                [
                    [
                        ("✅ Ja, intrekken", workflow.data(WITHDRAW_SURE, proposal_id)),
                        ("✖️ Nee", workflow.data(CANCEL, proposal_id)),
                    ]
                ]
            )
            await say(
                update,
                f"Weet je zeker dat je de voordracht van <b>{esc(pair[0])}</b> voor "
                f"<b>{esc(pair[1])}</b> wilt intrekken? Beide partijen krijgen bericht.",
                sure,
            )
        elif action == WITHDRAW_SURE:
            await say_outcome(update, context, workflow.withdraw(store, kb, now, user, proposal_id))
        elif action == workflow.MOVE_IN:
            proposal, _, _ = workflow.check_move_in(store, user, proposal_id)
            kind = "correctie" if proposal["moved_at"] else "datum"
            return await _ask(update, context, {"kind": kind, "id": proposal_id})
        elif action == CANCEL:
            await show(update, STOPPED)
        else:
            await say(update, STALE)
    except NotAllowedError:
        await say(update, NOT_YOURS)
    except workflow.DecisionError as exc:
        await say(update, esc(str(exc)))
    except InvalidRecordError as exc:
        await say(update, f"⚠️ {esc(str(exc))}")
    return Step.END


def _letter(side: str) -> str:
    return next(letter for letter, s in SIDE_OF_LETTER.items() if s == side)


async def _ask(update: Update, context: Context, pending: dict) -> int:
    context.user_data[PENDING] = pending
    stop = keyboard([[("✖️ Annuleren", workflow.data(CANCEL, pending["id"]))]])
    await ask(update, context, QUESTIONS[pending["kind"]], stop)
    return TYPED


@command("mijn")
async def on_typed(update: Update, context: Context, user: User) -> int:
    pending = context.user_data.get(PENDING) or {}
    if not pending:
        return Step.END
    text = (update.message.text or "").strip()
    svc = services(context)
    store, kb, now = svc.store, svc.kb, svc.clock.now()
    try:
        if pending["kind"] == "anders":
            reply = workflow.answer(
                store, kb, now, user, pending["id"], pending["side"], False, OTHER, note=text
            )
        elif pending["kind"] == "terug":
            reply = workflow.send_back(
                store, kb, now, user, pending["id"], text, pending.get("side")
            )
        else:
            read = parse_past_date if pending["kind"] == "correctie" else parse_date
            day = read(text, now.date())
            reply = workflow.set_move_in(store, now, user, pending["id"], day)
    except (InvalidRecordError, InvalidAnswerError, DateError, workflow.RetryableError) as exc:
        note = f"⚠️ {esc(str(exc))}"
        await ask(update, context, f"{note}\n\n{QUESTIONS[pending['kind']]}", _stop(pending))
        return TYPED
    except NotAllowedError:
        context.user_data.pop(PENDING, None)
        await say(update, NOT_YOURS)
        return Step.END
    except workflow.DecisionError as exc:
        context.user_data.pop(PENDING, None)
        await say(update, esc(str(exc)))
        return Step.END
    context.user_data.pop(PENDING, None)
    await settle(update, context, echo=f"<i>{esc(text)}</i>", under=QUESTIONS[pending["kind"]])
    await say_stored(update, context, reply)
    return Step.END


def _stop(pending: dict):
    return keyboard([[("✖️ Annuleren", workflow.data(CANCEL, pending["id"]))]])


_EXITS = TypedStepExits(PENDING, STOPPED)
stop, left, timed_out = _EXITS.stop, _EXITS.left, _EXITS.timed_out


def build_handler() -> Step:
    private = filters.ChatType.PRIVATE
    # The step asks for free text: a note phrased as a question is still the note.
    typed = private & filters.TEXT & ~filters.COMMAND
    return Step(
        name="besluit",
        entry_points=[CallbackQueryHandler(on_press, pattern=r"^b\|")],
        states={
            TYPED: [
                MessageHandler(typed, on_typed),
                CallbackQueryHandler(stop, pattern=rf"^b\|{CANCEL}\|"),
            ]
        },
        fallbacks=[CommandHandler(CANCEL_COMMANDS, stop, filters=private)],
        timeout=STEP_TIMEOUT,
        on_leave=left,
        on_expire=timed_out,
        allow_reentry=True,
    )
