"""/mijn: the caller's candidates or dwellings (a coordinator: the whole region), paged, with
filters, detail cards and the actions the caller may take; /export for coordinators."""

from __future__ import annotations

import contextlib
import re
from datetime import datetime, timedelta

from telegram import InputFile, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.access.names import staff_name, staff_names
from bot.access.roles import COORDINATOR, CORPORATION, SUPPORT_WORKER, NotAllowedError, User
from bot.aftercare import omklap, schedule
from bot.decisions import workflow
from bot.decisions.notices import moment
from bot.forms.engine import FormContext
from bot.matching import matchpunt
from bot.records import drafts, registry
from bot.records.cards import PAGE_SIZE, card_lines, list_line
from bot.records.export import export_region
from bot.records.lifecycle import NEEDS_REASON, IllegalTransitionError
from bot.records.registry import CANDIDATES, DWELLINGS, InvalidRecordError, NotFoundError
from bot.reports import formats, stand
from bot.reports.chart import as_png
from handlers.common import (
    CANCEL_COMMANDS,
    Context,
    ask,
    button,
    caller,
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

REASON, CONFIRM = range(2)
PREFIX = "m"
KIND_OF = {"c": CANDIDATES, "d": DWELLINGS}
LETTER_OF = {"candidates": "c", "dwellings": "d"}
# How a card labels the status changes the core allows (`registry.changes_for`).
ACTION_LABELS = {
    "gepauzeerd": "⏸ Pauzeren",
    "teruggetrokken": "🚫 Intrekken",
    "ingetrokken": "🚫 Intrekken",
    "verhuurd": "🔑 Verhuurd",
    "teruggevallen": "↩️ Teruggevallen (woont er niet meer)",
    "doorgestroomd": "➡️ Doorgestroomd (andere woning)",
}
RESUME_LABELS = {"gepauzeerd": "▶️ Hervatten", "teruggevallen": "▶️ Opnieuw aanmelden"}
STATUS_FILTERS = {
    "candidates": ("aangemeld", "voorgedragen", "gepauzeerd", "teruggetrokken"),
    "dwellings": ("beschikbaar", "voorgedragen", "toegewezen", "ingetrokken"),
}
NOT_FOUND = "Die aanmelding bestaat niet of je mag hem niet zien."
FILTER_LABELS = {
    "aangemeld": "Wachtend",
    "voorgedragen": "Voorgedragen",
    "gepauzeerd": "Gepauzeerd",
    "teruggetrokken": "Ingetrokken",
    "beschikbaar": "Beschikbaar",
    "toegewezen": "Toegewezen",
    "ingetrokken": "Ingetrokken",
}
LONG_WAIT = 90
REASON_TIMEOUT = timedelta(minutes=15)
PENDING = "mijn_reason"
# What the reason step is about, for "… is gestopt"; withdrawals are final and confirmed.
VERBS = {
    "gepauzeerd": "Pauzeren",
    "teruggetrokken": "Intrekken",
    "ingetrokken": "Intrekken",
    "teruggevallen": "Teruggevallen",
    "doorgestroomd": "Doorgestroomd",
    "plafond": "Voordragen",
}
# The reason step also asks why a home in a neighbourhood at its cap is proposed anyway.
CAP = "plafond"
FINAL = frozenset({"teruggetrokken", "ingetrokken", "teruggevallen", "doorgestroomd"})
# Each carries the code it is about: an old question's button never acts on a newer one.
CB_STOP = f"{PREFIX}|x|"
CB_YES = f"{PREFIX}|y|"
CB_NO = f"{PREFIX}|n|"


def _default_kind(user: User) -> str:
    return "dwellings" if user.role == CORPORATION else "candidates"


def _kinds(user: User) -> list[str]:
    if user.role == COORDINATOR:
        return ["candidates", "dwellings"]
    return [_default_kind(user)]


def _context(context: Context, user: User, kind: str) -> FormContext:
    """How `user` reads records of `kind`: the names of municipalities, organisations, people."""
    svc = services(context)
    today = svc.clock.now().date()
    return drafts.form_context(svc.store, svc.kb, user, KIND_OF[LETTER_OF[kind]], today)


def _page(context: Context, user: User, kind: str, page: int, pick: str) -> tuple[str, object]:
    """One page of the list. `pick` filters: "*" all, a status, "g:<municipality>", or
    "w<days>" for records waiting at least that long."""
    svc = services(context)
    ctx = _context(context, user, kind)
    rows = registry.waiting_list(
        svc.store,
        user,
        KIND_OF[LETTER_OF[kind]],
        ctx.today,
        status=pick if pick in STATUS_FILTERS[kind] else None,
        municipality=pick[2:] if pick.startswith("g:") else None,
        waiting_at_least=int(pick[1:]) if pick.startswith("w") and pick[1:].isdigit() else None,
    )
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = rows[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    scope = "in je regio" if user.role == COORDINATOR else ""
    header = f"<b>{len(rows)} {_noun(kind, len(rows))}</b> {scope}".rstrip()
    header += _describe_pick(pick, ctx)
    lines = [header + (f" · pagina {page + 1} van {pages}" if pages > 1 else "")]
    if not rows:
        lines.append("Nog niets hier." if pick == "*" else "Niets dat aan dit filter voldoet.")
    letter = LETTER_OF[kind]
    buttons = [[(list_line(r, kind, ctx)[:60], f"{PREFIX}|v|{r['code']}")] for r in shown]
    nav = []
    if page > 0:
        nav.append(("◀️ Vorige", f"{PREFIX}|l|{letter}|{page - 1}|{pick}"))
    if page < pages - 1:
        nav.append(("Volgende ▶️", f"{PREFIX}|l|{letter}|{page + 1}|{pick}"))
    if nav:
        buttons.append(nav)
    if user.role == COORDINATOR:
        buttons.append(
            [("Alle", f"{PREFIX}|l|{letter}|0|*")]
            + [(FILTER_LABELS[s], f"{PREFIX}|l|{letter}|0|{s}") for s in STATUS_FILTERS[kind][:3]]
        )
        buttons.append(
            [
                ("📍 Per gemeente", f"{PREFIX}|g|{letter}"),
                (f"⏳ > {LONG_WAIT} dagen", f"{PREFIX}|l|{letter}|0|w{LONG_WAIT}"),
            ]
        )
        other = "dwellings" if kind == "candidates" else "candidates"
        label = "🏠 Woningen" if other == "dwellings" else "👤 Kandidaten"
        buttons.append([(label, f"{PREFIX}|l|{LETTER_OF[other]}|0|*")])
    return "\n".join(lines), keyboard(buttons)


def _describe_pick(pick: str, ctx) -> str:
    if pick == "*":
        return ""
    if pick.startswith("g:"):
        names = {o.value: o.label for o in ctx.municipalities}
        return f" in {esc(names.get(pick[2:], pick[2:]))}"
    if pick.startswith("w"):
        return f" die al {esc(pick[1:])} dagen of langer wachten"
    return f" met status {esc(pick)}"


@button("mijn")
async def on_places(update: Update, context: Context, user: User) -> None:
    """The municipality picker of the coordinator's list."""
    letter = update.callback_query.data.split("|")[-1]
    if letter not in KIND_OF or user.role != COORDINATOR:
        await say(update, "Deze knop is niet meer geldig.")
        return
    ctx = _context(context, user, KIND_OF[letter].table)
    rows = [[(o.label, f"{PREFIX}|l|{letter}|0|g:{o.value}")] for o in ctx.municipalities]
    rows.append([("⬅️ Terug naar de lijst", f"{PREFIX}|l|{letter}|0|*")])
    await show(update, "Welke gemeente?", keyboard(rows))


def _card(context: Context, user: User, kind: str, row: dict) -> tuple[str, object]:
    ctx = _context(context, user, kind)
    svc = services(context)
    names = staff_names(svc.store, user.region)
    lines = [f"<b>{row['code']}</b>"]
    lines += [esc(line) for line in card_lines(row, kind, user, ctx, names)]
    rows = []
    if kind == "dwellings":
        for proposal in registry.open_proposals_for(svc.store, user, DWELLINGS, row):
            lines.append(f"Voorgedragen kandidaat: <b>{proposal['candidate_code']}</b>")
            rows.append(
                [
                    (
                        f"👤 {proposal['candidate_code']} bekijken",
                        f"{PREFIX}|v|{proposal['candidate_code']}",
                    )
                ]
            )
            if user.role == COORDINATOR:
                rows.append(
                    [("🚫 Voordracht intrekken", workflow.data(workflow.WITHDRAW, proposal["id"]))]
                )
        moved = workflow.correctable_move_in(svc.store, user, row)
        if moved is not None:
            rows.append([("📅 Verhuisdatum corrigeren", workflow.data(workflow.MOVE_IN, moved))])
        if user.role == COORDINATOR and row["status"] == "beschikbaar":
            rows.append([("👥 Beste kandidaten", f"{PREFIX}|b|{row['code']}")])
    else:
        today = svc.clock.now().date()
        for line in workflow.proposed_home_lines(svc.store, svc.kb, user, row, today):
            lines.append(esc(line))
        if registry.may_propose(user, row):
            rows.append([("🏠 Voordragen voor een woning", f"{PREFIX}|p|{row['code']}")])
    if (
        kind == "candidates"
        and row["status"] == "verhuisd"
        and user.role != SUPPORT_WORKER
        and registry.may_change(user, KIND_OF[LETTER_OF[kind]], row)
    ):
        rows.append([("👤 Woonbegeleider wijzigen", f"{PREFIX}|s|{row['code']}")])
    on_dwelling = kind == "dwellings"
    lines += [esc(line) for line in omklap.card_lines(svc.store, row["code"], dwelling=on_dwelling)]
    question = workflow.open_question(svc.store, user, KIND_OF[LETTER_OF[kind]], row)
    if question is not None:
        rows += workflow.answer_buttons(*question)
    if registry.may_change(user, KIND_OF[LETTER_OF[kind]], row):
        rows += [
            [(_action_label(row["status"], status), f"{PREFIX}|a|{row['code']}|{status}")]
            for status in registry.changes_for(user, KIND_OF[LETTER_OF[kind]], row)
        ]
        if registry.may_edit(user, KIND_OF[LETTER_OF[kind]], row):
            flow = "k" if kind == "candidates" else "w"
            rows.append([("✏️ Gegevens wijzigen", f"{flow}|W|-1|{row['code']}")])
    back = kind if kind in _kinds(user) else _default_kind(user)
    rows.append([("⬅️ Terug naar de lijst", f"{PREFIX}|l|{LETTER_OF[back]}|0|*")])
    return "\n".join(lines), keyboard(rows)


def _action_label(current: str, new: str) -> str:
    if new == "aangemeld":
        return RESUME_LABELS.get(current, "▶️ Weer wachtend")
    return ACTION_LABELS.get(new, new)


def _noun(kind: str, count: int) -> str:
    if kind == "candidates":
        return "kandidaat" if count == 1 else "kandidaten"
    return "woning" if count == 1 else "woningen"


def _kind_of_code(code: str) -> str:
    return "dwellings" if code.startswith("WN-") else "candidates"


@command("mijn")
async def mine(update: Update, context: Context, user: User) -> None:
    """List what the caller may see."""
    await say(update, *_page(context, user, _default_kind(user), 0, "*"))


@button("mijn")
async def on_list(update: Update, context: Context, user: User) -> None:
    """Paging and filters."""
    parts = update.callback_query.data.split("|")
    if len(parts) != 5 or parts[2] not in KIND_OF:
        await say(update, "Deze knop is niet meer geldig.")
        return
    kind = KIND_OF[parts[2]].table
    page = int(parts[3]) if parts[3].isascii() and parts[3].isdigit() and len(parts[3]) < 5 else 0
    pick = parts[4]
    valid = (
        pick in ("*", *STATUS_FILTERS[kind])
        or (pick.startswith("g:") and len(pick) <= 40)
        or (pick.startswith("w") and pick[1:].isascii() and pick[1:].isdigit() and len(pick) < 6)
    )
    status = pick if valid else "*"
    if kind not in _kinds(user):
        await say(update, "Die lijst is niet voor jouw rol.")
        return
    await show(update, *_page(context, user, kind, page, status))


@button("mijn")
async def on_view(update: Update, context: Context, user: User) -> None:
    """A detail card; the view is audited."""
    code = update.callback_query.data.split("|", 2)[-1]
    kind = _kind_of_code(code)
    svc = services(context)
    try:
        row = registry.read(svc.store, svc.clock.now(), user, KIND_OF[LETTER_OF[kind]], code)
    except NotFoundError:
        await say(update, NOT_FOUND)
        return
    await show(update, *_card(context, user, kind, row))


@button("mijn")
async def on_propose_pick(update: Update, context: Context, user: User) -> None:
    """The available dwellings a waiting candidate could be proposed for (coordinators)."""
    code = update.callback_query.data.split("|")[-1]
    svc = services(context)
    try:
        dwellings = matchpunt.offered_dwellings(svc.store, svc.kb, user, code, svc.clock.now())
    except (NotFoundError, NotAllowedError):
        await say(update, NOT_FOUND)
        return
    ctx = _context(context, user, DWELLINGS.table)
    if not dwellings:
        await say(update, f"Er is nu geen beschikbare woning die bij {esc(code)} past.")
        return
    # Best first; a home in a neighbourhood at its cap is marked (proposing it asks why).
    rows = [
        [
            (
                ("⚠ " if at_cap else "") + list_line(d, "dwellings", ctx)[:60],
                f"{PREFIX}|P|{code}|{d['code']}",
            )
        ]
        for d, at_cap in dwellings[:10]
    ]
    rows.append([("⬅️ Terug", f"{PREFIX}|v|{code}")])
    await show(update, f"Voor welke woning draag je <b>{esc(code)}</b> voor?", keyboard(rows))


@button("mijn")
async def on_support_worker(update: Update, context: Context, user: User) -> None:
    """A moved-in candidate's support worker: the choice (m|s|code), then the change
    (m|S|code|id); the check-ins not answered yet go along."""
    parts = update.callback_query.data.split("|")
    code = parts[2] if len(parts) > 2 else ""
    svc = services(context)
    try:
        if parts[1] == "s":
            options = schedule.support_worker_options(svc.store, user, code)
            if not options:
                await say(update, "Er is geen andere woonbegeleider van die organisatie in de bot.")
                return
            rows = [[(staff_name(u)[:60], f"{PREFIX}|S|{code}|{u.telegram_id}")] for u in options]
            rows.append([("⬅️ Terug", f"{PREFIX}|v|{code}")])
            await show(
                update, f"Wie wordt de woonbegeleider van <b>{esc(code)}</b>?", keyboard(rows)
            )
            return
        if len(parts) != 4 or not (parts[3].isascii() and parts[3].isdigit()):
            await say(update, "Deze knop is niet meer geldig.")
            return
        reply = schedule.change_support_worker(
            svc.store, svc.clock.now(), user, code, int(parts[3])
        )
    except (NotFoundError, NotAllowedError):
        await say(update, NOT_FOUND)
        return
    await say_stored(update, context, reply, edit=True)


@button("mijn")
async def on_best(update: Update, context: Context, user: User) -> None:
    """A home's best candidates, each with "Voordragen" (coordinators)."""
    code = update.callback_query.data.split("|")[-1]
    svc = services(context)
    try:
        text, rows = workflow.best_candidates(svc.store, svc.kb, svc.clock.now(), user, code)
    except (NotFoundError, NotAllowedError):
        await say(update, NOT_FOUND)
        return
    except workflow.DecisionError as exc:
        await say(update, esc(str(exc)))
        return
    rows = [*rows, [("⬅️ Terug", f"{PREFIX}|v|{code}")]]
    await show(update, text, keyboard(rows))


@button("mijn")
async def on_propose(update: Update, context: Context, user: User) -> int:
    """Propose: candidate and dwelling both become voorgedragen; the corporation sees it. A
    home in a neighbourhood at its cap first asks for a reason."""
    parts = update.callback_query.data.split("|")
    if len(parts) != 4:
        await say(update, NOT_FOUND)
        return ConversationHandler.END
    return await _propose(update, context, user, parts[2], parts[3], None)


async def _propose(
    update: Update, context: Context, user: User, code: str, home: str, reason: str | None
) -> int:
    svc = services(context)
    pending = {"code": code, "status": CAP, "dwelling": home}
    try:
        proposal = workflow.propose(
            svc.store, svc.kb, svc.clock.now(), user, code, home, cap_reason=reason
        )
    except NotFoundError:
        await say(update, NOT_FOUND)
        return ConversationHandler.END
    except NotAllowedError:
        # Both are the coordinator's to see: the home no longer fits the candidate.
        context.user_data.pop(PENDING, None)
        await say(update, f"{esc(home)} past niet (meer) bij {esc(code)}; er is niets veranderd.")
        return ConversationHandler.END
    except IllegalTransitionError:
        context.user_data.pop(PENDING, None)
        await say(
            update,
            "Die voordracht kan niet (meer): een van beide is niet meer beschikbaar (misschien "
            "was een collega je net voor). Er is niets veranderd.",
        )
        return ConversationHandler.END
    except matchpunt.DeclinedBeforeError:
        context.user_data.pop(PENDING, None)
        await say(
            update,
            f"{esc(code)} is al eens voorgedragen voor {esc(home)} en dat werd niet akkoord; die "
            "combinatie wordt niet opnieuw voorgedragen. Er is niets veranderd.",
        )
        return ConversationHandler.END
    except matchpunt.CapReachedError as exc:
        if not exc.allowed:
            await say(update, f"{esc(exc.line)}\n\nDeze woning kan nu niet worden voorgedragen.")
            return ConversationHandler.END
        context.user_data[PENDING] = {**pending, "line": exc.line}
        await ask(
            update,
            context,
            _question(context.user_data[PENDING]),
            _stop_keyboard(code),
            edit=update.callback_query is not None,
        )
        return REASON
    except InvalidRecordError as exc:
        await _ask_again(update, context, context.user_data.get(PENDING) or pending, str(exc))
        return REASON
    if reason is not None:
        asked = _question(context.user_data.get(PENDING) or pending)
        await settle(update, context, echo=f"<i>{esc(reason)}</i>", under=asked)
    context.user_data.pop(PENDING, None)
    deadline = datetime.fromisoformat(proposal["deadline_at"]).astimezone(svc.config.tz)
    await say_stored(
        update,
        context,
        f"✅ {esc(code)} is voorgedragen voor {esc(home)}. De zorgkant en de corporatie krijgen "
        f"een bericht en antwoorden vóór {moment(deadline)} (de corporatie ziet de kandidaat "
        "zonder de knelpunten).",
        edit=update.callback_query is not None,
    )
    return ConversationHandler.END


@button("mijn")
async def on_action(update: Update, context: Context, user: User) -> int:
    """A status change; pausing and withdrawing first ask for a short reason."""
    parts = update.callback_query.data.split("|")
    if len(parts) != 4:
        await say(update, "Deze knop is niet meer geldig.")
        return ConversationHandler.END
    code, status = parts[2], parts[3]
    # Access first, and one answer for every failure: no probing of other people's codes.
    if _offered(context, user, code, status) is None:
        await say(update, NOT_FOUND)
        return ConversationHandler.END
    if status in NEEDS_REASON:
        context.user_data[PENDING] = {"code": code, "status": status}
        # The question takes the card's place; stopping brings the card back.
        await ask(update, context, _why(code, status), _stop_keyboard(code), edit=True)
        return REASON
    await _transition(update, context, user, code, status, None)
    return ConversationHandler.END


@command("mijn")
async def on_reason(update: Update, context: Context, user: User) -> int:
    """The typed reason for a pause or withdrawal; a withdrawal is confirmed first."""
    pending = context.user_data.get(PENDING) or {}
    if not pending:
        return ConversationHandler.END
    text = update.message.text or ""
    if pending["status"] == CAP:
        if not text.strip():
            await _ask_again(update, context, pending, "Geef een korte reden op.")
            return REASON
        return await _propose(update, context, user, pending["code"], pending["dwelling"], text)
    if pending["status"] in FINAL:
        try:
            if not text.strip():
                raise InvalidRecordError("Geef een korte reden op.")
            reason = registry.check_free_text(text, "De reden")
        except InvalidRecordError as exc:
            await _ask_again(update, context, pending, str(exc))
            return REASON
        pending["reason"] = reason
        code = pending["code"]
        await settle(update, context, echo=f"<i>{esc(reason)}</i>", under=_question(pending))
        await ask(
            update,
            context,
            _sure(code, reason, pending["status"]),
            keyboard([[(_yes(pending["status"]), CB_YES + code), ("✖️ Nee", CB_NO + code)]]),
        )
        return CONFIRM
    done = await _transition(update, context, user, pending["code"], pending["status"], text)
    if done:
        context.user_data.pop(PENDING, None)
        return ConversationHandler.END
    return REASON


# A tenant who left the home: what the confirmation says (the rest is a withdrawal).
LEAVING = {
    "teruggevallen": "op teruggevallen zetten",
    "doorgestroomd": "op doorgestroomd zetten",
}


def _sure(code: str, reason: str, status: str = "teruggetrokken") -> str:
    if status in LEAVING:
        return (
            f"<b>{esc(code)}</b> {LEAVING[status]} met reden ‘{esc(reason)}’? De plaatsing "
            "eindigt en de check-ins die nog komen, vervallen."
        )
    return f"<b>{esc(code)}</b> intrekken met reden ‘{esc(reason)}’? Dat is definitief."


def _yes(status: str) -> str:
    return "✅ Ja" if status in LEAVING else "✅ Ja, intrekken"


def _question(pending: dict) -> str:
    """The question the reason step asks, as it is on screen."""
    if pending.get("status") == CAP:
        return (
            f"{esc(pending.get('line', ''))}\n\nWaarom wil je {esc(pending['code'])} toch "
            f"voordragen voor {esc(pending['dwelling'])}? Typ een korte reden, zonder namen of "
            "andere persoonsgegevens. Het matchpunt legt die reden vast."
        )
    return _why(pending["code"], pending["status"])


def _why(code: str, status: str) -> str:
    return (
        f"Waarom wordt {esc(code)} <b>{esc(status)}</b>? Typ een korte reden, zonder namen of "
        "andere persoonsgegevens."
    )


async def _ask_again(update: Update, context: Context, pending: dict, error: str) -> None:
    """A reason refused: one message, the error above the question again."""
    note = f"⚠️ {esc(error)}"
    await ask(update, context, f"{note}\n\n{_question(pending)}", _stop_keyboard(pending["code"]))


def _for_pending(update: Update, context: Context) -> bool:
    """Whether the pressed button is about the record the step now asks about."""
    pending = context.user_data.get(PENDING) or {}
    return (update.callback_query.data or "").split("|")[-1] == pending.get("code")


@button("mijn")
async def on_confirm(update: Update, context: Context, user: User) -> int | None:
    """Ja: the withdrawal with the reason typed before."""
    if not _for_pending(update, context):
        await say(update, "Die knop hoort bij een eerdere vraag; er is niets veranderd.")
        return None
    pending = context.user_data.pop(PENDING, None) or {}
    if "reason" not in pending:
        await show(update, "Deze vraag is niet meer geldig; er is niets veranderd.")
        return ConversationHandler.END
    await _transition(update, context, user, pending["code"], pending["status"], pending["reason"])
    return ConversationHandler.END


# "ja", "Ja!", "nee hoor": typed instead of pressed at "… intrekken? Ja / Nee".
_YES_OR_NO = re.compile(r"^\s*(ja|nee)\b", re.IGNORECASE)


@command("mijn")
async def on_typed_yes_or_no(update: Update, context: Context, user: User) -> int:
    """Ja or Nee typed at the confirmation."""
    if _YES_OR_NO.match(update.message.text or "").group(1).lower() == "nee":
        return await stop_reason(update, context)
    pending = context.user_data.pop(PENDING, None) or {}
    if "reason" not in pending:
        await say(update, "Deze vraag is niet meer geldig; er is niets veranderd.")
        return ConversationHandler.END
    await settle(
        update,
        context,
        echo="<b>Ja</b>",
        under=_sure(pending["code"], pending["reason"], pending["status"]),
    )
    await _transition(update, context, user, pending["code"], pending["status"], pending["reason"])
    return ConversationHandler.END


async def stop_reason(update: Update, context: Context) -> int | None:
    """Annuleren, Nee or /annuleren: nothing changes."""
    if update.callback_query is not None and not _for_pending(update, context):
        await update.callback_query.answer("Die knop hoort bij een eerdere vraag.")
        return None
    pending = context.user_data.pop(PENDING, None) or {}
    text, markup = _stopped(pending), None
    user = caller(update, context)
    with contextlib.suppress(NotFoundError, NotAllowedError):
        if user is not None and pending.get("code"):
            # The card again, as it is: the step took its place.
            code = pending["code"]
            kind = _kind_of_code(code)
            row = registry.visible(services(context).store, user, KIND_OF[LETTER_OF[kind]], code)
            card, markup = _card(context, user, kind, row)
            text = f"{text}\n\n{card}"
    if update.callback_query is not None:
        await update.callback_query.answer()
        await show(update, text, markup)
    else:
        await settle(update, context)
        await say(update, text, markup)
    return ConversationHandler.END


async def reason_left(update: Update, context: Context) -> None:
    """The chat turned to something else (a command, another button, a question)."""
    await say(update, _stopped(context.user_data.pop(PENDING, None) or {}))


async def reason_timed_out(update: Update, context: Context) -> None:
    pending = context.user_data.pop(PENDING, None) or {}
    await say(update, "Je was een tijd niet actief. " + _stopped(pending))


def _stopped(pending: dict) -> str:
    if not pending:
        return "Gestopt; er is niets veranderd."
    verb = VERBS.get(pending.get("status", ""), "Wijzigen")
    return f"{verb} van {esc(pending.get('code', ''))} is gestopt; er is niets veranderd."


def _stop_keyboard(code: str):
    return keyboard([[("✖️ Annuleren", CB_STOP + code)]])


async def _transition(
    update: Update, context: Context, user: User, code: str, status: str, reason: str | None
) -> bool:
    svc = services(context)
    kind = _kind_of_code(code)
    try:
        if _offered(context, user, code, status) is None:
            raise NotFoundError(code)
        row = workflow.change_status(
            svc.store,
            svc.kb,
            svc.clock.now(),
            user,
            KIND_OF[LETTER_OF[kind]],
            code,
            status,
            reason,
            plan=svc.config.aftercare.plan,
        )
    except (NotFoundError, NotAllowedError):
        await say(update, NOT_FOUND)
        return True
    except IllegalTransitionError as exc:
        await say(update, esc(str(exc)))
        return True
    except InvalidRecordError as exc:
        await _ask_again(update, context, {"code": code, "status": status}, str(exc))
        return False
    if reason is not None and update.message is not None:
        await settle(update, context, echo=f"<i>{esc(reason)}</i>", under=_why(code, status))
    # One message: what happened, on top of the card as it is now; a pressed button's message
    # (the card, or the confirmation) becomes it.
    text, markup = _card(context, user, kind, row)
    done = f"✅ {esc(code)} is nu <b>{esc(status)}</b>."
    edit = update.callback_query is not None
    await say_stored(update, context, f"{done}\n\n{text}", markup, edit=edit)
    return True


def _offered(context: Context, user: User, code: str, status: str) -> dict | None:
    """The record when the caller may see and change it and the card offers `status`."""
    svc = services(context)
    kind = _kind_of_code(code)
    try:
        row = registry.visible(svc.store, user, KIND_OF[LETTER_OF[kind]], code)
    except NotFoundError:
        return None
    return row if status in registry.changes_for(user, KIND_OF[LETTER_OF[kind]], row) else None


@command("export")
async def export(update: Update, context: Context, user: User) -> None:
    """The region's candidates and dwellings as CSV documents (coordinators)."""
    svc = services(context)
    for kind in ("candidates", "dwellings"):
        data, count = export_region(svc.store, svc.kb, svc.clock.now(), user, kind)
        name = f"{_noun(kind, 2)}-{user.region}.csv"
        await update.effective_chat.send_document(
            InputFile(data, filename=name), caption=f"{count} {_noun(kind, count)}"
        )


@command("stand")
async def overview(update: Update, context: Context, user: User) -> None:
    """The region's overview (coordinators): a short text and a chart."""
    svc = services(context)
    report = stand.region_report(svc.store, svc.kb, user, user.region, svc.clock.now())
    await say(update, esc(formats.as_text(report)))
    await update.effective_chat.send_photo(
        InputFile(as_png(report), filename=f"stand-{user.region}.png"),
        caption=f"Stand {esc(report.region_name)}: geplaatst en lopend per gemeente, en wie wacht",
    )


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("stand", overview, filters=private))
    app.add_handler(CommandHandler("mijn", mine, filters=private))
    app.add_handler(CommandHandler("export", export, filters=private))
    app.add_handler(CallbackQueryHandler(on_list, pattern=f"^{PREFIX}\\|l\\|"))
    app.add_handler(CallbackQueryHandler(on_view, pattern=f"^{PREFIX}\\|v\\|"))
    app.add_handler(CallbackQueryHandler(on_places, pattern=f"^{PREFIX}\\|g\\|"))
    app.add_handler(CallbackQueryHandler(on_propose_pick, pattern=f"^{PREFIX}\\|p\\|"))
    app.add_handler(CallbackQueryHandler(on_best, pattern=f"^{PREFIX}\\|b\\|"))
    app.add_handler(CallbackQueryHandler(on_support_worker, pattern=f"^{PREFIX}\\|[sS]\\|"))


def _starting(*data: str) -> str:
    return "^(" + "|".join(re.escape(d) for d in data) + ")"


def build_handler() -> Step:
    """The reason step of a status change. Only a typed reason, its Annuleren button and, for a
    withdrawal, Ja/Nee belong to it; a command, another button or a question leaves it and
    nothing changes."""
    private = filters.ChatType.PRIVATE
    typed = private & filters.TEXT & ~filters.COMMAND & ~AQuestion()
    return Step(
        name="mijn_reden",
        entry_points=[
            CallbackQueryHandler(on_action, pattern=f"^{PREFIX}\\|a\\|"),
            CallbackQueryHandler(on_propose, pattern=f"^{PREFIX}\\|P\\|"),
        ],
        states={
            REASON: [
                MessageHandler(typed, on_reason),
                CallbackQueryHandler(stop_reason, pattern=_starting(CB_STOP)),
            ],
            CONFIRM: [
                MessageHandler(private & filters.Regex(_YES_OR_NO), on_typed_yes_or_no),
                CallbackQueryHandler(on_confirm, pattern=_starting(CB_YES)),
                CallbackQueryHandler(stop_reason, pattern=_starting(CB_NO, CB_STOP)),
            ],
        },
        fallbacks=[CommandHandler(CANCEL_COMMANDS, stop_reason, filters=private)],
        timeout=REASON_TIMEOUT,
        on_leave=reason_left,
        on_expire=reason_timed_out,
    )
