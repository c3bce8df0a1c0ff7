"""`weerthuis`: the command line. Each command parses its arguments and makes one core call;
errors come out as one line and a non-zero exit code, never a traceback."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from datetime import datetime

from bot.access import ROLE_ORGANISATION_KINDS, ROLES
from bot.clock import SystemClock
from bot.config import TOKEN_ENV, Config, ConfigError, load_config
from bot.invites import InviteTermsError, create_invite, deep_link
from bot.regions import RegionFileError, load_regions
from bot.storage import ORGANISATION_KINDS, DuplicateError, NotFoundError, Store

EXIT_USAGE = 2
EXIT_FAILED = 1
DEFAULT_BOT_USERNAME = "WeerThuisBot"


class CliError(Exception):
    """A command cannot be carried out; the message is shown as is."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # One line, no usage dump: the help is one flag away.
        self.exit(EXIT_USAGE, f"{self.prog}: fout (error): {message} — zie {self.prog} --help\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="weerthuis", description="Weer Thuis bot")
    parser.add_argument(
        "--config", help="config file (default: $WEERTHUIS_CONFIG or ./config.yaml)"
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    shell = sub.add_parser("shell", help="talk to the bot in the terminal, without Telegram")
    shell.add_argument("--demo", action="store_true", help="start with a demo region and users")
    shell.add_argument("--db", help="database file (default: a fresh temporary one)")
    shell.add_argument("--jsonl", action="store_true", help="print bot output as JSON lines")
    shell.add_argument(
        "--now", type=_moment, help="start the clock here (ISO, e.g. 2026-03-01T09:00+01:00)"
    )

    sub.add_parser("run", help=f"run the bot on Telegram (token from ${TOKEN_ENV})")

    users = sub.add_parser("users", help="manage users").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    add = users.add_parser("add", help="add a user (e.g. the first admin)")
    add.add_argument("--telegram-id", type=int, required=True)
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--org", required=True, help="organisation name")
    add.add_argument("--region", required=True)
    add.add_argument("--admin", action="store_true")
    listing = users.add_parser("list", help="list users")
    listing.add_argument("--region")
    deactivate = users.add_parser("deactivate", help="take a user's access away")
    deactivate.add_argument("telegram_id", type=int)

    orgs = sub.add_parser("orgs", help="manage organisations").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    org_add = orgs.add_parser("add", help="add an organisation")
    org_add.add_argument("--name", required=True)
    org_add.add_argument("--kind", choices=ORGANISATION_KINDS, required=True)
    org_add.add_argument("--region", required=True)
    org_list = orgs.add_parser("list", help="list organisations")
    org_list.add_argument("--region")

    invite = sub.add_parser("invite", help="create an invite code and deep link")
    invite.add_argument("--role", choices=ROLES, required=True)
    invite.add_argument("--org", required=True, help="organisation name")
    invite.add_argument("--region", required=True)
    invite.add_argument("--days", type=int, help="days valid (default from config)")
    invite.add_argument("--bot-username", default=DEFAULT_BOT_USERNAME)
    return parser


def _moment(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"geen tijdstip (not a moment): {text!r}") from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("tijdzone ontbreekt, bijv. +01:00 (needs an offset)")
    return text


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        config = load_config(args.config)
        return _dispatch(args, config)
    except (ConfigError, RegionFileError, CliError) as exc:
        print(f"weerthuis: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace, config: Config) -> int:
    if args.command == "shell":
        from bot.shell import run_shell

        return asyncio.run(
            run_shell(config, demo=args.demo, db_path=args.db, jsonl=args.jsonl, now=args.now)
        )
    if args.command == "run":
        from bot.app import run_bot

        return run_bot(config)
    regions = load_regions(config.knowledge_dir)
    store = Store(config.database)
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
        try:
            org = store.add_organisation(args.name, args.kind, args.region, now)
        except DuplicateError:
            raise CliError(f"organisatie {args.name!r} bestaat al in {args.region}") from None
        store.audit("cli", "organisation.add", now, "organisation", org.id, {"kind": org.kind})
        print(f"{org.id}\t{org.name}\t{org.kind}\t{org.region}")
    elif args.command == "orgs":
        for org in store.organisations(args.region):
            print(f"{org.id}\t{org.name}\t{org.kind}\t{org.region}")
    elif args.command == "users" and args.action == "add":
        org = _organisation(store, args.org, args.region)
        if org.kind not in ROLE_ORGANISATION_KINDS[args.role]:
            raise CliError(f"rol {args.role} past niet bij een organisatie van soort {org.kind}")
        try:
            user = store.add_user(
                args.telegram_id, args.role, org.id, args.region, now, is_admin=args.admin
            )
        except DuplicateError:
            raise CliError(f"gebruiker {args.telegram_id} bestaat al") from None
        store.audit("cli", "user.add", now, "user", user.telegram_id, {"role": user.role})
        print(f"toegevoegd: {user.telegram_id} {user.role} {org.name} {user.region}")
    elif args.command == "users" and args.action == "list":
        for user in store.users(args.region):
            print(
                json.dumps(
                    {
                        "telegram_id": user.telegram_id,
                        "role": user.role,
                        "organisation": store.organisation(user.organisation_id).name,
                        "region": user.region,
                        "active": user.active,
                        "admin": user.is_admin,
                    },
                    ensure_ascii=False,
                )
            )
    elif args.command == "users" and args.action == "deactivate":
        try:
            store.set_user_active(args.telegram_id, False)
        except NotFoundError:
            raise CliError(f"gebruiker {args.telegram_id} bestaat niet") from None
        store.audit("cli", "user.deactivate", now, "user", args.telegram_id)
        print(f"gedeactiveerd: {args.telegram_id}")
    elif args.command == "invite":
        org = _organisation(store, args.org, args.region)
        try:
            invite = create_invite(
                store,
                now,
                role=args.role,
                organisation_id=org.id,
                region=args.region,
                valid_days=args.days or config.invite_valid_days,
            )
        except InviteTermsError as exc:
            raise CliError(str(exc)) from None
        print(invite.code)
        print(deep_link(args.bot_username, invite.code))
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
