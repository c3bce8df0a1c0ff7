"""One open step per chat: every multi-message exchange (a form, a reason, an invite) is a
`Step`, and a chat has at most one open at a time.

Typed text goes to the step that asked for it, so two open conversations must never compete
for it. Before anything else handles an update, `keep_one_step` looks at the chat's open
step: when the update is not for it (another command, another button, a question the step
does not take), the step is left first and says what happened to its work (a draft is kept,
a status change did not happen); when its time is up, even across a restart that lost PTB's
timeout job, it expires by the clock. Then the update goes where it belongs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.knowledge.search import looks_like_question
from handlers.common import Context, say, services, settle, show

# user_data: when each open step last moved (ISO), so its timeout survives a restart.
STEP_CLOCK = "step_clock"
# user_data: the step PTB's timer just ended; the chat's next update may be meant for it.
EXPIRED_STEP = "step_expired"
GROUP = -1

Notice = Callable[[Update, Context], Awaitable[None]]


class Step(ConversationHandler):
    """A persistent ConversationHandler that knows how to be left and how to expire.

    `on_leave` runs when the chat turns to something else while the step is open; `on_expire`
    when it was idle longer than `timeout` (from PTB's job, or by the clock after a restart).
    Both clean the step's scratch and tell the user; neither changes a record. `on_resume`
    shows the step's current question again, after an update that could not be stored.
    """

    def __init__(
        self,
        *,
        name: str,
        entry_points: list[BaseHandler],
        states: dict[object, list[BaseHandler]],
        fallbacks: list[BaseHandler],
        timeout: timedelta,
        on_leave: Notice,
        on_expire: Notice,
        on_resume: Notice | None = None,
        allow_reentry: bool = False,
    ) -> None:
        async def expired(update: Update, context: Context) -> None:
            _unstamp(context, name)
            # Whatever was pressed, the step is over: its keyboard goes.
            await settle(update, context, force=True)
            await on_expire(update, context)

        async def timer_ran_out(update: Update, context: Context) -> None:
            # Text typed after this (a name, a reason) was meant for the step: whoever gets
            # the next update must not keep it, as when a step is left (`keep_one_step`).
            context.user_data[EXPIRED_STEP] = name
            await expired(update, context)

        super().__init__(
            name=name,
            persistent=True,
            allow_reentry=allow_reentry,
            conversation_timeout=timeout,
            entry_points=entry_points,
            states={
                **states,
                ConversationHandler.TIMEOUT: [
                    MessageHandler(filters.ALL, timer_ran_out),
                    CallbackQueryHandler(timer_ran_out),
                ],
            },
            fallbacks=fallbacks,
        )
        self.timeout = timeout
        self.on_leave = on_leave
        self.on_expire = expired
        self.on_resume = on_resume

    def is_open(self, key: tuple[int, ...]) -> bool:
        return self._conversations.get(key) is not None

    async def close(self, key: tuple[int, ...], context: Context) -> None:
        """End the step for `key` (no callback runs; the caller tells the user)."""
        async with self._timeout_jobs_lock:
            job = self.timeout_jobs.pop(key, None)
        if job is not None:
            job.schedule_removal()
        self._update_state(self.END, key)
        _unstamp(context, self.name)

    async def handle_update(
        self, update: Update, application: Application, check_result: Any, context: Context
    ) -> object | None:
        result = await super().handle_update(update, application, check_result, context)
        key = check_result[1]
        if self.is_open(key):
            moved = services(context).clock.now().isoformat()
            context.user_data.setdefault(STEP_CLOCK, {})[self.name] = moved
        else:
            _unstamp(context, self.name)
            # Ended (saved, cancelled, refused): no keyboard of it stays live.
            await settle(update, context)
        return result


class AQuestion(filters.MessageFilter):
    """Typed text that asks something. A step that waits for free text (a reason, a name)
    does not take it: the step is left and the question goes to the answers."""

    def filter(self, message) -> bool:
        return looks_like_question(message.text or "")


def _unstamp(context: Context, name: str) -> None:
    clocks = context.user_data.get(STEP_CLOCK)
    if clocks is not None:
        clocks.pop(name, None)
        if not clocks:
            del context.user_data[STEP_CLOCK]


async def keep_one_step(update: Update, context: Context) -> None:
    """Leave or expire the chat's open steps that this update is not for."""
    if update.effective_user is None or update.effective_chat is None:
        return
    key = (update.effective_chat.id, update.effective_user.id)
    expired = context.user_data.pop(EXPIRED_STEP, None)
    if expired is not None:
        context.left_step = expired
    steps: Sequence[Step] = context.bot_data.get("steps", ())
    opened = [step for step in steps if step.is_open(key)]
    if not opened:
        return
    now = services(context).clock.now()
    clocks = context.user_data.get(STEP_CLOCK, {})
    for step in opened:
        moved = clocks.get(step.name)
        # A step without a clock was left open by an older version: its time is up too.
        if moved is None or now - datetime.fromisoformat(moved) > step.timeout:
            await step.close(key, context)
            await step.on_expire(update, context)
        elif step.check_update(update) in (None, False):
            await step.close(key, context)
            await settle(update, context, force=True)
            await step.on_leave(update, context)
        else:
            continue
        # Text that arrives as a step closes may be meant for it (a reason, an answer about
        # a person): whoever handles it next must not keep it.
        context.left_step = step.name


async def show_where(app: Application, update: object) -> None:
    """After an update that was rolled back, show the chat's open step again: the message on
    screen may have moved on to a question the bot no longer stands at."""
    if not isinstance(update, Update) or not update.effective_user or not update.effective_chat:
        return
    key = (update.effective_chat.id, update.effective_user.id)
    for step in app.bot_data.get("steps", ()):
        if step.is_open(key) and step.on_resume is not None:
            context = app.context_types.context.from_update(update, app)
            await step.on_resume(update, context)
            return


def just_left_a_step(context: Context) -> bool:
    """Whether this update closed an open step before it got here."""
    return getattr(context, "left_step", None) is not None


def register(app: Application, steps: Sequence[Step]) -> None:
    """Add the steps as handlers and the gate that keeps one open per chat."""
    app.bot_data["steps"] = tuple(steps)
    app.add_handler(TypeHandler(Update, keep_one_step), group=GROUP)
    for step in steps:
        app.add_handler(step)


class TypedStepExits:
    """How a step that waits for one typed text (a reason, a note, an answer) ends without
    it: /stop or its Annuleren button (`stop`), the chat turning elsewhere (`left`), or time
    running out (`timed_out`). Each forgets the step's scratch under `pending` and says
    `stopped`."""

    def __init__(self, pending: str, stopped: str) -> None:
        self.pending, self.stopped = pending, stopped

    async def stop(self, update: Update, context: Context) -> int:
        context.user_data.pop(self.pending, None)
        if update.callback_query is not None:
            await update.callback_query.answer()
            await show(update, self.stopped)
        else:
            await settle(update, context)
            await say(update, self.stopped)
        return ConversationHandler.END

    async def left(self, update: Update, context: Context) -> None:
        if context.user_data.pop(self.pending, None):
            await say(update, self.stopped)

    async def timed_out(self, update: Update, context: Context) -> None:
        context.user_data.pop(self.pending, None)
        await say(update, "Je was een tijd niet actief. " + self.stopped)
