"""The composition root: config, database, knowledge, clock → a python-telegram-bot Application."""

from __future__ import annotations

import asyncio
import logging
import signal
import sqlite3
import sys
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from urllib.parse import urlsplit

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import Conflict, InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest
from telegram.warnings import PTBUserWarning

import handlers.candidate
import handlers.checkins
import handlers.decisions
import handlers.dwelling
import handlers.fallback
import handlers.invite
import handlers.mine
import handlers.name
import handlers.omklap
import handlers.questions
import handlers.signals
import handlers.start
import handlers.steps
import handlers.to_matchpunt
from bot.access.invites import RedeemThrottle, purge_expired
from bot.aftercare import omklap
from bot.aftercare import runner as checkin_runner
from bot.aftercare.schedule import replan
from bot.config import Config
from bot.decisions import due as decisions_due
from bot.knowledge import to_matchpunt
from bot.logsetup import redact
from bot.messaging import blocked
from bot.privacy.erasure import erase_expired, forget_stale_drafts, mentions, without
from bot.services import Clock, Services, open_knowledge, reload_knowledge_in_background
from bot.storage import Store
from bot.wiring.outbox import OutboxSender, ReplyRateLimiter
from bot.wiring.persistence import Dropped, SQLitePersistence

log = logging.getLogger("weerthuis.app")

# How often the job queue wakes the due-work runner; the rows it reads carry the real times.
DUE_WORK_INTERVAL = timedelta(minutes=1)

# How long a sent message stays in the outbox.
OUTBOX_KEPT = timedelta(days=90)
# How often a reply is tried again after Telegram's "too many requests".
REPLY_RETRIES = 3

# Only what the bot reads; edits of old messages, reactions and the like never arrive.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]

DueWork = Callable[[Services, Application], Awaitable[int]]


NOT_SAVED = (
    "⚠️ Dat is niet opgeslagen: de database is even niet beschikbaar. Er is niets veranderd; "
    "probeer het over een paar minuten opnieuw."
)
NOT_SAVED_FAULT = (
    "⚠️ Dat is niet opgeslagen: er ging iets mis aan onze kant. Er is niets veranderd; probeer "
    "het opnieuw, of typ /annuleren."
)


class WeerThuisApplication(Application):
    """PTB's Application with one unit of work per update.

    Everything an update writes (records, audit lines, its conversation state and scratch
    pads) goes into one transaction, committed when the update is done: a killed process
    loses at most the answer being typed, and a record never exists without its draft having
    ended. When the database cannot be written (locked past the busy timeout, disk full) the
    transaction is rolled back, the bot's memory of that chat goes back to what the file
    holds, the user is told, and the next update simply tries again. Due work and PTB's own
    persistence round take the same lock, so nothing interleaves with an update's unit.
    `processed_updates` lets the local shell and tests wait until the bot has settled.
    """

    processed_updates = 0
    _unit_lock: asyncio.Lock | None = None
    _unit_failure: sqlite3.Error | None = None
    _after_commit: list[Callable[[], Awaitable[object]]] | None = None
    # The newest audit line seen when looking for erasures made by another process.
    erasure_mark = 0

    @property
    def unit_lock(self) -> asyncio.Lock:
        if self._unit_lock is None:
            self._unit_lock = asyncio.Lock()
        return self._unit_lock

    @property
    def store(self) -> Store:
        return self.bot_data["services"].store

    @property
    def outbox(self) -> OutboxSender:
        if "outbox" not in self.bot_data:
            self.bot_data["outbox"] = OutboxSender(self)
        return self.bot_data["outbox"]

    async def start(self) -> None:
        await super().start()
        self.outbox.start()

    async def stop(self) -> None:
        await self.outbox.stop()
        await super().stop()

    def after_commit(self, send: Callable[[], Awaitable[object]]) -> None:
        """Send this reply once the update's unit is committed, never if it is rolled back: a
        "✅ saved" must not go out for a change that is then undone."""
        if self._after_commit is None:
            self._after_commit = []
        self._after_commit.append(send)

    async def process_update(self, update: object) -> None:
        try:
            async with self.unit_lock:
                await self._process_in_unit(update)
        except Exception:
            # Whatever happens, PTB's update fetcher must live on to serve the next update.
            log.exception("update could not be processed")
        finally:
            self.processed_updates += 1

    async def _process_in_unit(self, update: object) -> None:
        self._unit_failure = None
        self._after_commit = []
        self.store.begin_unit()
        try:
            if isinstance(update, Update) and update.effective_user is not None:
                # Someone who blocked the bot and writes again is reachable again.
                blocked.came_back(self.store, update.effective_user.id)
            await super().process_update(update)
            if self._unit_failure is None:
                await self._write_persistence()
                self.store.end_unit(commit=True)
                self._persistence().committed()
        except sqlite3.Error as exc:
            self._unit_failure = exc
        finally:
            self.store.end_unit(commit=False)  # a no-op after a commit
        failure, self._unit_failure = self._unit_failure, None
        replies, self._after_commit = self._after_commit or [], []
        if failure is not None:
            await self._unit_failed(update, failure)
            return
        for send in replies:
            try:
                await send()
            except Exception:
                log.exception("a reply after the commit could not be sent")
        # What the unit queued for others goes out now, after the replies.
        self.outbox.wake()

    async def _unit_failed(self, update: object, failure: sqlite3.Error) -> None:
        """The unit was rolled back: put the bot's memory of the update's chat back to what
        the file holds (the state before the update), hand the other chats' changes over
        again, tell the user and show where the chat is now."""
        persistence = self._persistence()
        dropped = persistence.discard()
        user_id = chat_id = None
        if isinstance(update, Update):
            user_id = update.effective_user.id if update.effective_user else None
            chat_id = update.effective_chat.id if update.effective_chat else None
        if isinstance(failure, sqlite3.OperationalError):
            # Locked past the busy timeout, disk full, an I/O error: it passes.
            log.error("update for user %s not stored: %s", user_id, failure)
            notice = NOT_SAVED
        else:
            log.error("update for user %s not stored", user_id, exc_info=failure)
            notice = NOT_SAVED_FAULT
        if user_id in self.user_data:
            _replace(self.user_data[user_id], persistence.stored_data("user", user_id))
        if chat_id in self.chat_data:
            _replace(self.chat_data[chat_id], persistence.stored_data("chat", chat_id))
        conversations = _conversation_states(self)
        key = (chat_id, user_id)  # every conversation of ours is per chat and per user
        for name, states in conversations.items():
            stored = persistence.stored_state(name, key)
            if states.get(key) != stored:
                if stored is None:
                    states.pop(key, None)
                else:
                    states[key] = stored
        self._hand_over_again(dropped, but=(user_id, chat_id, key))
        if chat_id is None:
            return
        try:
            await self.bot.send_message(chat_id, notice)
            await handlers.steps.show_where(self, update)
        except Exception:
            log.warning("could not tell user %s that nothing was stored", user_id)

    async def process_error(self, update, error, job=None, coroutine=None) -> bool:
        # A write that failed inside a handler fails the whole unit: the update is rolled
        # back and the user told once, instead of a generic "something went wrong".
        if isinstance(error, sqlite3.Error) and isinstance(update, Update):
            self._unit_failure = error
            return True
        return await super().process_error(update, error, job, coroutine)

    async def update_persistence(self) -> None:
        """PTB's own round (changes made by jobs) and shutdown: a unit of its own."""
        async with self.unit_lock:
            self.store.begin_unit()
            try:
                await self._write_persistence()
                self.store.end_unit(commit=True)
                self._persistence().committed()
            except sqlite3.Error as exc:
                # Nobody to tell; what was handed over is handed over again next round.
                log.error("persistence round not stored: %s: %s", type(exc).__name__, exc)
                self._hand_over_again(self._persistence().discard())
            finally:
                self.store.end_unit(commit=False)

    async def _write_persistence(self) -> None:
        """Hand this round's changes to the persistence and write them in the open unit, after
        clearing from memory every record erased meanwhile (from the command line, say), so an
        erasure is never undone by the bot writing back what it still held."""
        persistence = self._persistence()
        await super().update_persistence()
        if not persistence.pending:
            return
        with self.store.db.atomic():  # takes the write lock before looking for erasures
            codes, self.erasure_mark = self.store.erasures_since(self.erasure_mark)
            if codes:
                for code in codes:
                    scrub_memory(self, code)
                await super().update_persistence()
            persistence.write_pending()

    def _hand_over_again(self, dropped: Dropped, but: tuple = (None, None, None)) -> None:
        """Mark what a rolled-back round held for the next round, except the failed chat's
        (`but`: its user id, chat id and conversation key), whose memory went back to the
        file instead."""
        user_id, chat_id, key = but
        self.mark_data_for_update_persistence(
            user_ids=dropped.user_ids - {user_id}, chat_ids=dropped.chat_ids - {chat_id}
        )
        conversations = _conversation_states(self)
        for name, other in dropped.conversations:
            if other != key and name in conversations:
                conversations[name].mark_as_accessed(other)

    def _persistence(self) -> SQLitePersistence:
        assert isinstance(self.persistence, SQLitePersistence)
        return self.persistence


def _replace(live: dict, stored: dict) -> None:
    live.clear()
    live.update(stored)


def _conversation_states(app: Application) -> dict:
    # PTB keeps each persistent ConversationHandler's states here for its persistence round.
    return app._conversation_handler_conversations


def build_application(
    config: Config,
    store: Store,
    clock: Clock,
    *,
    token: str | None = None,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    rate_limiter: bool | None = None,
) -> Application:
    """Build the Application with every handler registered.

    `request`/`get_updates_request` replace the HTTP transport (the local Bot API);
    `token` defaults to the configured one. Raises `KnowledgeError` for a bad knowledge base.
    """
    kb, index = open_knowledge(config)
    svc = Services(config=config, store=store, clock=clock, kb=kb, index=index)
    bot_token = token or config.token
    if not bot_token:
        raise ValueError("no bot token")
    builder: ApplicationBuilder = (
        ApplicationBuilder()
        .application_class(WeerThuisApplication)
        .token(bot_token)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=config.tz))
        .persistence(SQLitePersistence(store))
        .post_init(_post_init)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(get_updates_request or request)
    else:
        builder = builder.base_url(config.telegram.base_url).base_file_url(
            config.telegram.base_file_url
        )
    if config.telegram.rate_limiter if rate_limiter is None else rate_limiter:
        # A reply that meets Telegram's "too many requests" waits and goes again instead of
        # failing (PTB re-raises the first one by default); the outbox has its own handling.
        builder = builder.rate_limiter(ReplyRateLimiter(max_retries=REPLY_RETRIES))
    app = builder.build()
    if isinstance(app, WeerThuisApplication):
        # Erasures before now are in the file the bot is about to load.
        app.erasure_mark = store.audit_mark()
    app.bot_data["services"] = svc
    app.bot_data["redeem_throttle"] = RedeemThrottle()
    app.bot_data["due_work"] = list(DUE_WORK)
    _register_handlers(app, config)
    return app


def _register_handlers(app: Application, config: Config) -> None:
    with warnings.catch_warnings():
        # Buttons in our conversations belong to the chat's current step, not to one message.
        warnings.filterwarnings("ignore", category=PTBUserWarning, message=".*per_message.*")
        conversations = [
            handlers.invite.build_handler(config.conversation_timeout_minutes),
            handlers.candidate.build_handler(config.conversation_timeout_minutes),
            handlers.dwelling.build_handler(config.conversation_timeout_minutes),
            handlers.mine.build_handler(),
            handlers.decisions.build_handler(),
            handlers.signals.build_handler(),
            handlers.to_matchpunt.build_handler(),
            handlers.questions.build_handler(),
            handlers.name.build_handler(config.conversation_timeout_minutes),
        ]
    handlers.fallback.register_gate(app)
    handlers.steps.register(app, conversations)
    handlers.start.register(app)
    handlers.mine.register(app)
    handlers.checkins.register(app)
    handlers.signals.register(app)
    handlers.omklap.register(app)
    handlers.questions.register(app)
    handlers.questions.register_free_text(app)
    handlers.fallback.register(app)


async def _post_init(app: Application) -> None:
    svc: Services = app.bot_data["services"]
    # The plans may have changed while the bot was down: the check-ins to come follow them.
    replanned = replan(svc.store, svc.kb, svc.config.aftercare.plan, svc.clock.now())
    if replanned:
        log.info("check-ins planned anew for %d placements (the plan changed)", replanned)
    await handlers.start.publish_commands(app.bot, None)
    for user in svc.store.users():
        await handlers.start.publish_commands(
            app.bot, user if user.active else None, user.telegram_id
        )
    if app.bot_data.get("reload_on_sighup"):
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, _reload_on_signal, app)
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            _due_work_job, interval=DUE_WORK_INTERVAL, first=DUE_WORK_INTERVAL, name="due_work"
        )


def _reload_on_signal(app: Application) -> None:
    # A signal arrives between two steps of an update's unit: reload in a task of its own,
    # after the unit (the reload writes an audit line).
    app.create_task(_reload_knowledge(app), name="reload_knowledge")


async def _reload_knowledge(app: Application) -> None:
    svc: Services = app.bot_data["services"]
    async with _unit_lock(app):
        problems = await reload_knowledge_in_background(svc)
    if problems:
        log.error(
            "knowledge base not reloaded (%d problems), first: %s", len(problems), problems[0]
        )
    else:
        log.info("knowledge base reloaded: %d entries", len(svc.kb.entries))


async def _due_work_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await run_due_work(context.application)


async def run_due_work(app: Application) -> int:
    """Run every registered piece of due work once; returns how many things it did.

    Scheduled work lives as rows in the database; this only wakes the code that reads them,
    so the local shell's `:advance` and the job queue trigger exactly the same thing.
    """
    svc: Services = app.bot_data["services"]
    done = 0
    async with _unit_lock(app):
        for work in app.bot_data["due_work"]:
            try:
                done += await work(svc, app)
            except Exception:
                log.exception("due work %s failed", getattr(work, "__name__", work))
    if isinstance(app, WeerThuisApplication):
        app.outbox.wake()  # what the work queued, and retries that came due
    return done


def _unit_lock(app: Application) -> asyncio.Lock:
    return app.unit_lock if isinstance(app, WeerThuisApplication) else asyncio.Lock()


async def _purge_expired_invites(svc: Services, app: Application) -> int:
    return purge_expired(svc.store, svc.clock.now())


async def _erase_expired_candidates(svc: Services, app: Application) -> int:
    if not _first_run_today(svc, app, "retention_day"):
        return 0
    # What the bot sent is kept a while (for the digest and the audit), then forgotten.
    svc.store.purge_sent_messages(svc.clock.now() - OUTBOX_KEPT)
    to_matchpunt.forget_old_askers(svc.store, svc.clock.now())
    erased = erase_expired(svc.store, svc.clock.now(), svc.config.retention_months)
    for code in erased:
        scrub_memory(app, code)
    if erased:
        log.info("retention: erased %d candidates whose aftercare ended long ago", len(erased))
    return len(erased)


def scrub_memory(app: Application, code: str) -> None:
    """Remove every mention of an erased record from the scratch pads the bot holds, or the
    next persistence flush would write them back."""
    for owner, data in list(app.user_data.items()):
        if _scrub(data, code):
            app.mark_data_for_update_persistence(user_ids=owner)
    for owner, data in list(app.chat_data.items()):
        if _scrub(data, code):
            app.mark_data_for_update_persistence(chat_ids=owner)


def _scrub(data: dict, code: str) -> bool:
    if not mentions(data, code):
        return False
    cleaned = without(data, code)
    data.clear()
    data.update(cleaned)
    return True


def _first_run_today(svc: Services, app: Application, marker: str) -> bool:
    """Daily work: True for the first run on each new day."""
    today = svc.clock.now().date().isoformat()
    if app.bot_data.get(marker) == today:
        return False
    app.bot_data[marker] = today
    return True


async def _forget_stale_drafts(svc: Services, app: Application) -> int:
    if not _first_run_today(svc, app, "drafts_day"):
        return 0
    forgotten = 0
    for user_id, data in list(app.user_data.items()):
        user = svc.store.find_user(user_id)
        held = bool(data)
        dropped = forget_stale_drafts(data, svc.clock.now(), user is not None and user.active)
        if dropped or (held and not data):
            forgotten += dropped
            app.mark_data_for_update_persistence(user_ids=user_id)
    if forgotten:
        log.info("forgot %d unfinished drafts", forgotten)
    return forgotten


async def _proposal_deadlines(svc: Services, app: Application) -> int:
    return decisions_due.proposal_deadlines(svc.store, svc.clock.now())


async def _morning_digest(svc: Services, app: Application) -> int:
    return decisions_due.morning_digest(svc.store, svc.clock.now(), svc.config.quiet_hours)


async def _move_ins(svc: Services, app: Application) -> int:
    return decisions_due.move_ins(svc.store, svc.clock.now(), svc.config.aftercare.plan, svc.kb)


async def _checkins(svc: Services, app: Application) -> int:
    now = svc.clock.now()
    missed = checkin_runner.close_missed(svc.store, now) + checkin_runner.follow_up(svc.store, now)
    names = {m.id: m.name for region in svc.kb.regions.values() for m in region.municipalities}
    region_hours = {
        region: facts.aftercare.hours
        for region, facts in svc.kb.facts.items()
        if facts.aftercare.hours
    }
    done = missed + checkin_runner.ask_due(
        svc.store, now, svc.config.aftercare, names, region_hours
    )
    if checkin_runner.in_hours(now, svc.config.aftercare):
        done += omklap.ask_due(svc.store, svc.kb, now)
        done += omklap.flip_due(svc.store, svc.kb, now)
    return done


DUE_WORK: list[DueWork] = [
    _purge_expired_invites,
    _erase_expired_candidates,
    _forget_stale_drafts,
    _proposal_deadlines,
    _morning_digest,
    _move_ins,
    _checkins,
]


NO_TOKEN = (
    "Geen bot-token: zet {env} in de omgeving om op Telegram te draaien, of probeer de bot "
    "lokaal met 'weerthuis shell --demo'. "
    "(No bot token: set {env}, or try 'weerthuis shell --demo'.)"
)


def run_failure(exc: BaseException, config: Config) -> str:
    """Why `run` stopped, as one line in Dutch and English, with every secret redacted."""
    from bot.config import TOKEN_ENV

    host = urlsplit(config.telegram.base_url).netloc or config.telegram.base_url
    if isinstance(exc, InvalidToken):
        line = (
            f"Telegram ({host}) weigert het bot-token; controleer {TOKEN_ENV}. "
            f"(Telegram rejected the bot token; check {TOKEN_ENV}.)"
        )
    elif isinstance(exc, Conflict):
        line = (
            "er draait al een andere bot met dit token. "
            "(Another instance is already using this token.)"
        )
    elif isinstance(exc, NetworkError):
        line = (
            f"Telegram is niet bereikbaar op {host} ({exc.message}). "
            f"(Cannot reach Telegram at {host}.)"
        )
    elif isinstance(exc, TelegramError):
        line = f"Telegram gaf een fout: {exc.message} (Telegram error.)"
    elif isinstance(exc, sqlite3.Error):
        line = f"de database is onbruikbaar: {exc} (database unusable.)"
    else:
        line = (
            f"de bot is gestopt door een onverwachte fout: {type(exc).__name__}: {exc} "
            "(the bot stopped on an unexpected error.)"
        )
    line = " ".join(redact(line, [config.token or "", config.webhook_secret or ""]).split())
    return f"weerthuis: {line[:500]}"


def run_bot(config: Config) -> int:
    """Run on Telegram until interrupted; polling or webhook per config. Returns an exit code:
    any failure ends in one redacted line on standard error, never a traceback."""
    from bot.clock import SystemClock
    from bot.config import TOKEN_ENV
    from bot.logsetup import setup_logging

    if not config.token:
        print(NO_TOKEN.format(env=TOKEN_ENV), file=sys.stderr)
        return 2
    setup_logging(config)
    store = Store(config.database)
    store.migrate()
    app = build_application(config, store, SystemClock(config.tz))
    app.bot_data["reload_on_sighup"] = True
    log.info("starting in %s mode", config.telegram.mode)
    try:
        _run(app, config)
    except Exception as exc:
        log.error("stopped: %s", type(exc).__name__)
        print(run_failure(exc, config), file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


def _run(app: Application, config: Config) -> None:
    if config.telegram.mode == "webhook":
        hook = config.telegram.webhook
        app.run_webhook(
            listen=hook.listen,
            port=hook.port,
            url_path=hook.url_path,
            webhook_url=hook.url,
            secret_token=config.webhook_secret,
            allowed_updates=ALLOWED_UPDATES,
        )
    else:
        app.run_polling(allowed_updates=ALLOWED_UPDATES)
