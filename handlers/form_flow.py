"""A registration form in chat, one question at a time, built from a `bot.forms.engine.Form`.

Buttons first (a phone, between other work), typing where a button cannot do. Every step has
Terug and Annuleren; /annuleren works anywhere; a summary offers Opslaan, Wijzigen (jump to any
field) and Annuleren. The draft lives in user_data (persisted), so a restart or a timeout never
loses it: the next start offers to continue. Every pressed button is checked against the
current question and today's options, because callback data can be forged.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.access.roles import NotAllowedError, User, may_use
from bot.forms.engine import (
    Field,
    Form,
    FormContext,
    InvalidAnswerError,
    Option,
    check_choice,
    describe,
)
from bot.forms.engine import parse_typed as parse_typed_answer
from bot.privacy.erasure import DRAFT_TOUCHED
from bot.records import drafts
from bot.records.registry import (
    ChangedMeanwhileError,
    InvalidRecordError,
    Kind,
    NotEditableError,
    NotFoundError,
)
from handlers.common import (
    CANCEL_COMMANDS,
    NOT_ALLOWED_SHORT,
    Context,
    ask,
    caller,
    esc,
    keyboard,
    refusal,
    say,
    say_stored,
    services,
    settle,
    show,
)
from handlers.steps import Step

ASK, SUMMARY, EDIT, RESUME = range(4)
MAX_LABEL = 40
# Callback data is at most 64 bytes: "k|o|12|" and a draft's tag leave room for this much.
TAG_LENGTH = 6
MAX_ARG = 48
NEW = "nieuw"  # the parked slot of an unfinished new registration

# The reply once a draft is stored: the stored row, and whether it changed an existing record.
Confirm = Callable[[dict, bool], str]


@dataclass(frozen=True)
class FormFlow:
    form: Form
    command: str  # the chat command, also the permission name
    prefix: str  # one letter for callback data
    kind: Kind  # the records the form registers (the core decides the rest)
    confirm: Confirm  # the reply once a draft is stored
    timeout_minutes: int = 30
    # The core call that stores a checked draft (`drafts.save`, or one that also starts
    # what follows, as a reported home's offer to the matchpunt).
    save: Callable[..., dict] = drafts.save

    # --- the core's decisions ------------------------------------------------------------

    def make_context(self, context: Context, user: User) -> FormContext:
        svc = services(context)
        return drafts.form_context(svc.store, svc.kb, user, self.kind, svc.clock.now().date())

    def load(self, context: Context, user: User, code: str) -> tuple[dict, str]:
        svc = services(context)
        return drafts.as_draft(svc.store, svc.kb, svc.clock.now(), user, self.kind, code)

    # --- scratch -----------------------------------------------------------------------------

    @property
    def scratch_key(self) -> str:
        return f"form:{self.form.name}"

    @property
    def parked_key(self) -> str:
        """Drafts set aside for another one: "nieuw" or a record's code → its form state."""
        return f"parked:{self.form.name}"

    def state(self, context: Context) -> dict:
        state = context.user_data.setdefault(self.scratch_key, {"draft": {}, "index": -1})
        # When the draft was last worked on: unfinished drafts are not kept for ever.
        state[DRAFT_TOUCHED] = services(context).clock.now().isoformat()
        return state

    # --- asking ------------------------------------------------------------------------------

    def data(self, state: dict, action: str, index: int, arg: int | str = "") -> str:
        """A button's callback data: action, question, the draft it belongs to, and a value.
        The draft's tag makes a button of a parked or finished draft a stale one."""
        return f"{self.prefix}|{action}|{index}|{_tag(state)}|{arg}"

    def question(self, ctx: FormContext, state: dict) -> tuple[str, Any]:
        draft, index = state["draft"], state["index"]
        fld = self.form.fields[index]
        visible = self.form.visible(draft, ctx)
        number = next((n for n, f in enumerate(visible, 1) if f.key == fld.key), 1)
        title = f"{state['record']} wijzigen" if state.get("record") else self.form.title
        lines = [f"<b>{esc(title)}</b> · vraag {number} van {len(visible)}", "", fld.question]
        options = fld.option_list(ctx, draft)
        rows: list[list[tuple[str, str]]] = []
        if fld.kind in ("multi", "toggles"):
            chosen = set(state.get("picked", draft.get(fld.key, [])))
            if chosen:
                lines.append("\nGekozen: " + esc(describe(fld, sorted(chosen), ctx, draft)))
            for option in options:
                mark = "✅ " if option.value in chosen else ""
                rows.append(
                    [(_cut(mark + option.label), self.data(state, "t", index, _token(option)))]
                )
            rows.append([("✔️ Klaar", self.data(state, "d", index))])
        elif fld.kind == "choice":
            for option in options:
                rows.append([(_cut(option.label), self.data(state, "o", index, _token(option)))])
            if any(o.help for o in options):
                rows.append([("ℹ️ Uitleg", self.data(state, "h", index))])
        if fld.shortcuts:
            rows.append(
                [
                    (label, self.data(state, "c", index, n))
                    for n, (label, _) in enumerate(fld.shortcuts)
                ]
            )
        if not fld.required and fld.kind not in ("multi", "toggles"):
            rows.append([(fld.skip_label, self.data(state, "s", index))])
        elif not fld.required:
            rows[-1].append((fld.skip_label, self.data(state, "s", index)))
        rows.append(
            [
                ("⬅️ Terug", self.data(state, "b", index)),
                ("✖️ Annuleren", self.data(state, "x", index)),
            ]
        )
        return "\n".join(lines), keyboard(rows)

    def summary(self, ctx: FormContext, state: dict) -> tuple[str, Any]:
        draft = state["draft"]
        title = f"{state['record']} wijzigen" if state.get("record") else self.form.title
        lines = [f"<b>{esc(title)}</b> · overzicht", ""]
        if ctx.region_name:
            # The region comes from the caller's account; shown so nobody wonders.
            lines.append(f"Regio: <b>{esc(ctx.region_name)}</b>")
        for fld in self.form.visible(draft, ctx):
            lines.append(
                f"{esc(fld.label)}: <b>{esc(describe(fld, draft.get(fld.key), ctx, draft))}</b>"
            )
        lines.append("\nKlopt alles?")
        rows = [
            [("💾 Opslaan", self.data(state, "S", -1))],
            [("✏️ Wijzigen", self.data(state, "E", -1)), ("✖️ Annuleren", self.data(state, "x", -1))],
        ]
        return "\n".join(lines), keyboard(rows)

    def edit_menu(self, ctx: FormContext, state: dict) -> tuple[str, Any]:
        draft = state["draft"]
        rows = [
            [(_cut(fld.label), self.data(state, "e", -1, self.form.fields.index(fld)))]
            for fld in self.form.visible(draft, ctx)
        ]
        rows.append([("⬅️ Terug naar het overzicht", self.data(state, "B", -1))])
        return "Wat wil je wijzigen?", keyboard(rows)

    # --- moving on ---------------------------------------------------------------------------

    async def advance(self, update: Update, context: Context, user: User, *, edit: bool) -> int:
        """After an answer: the next question, the next missing one, or the summary."""
        ctx = self.make_context(context, user)
        state = self.state(context)
        state.pop("picked", None)
        draft = state["draft"]
        self.form.prune(draft, ctx)
        missing = self.form.missing(draft, ctx)
        if state.get("editing"):
            following = self.form.fields.index(missing[0]) if missing else None
        else:
            following = self.form.next_index(draft, ctx, state["index"])
        if following is None:
            state["draft"] = self.form.clean(draft, ctx)
            state["editing"] = True  # from here on every change returns to the summary
            state["at_summary"] = True
            await self.put(update, context, *self.summary(ctx, state), edit=edit)
            return SUMMARY
        state["at_summary"] = False
        state["index"] = following
        await self.put(update, context, *self.question(ctx, state), edit=edit)
        return ASK

    async def put(
        self,
        update: Update,
        context: Context,
        text: str,
        markup: object = None,
        *,
        edit: bool,
        note: str | None = None,
    ) -> None:
        """Show the form's question, summary or menu as the chat's one live question; a
        `note` (an error, a hint) goes above it in the same message."""
        shown = f"{note}\n\n{text}" if note else text
        await ask(update, context, shown, markup, edit=edit)

    # --- handlers ----------------------------------------------------------------------------

    async def begin(self, update: Update, context: Context) -> int:
        user = await self._allowed(update, context)
        if user is None:
            return ConversationHandler.END
        if not self.make_context(context, user).municipalities:
            # Both forms need a municipality; a region file without any cannot be used.
            await say(
                update,
                "Voor jouw regio staan nog geen gemeenten in de kennisbank, dus aanmelden kan "
                "hier nog niet. Vraag de beheerder van de kennisbank om de gemeenten van je regio "
                "toe te voegen.",
            )
            return ConversationHandler.END
        state = context.user_data.get(self.scratch_key)
        if state and state.get("record"):
            # /kandidaat is for a new registration; an open edit waits on its card.
            code = state["record"]
            context.user_data.setdefault(self.parked_key, {})[code] = state
            del context.user_data[self.scratch_key]
            state = None
            await say(
                update,
                f"Je wijziging van {esc(code)} blijft bewaard: ✏️ Gegevens wijzigen bij "
                f"{esc(code)} gaat er later mee verder.",
            )
        parked = context.user_data.get(self.parked_key) or {}
        if not (state and state.get("draft")) and parked.get(NEW):
            # An unfinished registration set aside for an edit comes back first.
            state = context.user_data[self.scratch_key] = parked.pop(NEW)
        if state and state.get("draft"):
            await ask(
                update,
                context,
                f"Je hebt nog een onafgemaakte {esc(self.form.noun)}. Verder gaan waar je was, "
                "of opnieuw beginnen?",
                keyboard(
                    [
                        [("▶️ Verder gaan", self.data(state, "r", -1))],
                        [("🆕 Opnieuw beginnen", self.data(state, "n", -1))],
                    ]
                ),
            )
            return RESUME
        context.user_data[self.scratch_key] = _fresh()
        return await self.advance(update, context, user, edit=False)

    async def on_button(self, update: Update, context: Context) -> int:
        query = update.callback_query
        user = caller(update, context)
        if user is None or not may_use(user, self.command):
            await query.answer(NOT_ALLOWED_SHORT, show_alert=True)
            return ConversationHandler.END
        if self.scratch_key not in context.user_data:
            return await self._gone(update)
        parsed = _parse_data(query.data or "", self.prefix)
        state = self.state(context)
        if parsed is None:
            await query.answer("Deze knop is niet meer geldig.")
            return await self._current(update, context, user, state)
        action, index, tag, arg = parsed
        if tag != _tag(state):
            await query.answer("Die knop hoort bij een andere aanmelding.")
            return await self._current(update, context, user, state)
        ctx = self.make_context(context, user)
        if action == "x":
            await query.answer()
            return await self._cancel(update, context, edit=True)
        if action in ("r", "n"):
            await query.answer()
            context.user_data.pop(self.choice_key, None)
            if action == "n":
                context.user_data[self.scratch_key] = _fresh()
                return await self.advance(update, context, user, edit=True)
            return await self._current(update, context, user, state, edit=True)
        if action == "p":
            await query.answer()
            return await self._park_and_edit(update, context, user, arg)
        if action in ("S", "E", "e", "B"):
            return await self._summary_action(update, context, user, state, ctx, action, arg)
        if index != state["index"] or state.get("at_summary"):
            await query.answer("Die knop hoort bij een eerdere vraag.")
            return await self._current(update, context, user, state)
        fld = self.form.fields[index]
        try:
            done = self._apply_button(fld, action, arg, ctx, state)
        except InvalidAnswerError as exc:
            await query.answer(_cut(str(exc), 190), show_alert=True)
            # The options may have changed since they were shown: show today's.
            await self.put(update, context, *self.question(ctx, state), edit=True)
            return ASK
        if action == "h":
            await query.answer()
            explained = "\n".join(
                f"<b>{esc(o.label)}</b>: {esc(o.help)}"
                for o in fld.option_list(ctx, state["draft"])
            )
            await self.put(update, context, *self.question(ctx, state), edit=True, note=explained)
            return ASK
        await query.answer()
        if action == "b":
            return await self._back(update, context, user, state, ctx)
        if not done:
            await self.put(update, context, *self.question(ctx, state), edit=True)
            return ASK
        return await self.advance(update, context, user, edit=True)

    async def edit_record(self, update: Update, context: Context) -> int:
        """ "Gegevens wijzigen" on a detail card: the record's answers, straight to the menu."""
        query = update.callback_query
        user = caller(update, context)
        if user is None or not may_use(user, self.command):
            await query.answer(NOT_ALLOWED_SHORT, show_alert=True)
            return ConversationHandler.END
        code = (query.data or "").split("|")[-1]
        try:
            loaded = self.load(context, user, code)
        except (NotFoundError, NotAllowedError):
            await query.answer("Die aanmelding kun je niet wijzigen.", show_alert=True)
            return ConversationHandler.END
        await query.answer()
        current = context.user_data.get(self.scratch_key) or {}
        if current.get("draft") and current.get("record") != code:
            # Never replace unfinished work silently: continue it, or set it aside.
            context.user_data[self.choice_key] = code
            await ask(
                update,
                context,
                f"Je bent nog bezig met je {esc(self._describe(current))}. Daarmee verder, of dat "
                f"bewaren en nu {esc(code)} wijzigen?",
                keyboard(
                    [
                        [("▶️ Daarmee verder", self.data(current, "r", -1))],
                        [(f"🅿️ Bewaren, {code} wijzigen", self.data(current, "p", -1, code))],
                    ]
                ),
            )
            return RESUME
        return await self._open_edit(update, context, user, code, loaded, in_place=True)

    @property
    def choice_key(self) -> str:
        return f"choice:{self.form.name}"

    async def _park_and_edit(self, update: Update, context: Context, user: User, code: str) -> int:
        """ "Bewaren, … wijzigen": the current draft is set aside, the record's edit opens."""
        if context.user_data.pop(self.choice_key, None) != code:
            return await self._current(
                update,
                context,
                user,
                self.state(context),
                edit=True,
                note="Die keuze hoort bij een eerdere vraag. Er is niets veranderd.",
            )
        current = context.user_data.pop(self.scratch_key, None) or {}
        if current.get("draft"):
            context.user_data.setdefault(self.parked_key, {})[current.get("record") or NEW] = (
                current
            )
        await show(
            update,
            f"Je {esc(self._describe(current))} is bewaard; je kunt er later mee verder.",
        )
        try:
            loaded = self.load(context, user, code)
        except (NotFoundError, NotAllowedError):
            await say(update, "Die aanmelding kun je niet (meer) wijzigen.")
            return ConversationHandler.END
        return await self._open_edit(update, context, user, code, loaded)

    async def _open_edit(
        self,
        update: Update,
        context: Context,
        user: User,
        code: str,
        loaded: tuple[dict, str],
        *,
        in_place: bool = False,
    ) -> int:
        """The record's answers as a summary to change; `in_place` takes the card's place."""
        current = context.user_data.get(self.scratch_key) or {}
        parked = context.user_data.get(self.parked_key) or {}
        draft, version = loaded
        if current.get("record") != code:
            state = parked.pop(code, None)
            if state is not None and state.get("version") != version:
                # Somebody changed the record since: the old edit would undo that.
                await say(
                    update,
                    f"{esc(code)} is intussen gewijzigd. Je eerdere, niet opgeslagen wijziging "
                    "vervalt; je begint met de actuele gegevens.",
                )
                state = None
            context.user_data[self.scratch_key] = state or {
                "draft": draft,
                "index": -1,
                "editing": True,
                "record": code,
                "version": version,
                "id": secrets.token_hex(8),
            }
        state = self.state(context)
        state["at_summary"] = True
        ctx = self.make_context(context, user)
        await self.put(update, context, *self.summary(ctx, state), edit=in_place)
        return SUMMARY

    def _describe(self, state: dict) -> str:
        """ "aanmelding van een kandidaat" or "wijziging van WT-IZK-0001", after "je"."""
        if state.get("record"):
            return f"wijziging van {state['record']}"
        return self.form.noun

    async def on_text(self, update: Update, context: Context) -> int:
        user = await self._allowed(update, context)
        if user is None:
            return ConversationHandler.END
        if self.scratch_key not in context.user_data:
            return await self._gone(update)
        state = self.state(context)
        if state.get("at_summary") or state["index"] < 0:
            return await self._current(
                update,
                context,
                user,
                state,
                note="Kies een van de knoppen, of typ /annuleren om te stoppen.",
            )
        ctx = self.make_context(context, user)
        fld = self.form.fields[state["index"]]
        asked = self.question(ctx, state)[0]  # as on screen, before the answer changes it
        typed = _plain(update.message.text or "")
        # A button's label typed out does what the button does ("overslaan" is no note).
        if typed == "terug":
            return await self._back(update, context, user, state, ctx)
        if typed == "annuleren":
            return await self._cancel(update, context, edit=False)
        if typed == _plain(fld.skip_label) and not fld.required:
            state["draft"][fld.key] = [] if fld.kind in ("multi", "toggles") else None
            await settle(update, context, echo=esc(fld.skip_label), under=asked)
            return await self.advance(update, context, user, edit=False)
        if typed == "klaar" and fld.kind in ("multi", "toggles"):
            picked = sorted(state.get("picked", state["draft"].get(fld.key, [])))
            if fld.required and not picked:
                note = "Kies er minstens één."
                await self.put(update, context, *self.question(ctx, state), edit=False, note=note)
                return ASK
            state["draft"][fld.key] = picked
            await settle(update, context, echo=self._echo(fld, picked, ctx, state), under=asked)
            return await self.advance(update, context, user, edit=False)
        try:
            value = parse_typed_answer(fld, update.message.text or "", ctx, state["draft"])
        except InvalidAnswerError as exc:
            note = f"⚠️ {esc(str(exc))}"
            await self.put(update, context, *self.question(ctx, state), edit=False, note=note)
            return ASK
        if fld.kind == "multi":
            picked = set(state.get("picked", state["draft"].get(fld.key, [])))
            await settle(update, context, echo=self._echo(fld, value, ctx, state), under=asked)
            state["picked"] = sorted(picked | set(value))
            await self.put(update, context, *self.question(ctx, state), edit=False)
            return ASK
        state["draft"][fld.key] = value
        if fld.key == "rent_limit" and value != "anders":
            state["draft"].pop("max_rent", None)
        await settle(update, context, echo=self._echo(fld, value, ctx, state), under=asked)
        return await self.advance(update, context, user, edit=False)

    @staticmethod
    def _echo(fld: Field, value: object, ctx: FormContext, state: dict) -> str:
        """A typed answer as the form understood it, shown under its question."""
        return f"<b>{esc(describe(fld, value, ctx, state['draft']))}</b>"

    async def on_other(self, update: Update, context: Context) -> int:
        """A photo, sticker, file…: not an answer."""
        user = await self._allowed(update, context)
        if user is None:
            return ConversationHandler.END
        note = "Dat kan ik hier niet gebruiken. Typ je antwoord of kies een knop."
        return await self._current(update, context, user, self.state(context), note=note)

    async def _gone(self, update: Update) -> int:
        """The draft went while the form stood open (erased with its record, say)."""
        if update.callback_query is not None:
            await update.callback_query.answer()
        await say(
            update,
            f"Deze {esc(self.form.noun)} is er niet meer. Typ /{self.command} om opnieuw te "
            "beginnen.",
        )
        return ConversationHandler.END

    async def resume(self, update: Update, context: Context) -> None:
        """Show where the form stands (after an update that could not be stored)."""
        user = caller(update, context)
        if user is not None and self.scratch_key in context.user_data:
            await self._current(update, context, user, self.state(context))

    async def cancel(self, update: Update, context: Context) -> int:
        return await self._cancel(update, context, edit=False)

    async def timed_out(self, update: Update, context: Context) -> None:
        context.user_data.pop(self.choice_key, None)
        state = context.user_data.get(self.scratch_key) or {}
        if not state.get("draft"):
            context.user_data.pop(self.scratch_key, None)
            await say(update, f"Je was een tijd niet actief: {esc(self.form.title)} is gestopt.")
            return
        await say(
            update,
            f"Je was een tijd niet actief. Je {esc(self._describe(state))} is bewaard als "
            f"concept: typ /{self.command} om verder te gaan.",
        )

    async def left(self, update: Update, context: Context) -> None:
        """The chat turned to something else: keep the draft and say how to come back."""
        context.user_data.pop(self.choice_key, None)
        state = context.user_data.get(self.scratch_key) or {}
        if state.get("record"):
            text = (
                f"Je wijziging van {esc(state['record'])} is nog niet opgeslagen en blijft "
                f"bewaard: typ /{self.command} om verder te gaan."
            )
        elif state.get("draft"):
            text = (
                f"Je {esc(self.form.noun)} is bewaard als concept: typ /{self.command} om "
                "verder te gaan."
            )
        else:
            context.user_data.pop(self.scratch_key, None)
            text = f"{esc(self.form.title)} is gestopt; er was nog niets ingevuld."
        await say(update, text)

    # --- helpers -----------------------------------------------------------------------------

    def _apply_button(
        self, fld: Field, action: str, arg: str, ctx: FormContext, state: dict
    ) -> bool:
        """Apply a pressed button to the draft; True when the question is answered."""
        draft = state["draft"]
        options = fld.option_list(ctx, draft)
        if action == "o" and fld.kind == "choice":
            option = _option_for(options, arg)
            draft[fld.key] = check_choice(fld, option.value, ctx, draft)
            if fld.key == "rent_limit" and option.value != "anders":
                draft.pop("max_rent", None)
            return True
        if action == "t" and fld.kind in ("multi", "toggles"):
            option = _option_for(options, arg)
            picked = set(state.get("picked", draft.get(fld.key, [])))
            picked ^= {check_choice(fld, option.value, ctx, draft)}
            state["picked"] = sorted(picked)
            return False
        if action == "d" and fld.kind in ("multi", "toggles"):
            picked = sorted(state.get("picked", draft.get(fld.key, [])))
            if fld.required and not picked:
                raise InvalidAnswerError("Kies er minstens één.")
            draft[fld.key] = picked
            return True
        if action == "c" and fld.shortcuts:
            position = int(arg) if arg.isascii() and arg.isdigit() else -1
            if not 0 <= position < len(fld.shortcuts):
                raise InvalidAnswerError("Die keuze bestaat hier niet.")
            draft[fld.key] = parse_typed_answer(fld, fld.shortcuts[position][1], ctx, draft)
            return True
        if action == "s" and not fld.required:
            draft[fld.key] = [] if fld.kind in ("multi", "toggles") else None
            return True
        if action in ("b", "h"):
            return False
        raise InvalidAnswerError("Die knop hoort niet bij deze vraag.")

    async def _summary_action(
        self,
        update: Update,
        context: Context,
        user: User,
        state: dict,
        ctx: FormContext,
        action: str,
        arg: str,
    ) -> int:
        query = update.callback_query
        if not state.get("editing"):
            await query.answer("Die knop hoort bij een eerdere stap.")
            return await self._current(update, context, user, state)
        await query.answer()
        if action == "S":
            if self.form.missing(state["draft"], ctx):
                return await self.advance(update, context, user, edit=True)
            svc = services(context)
            try:
                row = self.save(
                    svc.store,
                    svc.kb,
                    svc.clock.now(),
                    user,
                    self.kind,
                    state["draft"],
                    record=state.get("record"),
                    draft_id=state.get("id"),
                    version=state.get("version"),
                )
                reply = self.confirm(row, state.get("record") is not None)
            except (InvalidAnswerError, InvalidRecordError) as exc:
                note = f"⚠️ Opslaan lukt nog niet: {esc(str(exc))}"
                await self.put(update, context, *self.summary(ctx, state), edit=True, note=note)
                return SUMMARY
            except ChangedMeanwhileError:
                reply = (
                    f"{esc(state['record'])} is intussen door iemand anders gewijzigd. Er is "
                    "niets opgeslagen; open de kaart opnieuw om de actuele gegevens te wijzigen."
                )
            except (NotAllowedError, NotFoundError, NotEditableError):
                # Gone, withdrawn or no longer ours: the draft has nothing left to go to.
                reply = (
                    f"Deze {self.form.name} kun je niet (meer) aanmelden of wijzigen. "
                    "Er is niets opgeslagen."
                )
            context.user_data.pop(self.scratch_key, None)
            if state.get("record"):
                (context.user_data.get(self.parked_key) or {}).pop(state["record"], None)
            await say_stored(update, context, reply, edit=True)
            return ConversationHandler.END
        if action == "E":
            state["at_summary"] = True
            await self.put(update, context, *self.edit_menu(ctx, state), edit=True)
            return EDIT
        if action == "B":
            state["at_summary"] = True
            await self.put(update, context, *self.summary(ctx, state), edit=True)
            return SUMMARY
        position = int(arg) if arg.isascii() and arg.isdigit() else -1
        visible = self.form.visible(state["draft"], ctx)
        if not 0 <= position < len(self.form.fields) or self.form.fields[position] not in visible:
            note = "Dat veld kun je hier niet kiezen."
            await self.put(update, context, *self.edit_menu(ctx, state), edit=True, note=note)
            return EDIT
        state["index"] = position
        state["at_summary"] = False
        state.pop("picked", None)
        await self.put(update, context, *self.question(ctx, state), edit=True)
        return ASK

    async def _back(
        self, update: Update, context: Context, user: User, state: dict, ctx: FormContext
    ) -> int:
        state.pop("picked", None)
        if state.get("editing"):
            state["at_summary"] = True
            await self.put(update, context, *self.summary(ctx, state), edit=True)
            return SUMMARY
        previous = self.form.previous_index(state["draft"], ctx, state["index"])
        if previous is not None:
            state["index"] = previous
        await self.put(update, context, *self.question(ctx, state), edit=True)
        return ASK

    async def _current(
        self,
        update: Update,
        context: Context,
        user: User,
        state: dict,
        *,
        edit: bool = False,
        note: str | None = None,
    ) -> int:
        """Show wherever the user is now (after a stale button or a restart), with `note`
        above it in the same message."""
        ctx = self.make_context(context, user)
        if state.get("at_summary") or (state.get("editing") and state["index"] < 0):
            state["at_summary"] = True
            await self.put(update, context, *self.summary(ctx, state), edit=edit, note=note)
            return SUMMARY
        if state["index"] < 0:
            return await self.advance(update, context, user, edit=edit)
        await self.put(update, context, *self.question(ctx, state), edit=edit, note=note)
        return ASK

    async def _cancel(self, update: Update, context: Context, *, edit: bool) -> int:
        await settle(update, context)
        state = context.user_data.pop(self.scratch_key, None) or {}
        context.user_data.pop(self.choice_key, None)
        title = f"{state['record']} wijzigen" if state.get("record") else self.form.title
        text = f"{esc(title)} afgebroken. Er is niets opgeslagen."
        await (show(update, text) if edit else say(update, text))
        return ConversationHandler.END

    async def _allowed(self, update: Update, context: Context) -> User | None:
        user = caller(update, context)
        if user is None or not may_use(user, self.command):
            await say(update, refusal(user))
            return None
        return user

    def build(self) -> Step:
        private = filters.ChatType.PRIVATE
        # Only this form's buttons: a /mijn card or another form's button pressed meanwhile
        # leaves the form (its draft kept) and goes to its own handler.
        buttons = CallbackQueryHandler(self.on_button, pattern=f"^{self.prefix}\\|")
        typed = MessageHandler(private & filters.TEXT & ~filters.COMMAND, self.on_text)
        other = MessageHandler(private & ~filters.COMMAND & ~filters.TEXT, self.on_other)
        return Step(
            name=self.form.name,
            allow_reentry=True,
            timeout=timedelta(minutes=self.timeout_minutes),
            on_leave=self.left,
            on_expire=self.timed_out,
            on_resume=self.resume,
            entry_points=[
                CommandHandler(self.command, self.begin, filters=private),
                CallbackQueryHandler(self.edit_record, pattern=f"^{self.prefix}\\|W\\|"),
            ],
            # At "Verder gaan / Opnieuw beginnen" only those buttons count: typed text would
            # otherwise answer a question nobody sees.
            states={state: [buttons, typed, other] for state in (ASK, SUMMARY, EDIT)}
            | {RESUME: [buttons]},
            fallbacks=[CommandHandler(CANCEL_COMMANDS, self.cancel, filters=private)],
        )


def _parse_data(data: str, prefix: str) -> tuple[str, int, str, str] | None:
    parts = data.split("|")
    if len(parts) != 5 or parts[0] != prefix or len(parts[1]) != 1:
        return None
    try:
        index = int(parts[2])
    except ValueError:
        return None
    if not -1 <= index < 100 or len(parts[3]) > TAG_LENGTH or len(parts[4]) > MAX_ARG:
        return None
    return parts[1], index, parts[3], parts[4]


def _tag(state: dict) -> str:
    return str(state.get("id", ""))[:TAG_LENGTH]


def _plain(text: str) -> str:
    """Typed text as a button label compares: no accents, emoji or punctuation, lower case."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c for c in decomposed if c.isalnum() or c.isspace())
    return " ".join(letters.split()).casefold()


def _fresh() -> dict:
    """A new, empty draft with its own id (saving it twice gives one record)."""
    return {"draft": {}, "index": -1, "id": secrets.token_hex(8)}


def _token(option: Option) -> str:
    """What an option's button carries: its value, or a digest of a long value; never its
    position, which points elsewhere once the list changes (an organisation added)."""
    if len(option.value.encode()) <= MAX_ARG and "|" not in option.value:
        return option.value
    return "#" + hashlib.blake2s(option.value.encode(), digest_size=6).hexdigest()


def _option_for(options: list[Option], token: str) -> Option:
    for option in options:
        if _token(option) == token:
            return option
    raise InvalidAnswerError("Die keuze is er niet (meer). Kies opnieuw uit de knoppen.")


def _cut(text: str, length: int = MAX_LABEL) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
