"""`weerthuis shell`: talk to the real Application in the terminal through the local Bot API.

Interactive on a terminal; scripted otherwise (each line runs, then the shell waits for the
bot to settle, so the transcript is deterministic and a conversation file is a test fixture).
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from bot.clock import ManualClock
from bot.config import Config
from bot.demo import DEMO_USERS, seed_demo, seed_demo_records
from bot.knowledge.base import load_knowledge
from bot.localapi.server import LocalBotApi, Output
from bot.logsetup import setup_logging
from bot.storage import Store
from bot.wiring.app import ALLOWED_UPDATES, build_application, run_due_work

SETTLE_TIMEOUT = 15.0
# A scripted session starts at this moment (a Monday morning), so its transcript is the same
# on every run; an interactive one starts now. `--now` overrides both.
SCRIPTED_START = "2026-01-05T09:00:00+01:00"
GUEST_ID = 1
DIRECTIVES = (
    ":as GEBRUIKER   doe je voor als een andere Telegram-gebruiker (id, of met --demo een rol: "
    + ", ".join(DEMO_USERS)
    + ")\n:press KNOP    druk op een knop (tekst of nummer) van het nieuwste bericht met knoppen\n"
    ":advance DUUR  zet de klok vooruit (45m, 3h, 30d, 1h30m) en laat uitvoeren wat dan moet\n"
    ":quit          stoppen"
)
_DURATION = re.compile(r"(\d+)\s*([smhdw])")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
MAX_ADVANCE = timedelta(days=3660)


class DirectiveError(Exception):
    """A shell directive could not be carried out; the message says why, in Dutch."""


def parse_duration(text: str) -> timedelta:
    """'45m', '3h', '30d', '1h30m' → timedelta. Raises `DirectiveError`."""
    compact = text.strip().lower().replace(" ", "")
    if not compact or _DURATION.sub("", compact):
        raise DirectiveError(f"onbekende duur {text!r}; gebruik bijvoorbeeld 45m, 3h of 30d")
    seconds = sum(int(amount) * _SECONDS[unit] for amount, unit in _DURATION.findall(compact))
    if seconds > MAX_ADVANCE.total_seconds():
        raise DirectiveError("dat is te ver vooruit (hoogstens tien jaar)")
    return timedelta(seconds=seconds)


class Shell:
    """One shell session: the local Bot API, the Application, the acting user."""

    def __init__(
        self,
        config: Config,
        store: Store,
        clock: ManualClock,
        *,
        demo: bool,
        jsonl: bool,
        out: TextIO,
        err: TextIO,
        rate_limiter: bool | None = None,
    ) -> None:
        self.config, self.store, self.clock = config, store, clock
        self.demo, self.jsonl, self.out, self.err = demo, jsonl, out, err
        self.api = LocalBotApi(clock=clock)
        self.app = build_application(
            config,
            store,
            clock,
            token=self.api.token,
            request=self.api.request(),
            get_updates_request=self.api.request(),
            rate_limiter=rate_limiter,
        )
        self.actor = DEMO_USERS["coordinator"] if demo else GUEST_ID
        if demo:
            # The demo staff have used the bot before: it may write to them first.
            self.api.known_chats.update(DEMO_USERS.values())
        # Job-queue jobs run on real time; each is due on the shifted clock by the offset that
        # was in force when it was scheduled.
        self._job_offsets: dict[str, timedelta] = {}
        self.api.add_listener(self._print_output)

    async def __aenter__(self) -> Shell:
        await self.app.initialize()
        await self.app.start()
        await self.app.updater.start_polling(
            poll_interval=0, timeout=10, allowed_updates=ALLOWED_UPDATES
        )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.app.updater.stop()
        await self.app.stop()
        await self.app.shutdown()

    # --- output ------------------------------------------------------------------------

    def _who(self, telegram_id: int) -> str:
        for role, demo_id in DEMO_USERS.items():
            if self.demo and demo_id == telegram_id:
                return f"{telegram_id} {role}"
        return str(telegram_id)

    def _print_output(self, output: Output) -> None:
        if self.jsonl:
            self.out.write(json.dumps(output.as_json(), ensure_ascii=False) + "\n")
            self.out.flush()
            return
        if output.kind == "buttons" and not output.buttons:
            # Only the keyboard went: the first line says which message it was.
            first = (output.text or "").split("\n", 1)[0]
            self.out.write(f"[→ {self._who(output.to)}, knoppen weg] {first}".rstrip() + "\n")
            self.out.flush()
            return
        label = {
            "message": "",
            "edit": ", bewerkt",
            "buttons": ", knoppen bewerkt",
            "photo": ", foto",
            "document": f", document {output.file_name}",
            "callback_answer": ", melding",
        }.get(output.kind, f", {output.kind}")
        lines = [f"[→ {self._who(output.to)}{label}] {output.text or ''}".rstrip()]
        number = 0
        for row in output.buttons:
            cells = []
            for button in row:
                number += 1
                cells.append(f"[{number}] {button.label}")
            lines.append("    " + "   ".join(cells))
        self.out.write("\n".join(lines) + "\n")
        self.out.flush()

    def note(self, text: str) -> None:
        """Shell feedback, not bot output: on stderr in JSON mode so stdout stays parseable."""
        stream = self.err if self.jsonl else self.out
        stream.write(f"— {text}\n")
        stream.flush()

    @property
    def prompt(self) -> str:
        return f"{self._who(self.actor)}> "

    # --- input -------------------------------------------------------------------------

    async def handle_line(self, line: str) -> bool:
        """Run one input line; False when the shell should stop."""
        line = line.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            return True
        if line.startswith(":"):
            name, _, argument = line[1:].strip().partition(" ")
            try:
                return await self._directive(name.lower(), argument.strip())
            except DirectiveError as exc:
                self.note(f"! {exc}")
                return True
        self.api.send_text(self.actor, line)
        await self.settle()
        return True

    async def _directive(self, name: str, argument: str) -> bool:
        self._note_new_jobs()
        if name in ("quit", "q", "exit"):
            return False
        if name == "help":
            self.note("\n" + DIRECTIVES)
        elif name == "as":
            self.actor = self._parse_actor(argument)
            self.note(f"je bent nu {self._who(self.actor)}")
        elif name == "press":
            if not argument:
                raise DirectiveError("welke knop? bijvoorbeeld :press 1 of :press Ja")
            try:
                self.api.press_button(self.actor, argument)
            except ValueError:
                raise DirectiveError(
                    f"geen knop {argument!r} bij het nieuwste bericht met knoppen"
                ) from None
            await self.settle()
        elif name == "advance":
            delta = parse_duration(argument)
            self._note_new_jobs()
            self.clock.advance(delta)
            ran = await self._run_due()
            self.note(f"klok staat op {self.clock.now():%d-%m-%Y %H:%M}; uitgevoerde taken: {ran}")
        else:
            raise DirectiveError(f"onbekende opdracht :{name} (typ :help)")
        return True

    def _parse_actor(self, argument: str) -> int:
        if self.demo and argument in DEMO_USERS:
            return DEMO_USERS[argument]
        if argument.isdigit() and 0 < int(argument) < 2**52:
            return int(argument)
        roles = f" of een rol ({', '.join(DEMO_USERS)})" if self.demo else ""
        raise DirectiveError(f"onbekende gebruiker {argument!r}; geef een Telegram-id{roles}")

    def _note_new_jobs(self) -> None:
        if self.app.job_queue is not None:
            for job in self.app.job_queue.jobs():
                self._job_offsets.setdefault(job.job.id, self.clock.offset)

    async def _run_due(self) -> int:
        """Run job-queue jobs that are due on the shifted clock, then the database-driven work."""
        ran = 0
        real_now = datetime.now(UTC)
        if self.app.job_queue is not None:
            for job in self.app.job_queue.jobs():
                scheduled_offset = self._job_offsets.get(job.job.id, self.clock.offset)
                shift = self.clock.offset - scheduled_offset
                if job.name == "due_work" or job.next_t is None or job.next_t > real_now + shift:
                    continue
                await job.run(self.app)
                ran += 1
                if job.job.trigger.__class__.__name__ == "DateTrigger":
                    job.schedule_removal()
        ran += await run_due_work(self.app)
        await self.settle()
        return ran

    async def settle(self) -> None:
        """Wait until every injected update has been processed."""
        deadline = asyncio.get_running_loop().time() + SETTLE_TIMEOUT
        while self.app.processed_updates < self.api.injected_count - self.api.discarded_count:
            if asyncio.get_running_loop().time() > deadline:
                self.note("! de bot reageert niet binnen de tijd")
                return
            await asyncio.sleep(0.001)
        await asyncio.sleep(0)
        # What the bot sends on its own (to this user or others) is part of the same step.
        outbox = getattr(self.app, "outbox", None)
        if outbox is not None:
            await outbox.drain()


async def run_shell(
    config: Config,
    *,
    demo: bool = False,
    db_path: str | None = None,
    jsonl: bool = False,
    now: str | None = None,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run the shell until :quit or end of input. Returns an exit code."""
    stdin, out, err = stdin or sys.stdin, out or sys.stdout, err or sys.stderr
    quiet = config.logging.level if config.logging.level in ("WARNING", "ERROR") else "WARNING"
    setup_logging(_with_log_level(config, quiet), stream=err)
    with tempfile.TemporaryDirectory(prefix="weerthuis-shell-") as tmp:
        path = Path(db_path) if db_path else Path(tmp) / "shell.sqlite3"
        store = Store(path)
        try:
            store.migrate()
            start = now or (None if stdin.isatty() else SCRIPTED_START)
            clock = ManualClock(config.tz, start=datetime.fromisoformat(start) if start else None)
            if demo:
                kb = load_knowledge(config.knowledge_dir)
                seed_demo(store, kb.regions, clock.now())
                seed_demo_records(store, kb, clock.now())
            shell = Shell(config, store, clock, demo=demo, jsonl=jsonl, out=out, err=err)
            await _session(shell, stdin)
        finally:
            store.close()
    return 0


async def _session(shell: Shell, stdin: TextIO) -> None:
    interactive = stdin.isatty()
    loop = asyncio.get_running_loop()
    async with shell:
        shell.note(
            f"Weer Thuis shell — je bent {shell._who(shell.actor)}. Typ een bericht, of :help."
        )
        while True:
            if interactive:
                try:
                    line = await loop.run_in_executor(None, input, shell.prompt)
                except EOFError:
                    break
            else:
                line = await loop.run_in_executor(None, stdin.readline)
                if not line:
                    break
                if line.strip() and not line.lstrip().startswith("#") and not shell.jsonl:
                    shell.out.write(f"{shell.prompt}{line.rstrip()}\n")
            if not await shell.handle_line(line):
                break


def _with_log_level(config: Config, level: str) -> Config:
    from dataclasses import replace

    return replace(config, logging=replace(config.logging, level=level, file=None))
