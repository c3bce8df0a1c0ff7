"""`weerthuis`: the command line. Each command parses its arguments and makes one core call;
errors come out as one line and a non-zero exit code, never a traceback."""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sqlite3
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.access import accounts
from bot.access.accounts import AccountError
from bot.access.invites import MAX_VALID_DAYS, InviteTermsError, create_invite, deep_link
from bot.access.roles import ROLES
from bot.clock import SystemClock
from bot.config import TOKEN_ENV, Config, ConfigError, load_config
from bot.demo import DemoRefusedError
from bot.knowledge import asking, to_matchpunt
from bot.knowledge.base import KnowledgeBase, KnowledgeError, check_knowledge, load_knowledge
from bot.knowledge.unanswered import group_questions
from bot.matching import matchpunt, ranking, wanted
from bot.privacy import erasure
from bot.records import importer
from bot.records.export import FORMATS, export_csv
from bot.records.registry import CANDIDATES, DWELLINGS
from bot.services import open_knowledge
from bot.storage import ORGANISATION_KINDS, NotFoundError, Store

EXIT_USAGE = 2
CLI_BUSY_TIMEOUT_MS = 30_000
EXIT_FAILED = 1
MAX_TELEGRAM_ID = 2**52


class CliError(Exception):
    """A command cannot be carried out; the message is shown as is."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # One line, no usage dump: the help is one flag away.
        self.exit(EXIT_USAGE, f"{self.prog}: fout (error): {message} — zie {self.prog} --help\n")


CONFIG_HELP = "config file (default: $WEERTHUIS_CONFIG or ./config.yaml)"


def _config_option() -> argparse.ArgumentParser:
    """`--config` for after a subcommand too ("weerthuis kb check --config X"). SUPPRESS: a
    subcommand that is not given it leaves the value given before the subcommand alone."""
    common = _Parser(add_help=False)
    common.add_argument("--config", default=argparse.SUPPRESS, help=CONFIG_HELP)
    return common


DB_HELP = "the database file (default: $WEERTHUIS_DB or the config's `database`)"


def _command(group: Any, name: str, *, db: bool = False, **kwargs: Any) -> argparse.ArgumentParser:
    """A (sub)command; every one of them takes `--config`, and one that reads the database
    `--db`."""
    command = group.add_parser(name, parents=[_config_option()], **kwargs)
    if db:
        command.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=DB_HELP)
    return command


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="weerthuis", description="Weer Thuis bot")
    parser.add_argument("--config", default=None, help=CONFIG_HELP)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    shell = _command(sub, "shell", help="talk to the bot in the terminal, without Telegram")
    shell.add_argument("--demo", action="store_true", help="start with a demo region and users")
    shell.add_argument("--db", help="database file (default: a fresh temporary one)")
    shell.add_argument("--jsonl", action="store_true", help="print bot output as JSON lines")
    shell.add_argument(
        "--now", type=_moment, help="start the clock here (ISO, e.g. 2026-03-01T09:00+01:00)"
    )

    _command(sub, "run", db=True, help=f"run the bot on Telegram (token from ${TOKEN_ENV})")

    users = _command(sub, "users", help="manage users").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    add = _command(users, "add", db=True, help="add a user (e.g. the first admin)")
    add.add_argument("--telegram-id", type=_telegram_id, required=True)
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--org", required=True, help="organisation name")
    add.add_argument("--region", required=True)
    add.add_argument("--admin", action="store_true")
    add.add_argument("--first-name", help="the first name colleagues see (the user can change it)")
    listing = _command(users, "list", db=True, help="list users")
    listing.add_argument("--region")
    deactivate = _command(users, "deactivate", db=True, help="take a user's access away")
    deactivate.add_argument("telegram_id", type=_telegram_id)

    orgs = _command(sub, "orgs", help="manage organisations").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    org_add = _command(orgs, "add", db=True, help="add an organisation")
    org_add.add_argument("--name", required=True)
    org_add.add_argument("--kind", choices=ORGANISATION_KINDS, required=True)
    org_add.add_argument("--region", required=True)
    org_list = _command(orgs, "list", db=True, help="list organisations")
    org_list.add_argument("--region")

    kb = _command(sub, "kb", help="the knowledge base").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    kb_check = _command(kb, "check", help="validate every knowledge file")
    kb_check.add_argument("--dir", help="knowledge folder (default from config)")
    kb_unanswered = _command(
        kb, "unanswered", db=True, help="unanswered and disliked questions, grouped"
    )
    kb_unanswered.add_argument("--region")
    kb_unanswered.add_argument(
        "--clear-until",
        type=_day,
        help="forget questions up to this day (YYYY-MM-DD), once handled",
    )

    kb_drafts = _command(
        kb,
        "drafts",
        db=True,
        help="draft entries from the matchpunt's answers in chat, as YAML for knowledge/qa",
    )
    kb_drafts.add_argument("--region")

    ask = _command(sub, "ask", help="ask the knowledge base (one question, or one per stdin line)")
    ask.add_argument("--region", help="the asker's region")
    ask.add_argument("--json", action="store_true", help="print JSON")
    ask.add_argument(
        "--context",
        action="store_true",
        help="lines are one chat: a follow-up ('en in Emmen?') refers to the line before",
    )
    ask.add_argument("question", nargs="*", help="the question (default: read lines from stdin)")

    audit = _command(sub, "audit", db=True, help="read the audit log")
    audit.add_argument("--record", help="a record code, e.g. WT-IZK-0042")
    audit.add_argument("--user", type=_telegram_id, help="a Telegram id")

    privacy = _command(sub, "privacy", help="data rights of candidates").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    privacy_export = _command(
        privacy, "export", db=True, help="print everything stored about a candidate"
    )
    privacy_export.add_argument("code")
    privacy_erase = _command(
        privacy, "erase", db=True, help="erase a candidate (a tombstone stays)"
    )
    privacy_erase.add_argument("code")
    privacy_erase.add_argument("--yes", action="store_true", help="really erase")

    export = _command(sub, "export", db=True, help="CSV of a region's candidates or dwellings")
    export.add_argument("what", choices=("candidates", "dwellings"))
    export.add_argument("--region", required=True)
    export.add_argument(
        "--format",
        choices=FORMATS,
        default="csv",
        help="csv: for Dutch Excel (default); csv-plain: RFC 4180 with internal keys, for scripts",
    )

    match = _command(
        sub, "match", db=True, help="who fits a dwelling, or which homes fit a candidate"
    )
    which = match.add_mutually_exclusive_group(required=True)
    which.add_argument("--dwelling", metavar="CODE", help="rank the waiting candidates for it")
    which.add_argument("--candidate", metavar="CODE", help="the available homes that fit")
    which.add_argument(
        "--wanted",
        metavar="REGION",
        help="the homes to ask the corporations for next: where, what kind, for whom",
    )
    match.add_argument(
        "--json",
        action="store_true",
        help='{"ranked": [...], "excluded": [...]}; with --wanted {"wanted": [...]}',
    )

    report = _command(sub, "report", db=True, help="the matchpunt's overview of a region")
    report.add_argument("--region", required=True)
    report.add_argument("--format", choices=("text", "csv", "png", "json"), default="text")
    report.add_argument(
        "--out", type=Path, help="write to this file (png: required unless stdout is a file)"
    )

    imports = _command(
        sub, "import", db=True, help="read candidates or dwellings from a csv-plain file"
    )
    imports.add_argument("what", choices=("candidates", "dwellings"))
    imports.add_argument(
        "file", type=Path, help="a CSV as `weerthuis export ... --format csv-plain` writes it"
    )
    imports.add_argument("--region", required=True)
    imports.add_argument(
        "--org",
        metavar="NAME",
        help="the organisation that owns the records (default: the region's only gemeente "
        "for candidates, its only corporatie for dwellings)",
    )

    invite = _command(sub, "invite", db=True, help="create an invite code and deep link")
    invite.add_argument("--role", choices=ROLES, required=True)
    invite.add_argument("--org", required=True, help="organisation name")
    invite.add_argument("--region", required=True)
    invite.add_argument("--days", type=_days, help="days valid (default from config)")
    invite.add_argument("--bot-username", type=_bot_username, help="default from config")
    return parser


def _moment(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"geen tijdstip (not a moment): {text!r}") from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("tijdzone ontbreekt, bijv. +01:00 (needs an offset)")
    if not 2000 <= moment.year <= 2200:
        raise argparse.ArgumentTypeError("kies een jaar tussen 2000 en 2200")
    return text


def _day(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"geen datum JJJJ-MM-DD: {text!r}") from None


def _telegram_id(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 0 < int(text) < MAX_TELEGRAM_ID:
        raise argparse.ArgumentTypeError(f"geen Telegram-id (not a Telegram id): {text!r}")
    return int(text)


def _days(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_VALID_DAYS:
        raise argparse.ArgumentTypeError(f"aantal dagen moet 1 tot {MAX_VALID_DAYS} zijn")
    return int(text)


def _bot_username(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{4,31}", text):
        raise argparse.ArgumentTypeError(f"geen geldige botnaam: {text!r}")
    return text


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "kb" and args.action == "check" and args.dir:
            # The folder is named: checking it needs no config file.
            return _kb_check(Path(args.dir))
        config = load_config(args.config)
        if getattr(args, "db", None) is not None and args.command != "shell":
            config = replace(config, database=args.db)
        return _dispatch(args, config)
    except (ConfigError, CliError, AccountError, DemoRefusedError) as exc:
        print(f"weerthuis: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KnowledgeError as exc:
        more = (
            f" (+{len(exc.problems) - 1}; zie weerthuis kb check)" if len(exc.problems) > 1 else ""
        )
        print(f"weerthuis: kennisbank ongeldig: {exc.problems[0]}{more}", file=sys.stderr)
        return EXIT_USAGE
    except sqlite3.DatabaseError as exc:
        print(f"weerthuis: database onbruikbaar (database unusable): {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        print(
            f"weerthuis: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr
        )
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace, config: Config) -> int:
    if args.command == "shell":
        from bot.localapi.shell import run_shell

        return asyncio.run(
            run_shell(config, demo=args.demo, db_path=args.db, jsonl=args.jsonl, now=args.now)
        )
    if args.command == "run":
        from bot.wiring.app import run_bot

        return run_bot(config)
    if args.command == "kb" and args.action == "check":
        return _kb_check(config.knowledge_dir)
    if args.command == "ask":
        return _ask(config, args)
    if args.command == "export":
        return _export(config, args)
    if args.command == "match":
        return _match(config, args)
    if args.command == "report":
        return _report(config, args)
    if args.command == "import":
        return _import(config, args)
    regions = load_knowledge(config.knowledge_dir).regions
    # A running bot may hold the write lock for the length of one update, Telegram calls
    # included: an operator's command waits longer than the bot's own busy timeout.
    store = Store(config.database, busy_timeout_ms=CLI_BUSY_TIMEOUT_MS)
    try:
        store.migrate()
        return _operate(args, config, store, regions)
    finally:
        store.close()


def _operate(args: argparse.Namespace, config: Config, store: Store, regions: dict) -> int:
    now = SystemClock(config.tz).now()
    region = getattr(args, "region", None)
    if region is not None and region not in regions:
        known = ", ".join(sorted(regions))
        raise CliError(f"onbekende regio (unknown region) {region!r}; bekend: {known}")
    if args.command == "orgs" and args.action == "add":
        org = accounts.add_organisation(store, now, args.name, args.kind, args.region)
        print(f"{org.id}\t{org.name}\t{org.kind}\t{org.region}")
    elif args.command == "orgs":
        for org in store.organisations(args.region):
            print(f"{org.id}\t{org.name}\t{org.kind}\t{org.region}")
    elif args.command == "users" and args.action == "add":
        org = _organisation(store, args.org, args.region)
        user = accounts.add_user(
            store,
            now,
            telegram_id=args.telegram_id,
            role=args.role,
            organisation=org,
            is_admin=args.admin,
            language=config.language,
            first_name=args.first_name,
        )
        print(f"toegevoegd: {user.telegram_id} {user.role} {org.name} {user.region}")
    elif args.command == "users" and args.action == "list":
        for user in store.users(args.region):
            print(
                json.dumps(
                    {
                        "telegram_id": user.telegram_id,
                        "first_name": user.first_name,
                        "role": user.role,
                        "organisation": user.organisation_name,
                        "region": user.region,
                        "active": user.active,
                        "admin": user.is_admin,
                        # Telegram said they blocked the bot (nothing reaches them until they
                        # write to it again; the coordinators were told).
                        "blocked_since": store.blocked_since(user.telegram_id),
                    },
                    ensure_ascii=False,
                )
            )
    elif args.command == "users" and args.action == "deactivate":
        accounts.deactivate_user(store, now, args.telegram_id)
        print(f"gedeactiveerd: {args.telegram_id}")
    elif args.command == "kb" and args.action == "unanswered":
        if args.clear_until is not None:
            cleared = store.clear_kb_questions(args.clear_until, args.region)
            print(f"{cleared} vragen tot en met {args.clear_until} gewist")
            return 0
        groups = group_questions(store.kb_questions(args.region))
        for group in groups:
            votes = f"\t{group.downvotes}x 👎" if group.downvotes else ""
            entries = f"\t→ {', '.join(sorted(group.entry_ids))}" if group.entry_ids else ""
            print(f"{group.count}\t{group.example}{votes}{entries}")
            for text in sorted(set(group.texts) - {group.example})[:5]:
                print(f"\t  ~ {text}")
        if not groups:
            print("geen onbeantwoorde vragen")
    elif args.command == "kb" and args.action == "drafts":
        drafts = to_matchpunt.drafts_yaml(store, args.region)
        print(
            drafts if drafts else "# geen concepten: het matchpunt heeft nog geen vragen beantwoord"
        )
    elif args.command == "audit":
        for entry in store.audit_entries(
            record_id=args.record, actor=None if args.user is None else str(args.user)
        ):
            print(json.dumps(entry, ensure_ascii=False))
    elif args.command == "privacy":
        return _privacy(store, now, args)
    elif args.command == "invite":
        org = _organisation(store, args.org, args.region)
        try:
            invite = create_invite(
                store,
                now,
                role=args.role,
                organisation_id=org.id,
                region=args.region,
                valid_days=config.invite_valid_days if args.days is None else args.days,
            )
        except InviteTermsError as exc:
            raise CliError(str(exc)) from None
        print(invite.code)
        print(deep_link(args.bot_username or config.telegram.bot_username, invite.code))
    return 0


def _export(config: Config, args: argparse.Namespace) -> int:
    # Opening a database that is not there would create an empty one and export nothing.
    if not config.database.exists():
        raise CliError(
            f"geen database gevonden (no database found): {config.database}; geef het pad "
            "op met --db, WEERTHUIS_DB of database in de config"
        )
    kb = load_knowledge(config.knowledge_dir)
    if args.region not in kb.regions:
        known = ", ".join(sorted(kb.regions))
        raise CliError(f"onbekende regio (unknown region) {args.region!r}; bekend: {known}")
    store = Store(config.database, busy_timeout_ms=CLI_BUSY_TIMEOUT_MS)
    try:
        store.migrate()
        now = SystemClock(config.tz).now()
        rows = store.records(args.what, args.region)
        data = export_csv(store, kb, args.region, args.what, rows, now, args.format)
        store.audit(
            "cli", "export", now, args.what, args.region, {"rows": len(rows), "format": args.format}
        )
    finally:
        store.close()
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0


def _match(config: Config, args: argparse.Namespace) -> int:
    database = config.database
    if not Path(database).exists():
        raise CliError(f"geen database gevonden (no database found): {database}")
    kb = load_knowledge(config.knowledge_dir)
    store = Store(database, busy_timeout_ms=CLI_BUSY_TIMEOUT_MS)
    try:
        store.migrate()
        if args.wanted:
            return _wanted(store, kb, args, SystemClock(config.tz).now())
        code = args.dwelling or args.candidate
        table = "dwellings" if args.dwelling else "candidates"
        try:
            row = store.record(table, code)
        except NotFoundError:
            raise CliError(f"onbekende code (unknown code): {code}") from None
        if row["region"] not in kb.regions:
            raise CliError(f"regio {row['region']!r} staat niet in de kennisbank")
        kind = DWELLINGS if args.dwelling else CANDIDATES
        now = SystemClock(config.tz).now()
        ranked, excluded, _ = matchpunt.ranking_of(store, kb, kind, row, now)
    finally:
        store.close()
    if args.json:
        print(json.dumps(ranking.as_json(ranked, excluded), ensure_ascii=False, indent=2))
        return 0
    for place, found in enumerate(ranked, start=1):
        print(f"{place}. {found.code} · score {found.score:g}")
        print("".join(f"   {line}\n" for line in found.reasons), end="")
    if not ranked:
        print("Niemand past (nobody fits).")
    if excluded:
        print("Past niet (does not fit):")
        for out in excluded:
            print(f"   {out.code}: " + "; ".join(out.why_not))
    return 0


def _wanted(store: Store, kb: KnowledgeBase, args: argparse.Namespace, now: datetime) -> int:
    from bot.reports import formats

    if args.wanted not in kb.regions:
        raise CliError(f"onbekende regio (unknown region): {args.wanted}")
    found = matchpunt.wanted_of(store, kb, args.wanted, now)
    if args.json:
        print(json.dumps(wanted.as_json(found), ensure_ascii=False, indent=2))
        return 0
    if not found:
        print(f"{formats.NOTHING_WANTED.capitalize()}.")
    for place, w in enumerate(found, start=1):
        print(f"{place}. {w.place}")
        if not w.candidates:
            print(f"   elke woning ({formats.ALL_SERVED})")
            continue
        print("".join(f"   {line}\n" for line in w.lines), end="")
        print(f"   {formats.for_whom(w.candidates[0], w.waiting - 1)}")
    return 0


def _report(config: Config, args: argparse.Namespace) -> int:
    from bot.reports import formats, stand

    database = config.database
    if not Path(database).exists():
        raise CliError(f"geen database gevonden (no database found): {database}")
    kb = load_knowledge(config.knowledge_dir)
    if args.region not in kb.regions:
        raise CliError(f"onbekende regio (unknown region): {args.region}")
    if args.format == "png" and args.out is None and sys.stdout.isatty():
        raise CliError("een grafiek gaat naar een bestand: geef --out (png needs --out)")
    store = Store(database, busy_timeout_ms=CLI_BUSY_TIMEOUT_MS)
    try:
        store.migrate()
        report = stand.region_report(store, kb, None, args.region, SystemClock(config.tz).now())
    finally:
        store.close()
    if args.format == "png":
        from bot.reports.chart import as_png

        data = as_png(report)
        if args.out is not None:
            args.out.write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
        return 0
    if args.format == "json":
        text = json.dumps(stand.as_json(report), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        text = formats.as_csv(report)
    else:
        text = formats.as_text(report) + "\n"
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _import(config: Config, args: argparse.Namespace) -> int:
    database = config.database
    # Opening a database that is not there would create an empty one.
    if not Path(database).exists():
        raise CliError(f"geen database gevonden (no database found): {database}")
    kb = load_knowledge(config.knowledge_dir)
    if args.region not in kb.regions:
        known = ", ".join(sorted(kb.regions))
        raise CliError(f"onbekende regio (unknown region) {args.region!r}; bekend: {known}")
    store = Store(database, busy_timeout_ms=CLI_BUSY_TIMEOUT_MS)
    try:
        store.migrate()
        now = SystemClock(config.tz).now()
        try:
            owner = importer.owner(store, kb, now.date(), args.region, args.what, args.org)
        except importer.OwnerError as exc:
            raise CliError(f"{exc} (--org NAAM)") from None
        try:
            data = importer.read_limited(args.file)
            codes = importer.import_records(store, kb, now, args.region, args.what, data, owner)
        except importer.ImportRefusedError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            if exc.note:
                print(exc.note, file=sys.stderr)
            count = len(exc.problems)
            print(
                f"weerthuis: niets geïmporteerd uit {args.file}: "
                + (f"{count} probleem" if count == 1 else f"{count} problemen"),
                file=sys.stderr,
            )
            return EXIT_USAGE
    finally:
        store.close()
    noun = "kandidaat" if args.what == "candidates" else "woning"
    plural = importer.PLURAL[args.what]
    print(
        f"{len(codes)} {noun if len(codes) == 1 else plural} geïmporteerd in {args.region}, "
        f"beheerd door {owner.name}"
    )
    return 0


def _privacy(store: Store, now: datetime, args: argparse.Namespace) -> int:
    try:
        if args.action == "export":
            data = erasure.export_candidate(store, now, args.code)
            print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        elif not args.yes:
            store.record("candidates", args.code)
            print(f"{args.code} wordt gewist als je --yes toevoegt (dit kan niet terug).")
            return EXIT_FAILED
        else:
            erasure.erase_candidate(store, now, args.code)
            print(f"{args.code} gewist; alleen een anonieme telling blijft.")
    except NotFoundError:
        raise CliError(f"kandidaat {args.code!r} bestaat niet") from None
    return 0


def _kb_check(folder: Path) -> int:
    problems = check_knowledge(folder)
    for problem in problems:
        print(problem)
    if problems:
        count = f"{len(problems)} probleem" if len(problems) == 1 else f"{len(problems)} problemen"
        print(f"{count} gevonden", file=sys.stderr)
        return EXIT_FAILED
    kb = load_knowledge(folder)
    print(f"kennisbank in orde: {len(kb.entries)} vragen en antwoorden, {len(kb.regions)} regio's")
    return 0


def _ask(config: Config, args: argparse.Namespace) -> int:
    kb, index = open_knowledge(config)
    if args.region is not None and args.region not in kb.regions:
        raise CliError(f"onbekende regio (unknown region) {args.region!r}")
    questions = (
        [" ".join(args.question)] if args.question else (line.rstrip("\n") for line in sys.stdin)
    )
    previous = None
    for question in questions:
        # One output line per input line, blank ones included, so outputs pair with inputs.
        reply = asking.ask(index, question, region=args.region, previous=previous)
        if args.context and question.strip():
            previous = reply.follows or reply.question
        result = reply.main
        if args.json:
            print(json.dumps(reply.as_json(), ensure_ascii=False), flush=True)
        elif result.found:
            for part in reply.results:
                print(f"{part.entry.answer}\n  [{part.entry.id}, score {part.score:.0f}]")
            for part in reply.unanswered:
                print(f"Geen antwoord op: {part}")
        elif result.suggestions:
            lead = "Welke regio: " if result.which_region else "Bedoelde je: "
            print(lead + " | ".join(s.question for s in result.suggestions))
        else:
            print("Dat weet ik niet.")
    return 0


def _organisation(store: Store, name: str, region: str):
    try:
        return store.organisation_by_name(name, region)
    except NotFoundError:
        raise CliError(
            f"organisatie {name!r} niet gevonden in {region} (zie: weerthuis orgs list)"
        ) from None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
