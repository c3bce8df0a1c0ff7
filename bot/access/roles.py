"""Roles, and which commands each role may use. Pure data and checks; no Telegram here."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage import User

COORDINATOR = "coordinator"
FIELD_WORKER = "field_worker"
CORPORATION = "corporation"
SUPPORT_WORKER = "support_worker"
ROLES = (COORDINATOR, FIELD_WORKER, CORPORATION, SUPPORT_WORKER)

ROLE_LABELS = {
    COORDINATOR: "Coördinator (regionaal matchpunt / gemeente)",
    FIELD_WORKER: "Medewerker zorg/opvang",
    CORPORATION: "Medewerker woningcorporatie",
    SUPPORT_WORKER: "Woonbegeleider",
}

# Which kinds of organisation a role can belong to: a corporation employee works at a
# corporation, a coordinator at the municipality's matchpunt, care staff at a provider
# (or at the municipality's wijkteam).
ROLE_ORGANISATION_KINDS = {
    COORDINATOR: ("gemeente",),
    FIELD_WORKER: ("zorgaanbieder", "gemeente"),
    CORPORATION: ("corporatie",),
    SUPPORT_WORKER: ("zorgaanbieder", "gemeente"),
}

EVERYONE = frozenset(ROLES)


class NotAllowedError(Exception):
    """The caller's role, organisation or region does not allow this."""


class UnknownUserError(Exception):
    """The caller is not a registered, active user."""


@dataclass(frozen=True)
class Command:
    name: str
    description: str
    roles: frozenset[str]
    # Admins may use it too, whatever their role.
    admins: bool = False


# The one list of chat commands: /help, setMyCommands and the README are checked against it.
COMMANDS = (
    Command("start", "Beginnen of aanmelden met een uitnodigingscode", EVERYONE),
    Command("help", "Wat kan ik hier doen?", EVERYONE),
    Command("vraag", "Een vraag stellen over de afspraken (of typ gewoon je vraag)", EVERYONE),
    Command("regels", "De regels voor de matching in jouw regio", EVERYONE),
    Command("kandidaat", "Een kandidaat aanmelden", frozenset({COORDINATOR, FIELD_WORKER})),
    Command("woning", "Een vrijkomende woning aanmelden", frozenset({COORDINATOR, CORPORATION})),
    Command("mijn", "Jouw kandidaten of woningen (coördinator: de regio)", EVERYONE),
    Command("uitnodigen", "Een collega uitnodigen voor de bot", frozenset({COORDINATOR})),
    Command("onbeantwoord", "Vragen die de bot niet kon beantwoorden", frozenset({COORDINATOR})),
    Command("herlaad", "De kennisbank opnieuw laden", frozenset({COORDINATOR}), admins=True),
    Command("export", "Kandidaten en woningen van de regio als CSV", frozenset({COORDINATOR})),
    Command(
        "stand",
        "De stand van de regio: quotum, wijken, wachtenden, voordrachten",
        frozenset({COORDINATOR}),
    ),
    Command(
        "checkins",
        "Check-ins na een verhuizing: wat open staat en wat komt",
        frozenset({COORDINATOR, SUPPORT_WORKER}),
    ),
    Command(
        "signalen",
        "Signalen na een verhuizing: wie pakt wat op (samen oplossen)",
        frozenset({COORDINATOR, CORPORATION, SUPPORT_WORKER}),
    ),
    Command("naam", "Je voornaam zoals collega's die zien", EVERYONE),
    Command("annuleren", "De huidige handeling afbreken", EVERYONE),
)
COMMANDS_BY_NAME = {command.name: command for command in COMMANDS}
# What someone without an account can use: only redeeming an invite and reading how to get one.
PUBLIC_COMMANDS = ("start", "help")


def commands_for(user: User | None) -> list[Command]:
    """The commands `user` may use, in menu order; for no (or an inactive) user the public ones."""
    if user is None or not user.active:
        return [COMMANDS_BY_NAME[name] for name in PUBLIC_COMMANDS]
    return [c for c in COMMANDS if user.role in c.roles or (c.admins and user.is_admin)]


def may_use(user: User | None, command: str) -> bool:
    return any(c.name == command for c in commands_for(user))


def require_user(user: User | None) -> User:
    """Return the active user, or raise `UnknownUserError`."""
    if user is None or not user.active:
        raise UnknownUserError()
    return user


def require_command(user: User | None, command: str) -> User:
    """Return the active user allowed to use `command`; raise otherwise."""
    active = require_user(user)
    if not may_use(active, command):
        raise NotAllowedError(command)
    return active


def require_region(user: User, region: str) -> None:
    """Admins act in any region; everyone else only in their own."""
    if not user.is_admin and user.region != region:
        raise NotAllowedError(region)
