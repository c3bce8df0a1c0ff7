"""Every command and every button route × every role (and strangers): exactly what the role
may do. Callback data is forged on purpose: the server must re-check and change nothing."""

from __future__ import annotations

import pytest
from helpers import talk

from bot.access.roles import COMMANDS, ROLES
from bot.demo import DEMO_USERS
from handlers.invite import CB_BACK, CB_CANCEL, CB_CREATE, CB_DAYS, CB_ORGANISATION, CB_ROLE

STRANGER = 4242
DEACTIVATED = 4343
CALLERS = [*ROLES, "stranger", "deactivated"]

# What each command answers when allowed (first words of the reply).
ALLOWED_REPLY = {
    "start": "Welkom bij de Weer Thuis-bot.",
    "help": "Je bent ",
    "uitnodigen": "Wie wil je uitnodigen?",
    "annuleren": "Er loopt nu niets om af te breken.",
    "vraag": "Wat wil je weten? Typ je vraag",
    "regels": "Regels voor de matching in IJmond en Zuid-Kennemerland",
    "kandidaat": "Kandidaat aanmelden · vraag 1 van",
    "woning": "Woning aanmelden · vraag 1 van",
    "mijn": "0 ",  # nothing registered yet: "0 kandidaten…" or "0 woningen…"
    "export": "0 kandidaten",  # the first CSV document's caption
    "stand": "📊 Stand IJmond en Zuid-Kennemerland",
    "checkins": "Er staan geen check-ins open of gepland.",
    "signalen": "Er staan geen signalen open.",
    "onbeantwoord": "Er zijn geen onbeantwoorde vragen.",
    "herlaad": "Kennisbank opnieuw geladen:",
    "naam": "Je voornaam in de bot is ",  # the demo users have one
}
REFUSAL = {
    "stranger": "Deze bot is voor medewerkers",
    "deactivated": "Je account is niet actief.",
}
NOT_ALLOWED = "Dat kan ik met jouw rol niet voor je doen."
Y, N = True, False
# Who may use which command, written out (not derived from bot.access.roles).
MATRIX_ROLES = ("coordinator", "field_worker", "corporation", "support_worker")
MATRIX = {
    #               coordinator field_worker corporation support_worker
    "start": (Y, Y, Y, Y),
    "help": (Y, Y, Y, Y),
    "vraag": (Y, Y, Y, Y),
    "regels": (Y, Y, Y, Y),
    "kandidaat": (Y, Y, N, N),
    "woning": (Y, N, Y, N),
    "mijn": (Y, Y, Y, Y),
    "uitnodigen": (Y, N, N, N),
    "onbeantwoord": (Y, N, N, N),
    "herlaad": (Y, N, N, N),
    "export": (Y, N, N, N),
    "stand": (Y, N, N, N),
    "checkins": (Y, N, N, Y),
    "signalen": (Y, N, Y, Y),
    "naam": (Y, Y, Y, Y),
    "annuleren": (Y, Y, Y, Y),
}


def test_the_matrix_covers_every_command_and_role():
    assert set(MATRIX) == {c.name for c in COMMANDS}
    assert set(MATRIX_ROLES) == set(ROLES)


def _caller_id(shell, who: str) -> int:
    if who == "stranger":
        return STRANGER
    if who == "deactivated":
        user = shell.store.user(DEMO_USERS["support_worker"])
        shell.store.db["users"].insert(
            {**shell.store.db["users"].get(user.telegram_id), "telegram_id": DEACTIVATED}
        )
        shell.store.set_user_active(DEACTIVATED, False)
        return DEACTIVATED
    return DEMO_USERS[who]


def _snapshot(store) -> dict:
    tables = ("users", "invites", "organisations", "matchpunt_questions", "outbox")
    return {t: list(store.db[t].rows) for t in tables}


@pytest.mark.parametrize("command", list(MATRIX))
@pytest.mark.parametrize("who", CALLERS)
async def test_command_matrix(shell, who, command):
    telegram_id = _caller_id(shell, who)
    before = _snapshot(shell.store)
    transcript = await talk(shell, f":as {telegram_id}", f"/{command}")
    reply = transcript.split("] ", 1)[1]
    if who in REFUSAL:
        assert reply.startswith(REFUSAL[who]), reply
    elif MATRIX[command][MATRIX_ROLES.index(who)]:
        assert reply.startswith(ALLOWED_REPLY[command]), reply
    else:
        assert reply.startswith(NOT_ALLOWED), reply
    assert _snapshot(shell.store) == before


def _routes(shell) -> list[str]:
    own = shell.store.organisation_by_name("Woonopmaat").id
    other = shell.store.add_organisation(
        "Lefier", "corporatie", "midden-groningen", shell.clock.now()
    ).id
    return [
        *(CB_ROLE + role for role in ROLES),
        CB_ROLE + "admin",
        f"{CB_ORGANISATION}{own}",
        f"{CB_ORGANISATION}{other}",
        f"{CB_ORGANISATION}-1",
        f"{CB_ORGANISATION}1e999",
        f"{CB_DAYS}7",
        f"{CB_DAYS}99999",
        CB_CREATE,
        CB_BACK,
        CB_CANCEL,
        "kb:up:deadbeef",
        "kb:down:deadbeef",
        "kb:geen:deadbeef",
        "kb:a:bestaat-niet",
        "kb:m:deadbeef",
        "kb:b:1",
        "kb:b:99999999999",
        "kandidaat:42",
        "x" * 64,
    ]


@pytest.mark.parametrize("who", CALLERS)
async def test_forged_buttons_outside_a_conversation_change_nothing(shell, who):
    telegram_id = _caller_id(shell, who)
    await talk(shell, f":as {telegram_id}", "/help")
    message_id = shell.api.outputs[-1].message_id
    for data in _routes(shell):
        before = _snapshot(shell.store)
        shell.api.press(telegram_id, message_id, data)
        await shell.settle()
        answer = shell.api.outputs[-1]
        if data.startswith(("kb:up:", "kb:down:")) and who in ROLES:
            # Everyone may vote; a forged token counts nothing. Thanks come as a pop-up.
            assert (answer.kind, answer.text.startswith("Dank je")) == ("callback_answer", True)
        elif data == "kb:b:1" and who == "coordinator":
            # Only coordinators answer the matchpunt's questions; this one does not exist.
            assert (answer.kind, answer.text) == ("message", "Deze vraag bestaat niet meer."), data
        elif data.startswith("kb:") and not data.startswith("kb:b:") and who in ROLES:
            # Everyone may use the knowledge buttons; forged tokens and ids count nothing.
            assert answer.kind == "message", data
            assert answer.text.startswith(
                ("Jammer", "Dit antwoord bestaat niet", "Deze knop is verlopen")
            ), data
        else:
            assert answer.kind == "callback_answer", data
            assert answer.text in (
                "Deze knop is niet meer geldig.",
                "Je account is niet actief."
                if who == "deactivated"
                else "Dit mag je met jouw rol niet doen.",
            ), data
        assert _snapshot(shell.store) == before
        assert shell.store.kb_questions() == []


async def test_forged_organisation_from_another_region_is_refused(shell):
    coordinator = DEMO_USERS["coordinator"]
    routes = _routes(shell)
    other_region_org = routes[len(ROLES) + 2]
    await talk(shell, "/uitnodigen", ":press 3")
    message_id = shell.api.outputs[-1].message_id
    before = _snapshot(shell.store)
    shell.api.press(coordinator, message_id, other_region_org)
    await shell.settle()
    assert shell.api.outputs[-1].text.startswith("Die organisatie kun je hier niet kiezen.")
    # Still at the organisation step: the real choice works, nothing was stored meanwhile.
    assert _snapshot(shell.store) == before
    transcript = await talk(shell, ":press Woonopmaat", ":press 7 dagen", ":press 1")
    assert "Organisatie: Woonopmaat" in transcript
    [invite] = shell.store.invites()
    assert invite.region == "ijmond-zuid-kennemerland"


async def test_permissions_are_checked_again_at_the_last_button(shell):
    """A coordinator demoted mid-conversation cannot finish the invite."""
    await talk(shell, "/uitnodigen", ":press 3", ":press Woonopmaat", ":press 7 dagen")
    shell.store.db["users"].update(DEMO_USERS["coordinator"], {"role": "field_worker"})
    await talk(shell, ":press 1")
    answer = shell.api.outputs[-1]
    assert (answer.kind, answer.text) == ("callback_answer", "Dit mag je met jouw rol niet doen.")
    assert shell.store.invites() == []


async def test_help_lists_exactly_the_role_commands(shell):
    for role, telegram_id in DEMO_USERS.items():
        transcript = await talk(shell, f":as {telegram_id}", "/help")
        listed = [
            line.split(" — ")[0][1:] for line in transcript.splitlines() if line.startswith("/")
        ]
        assert listed == [c.name for c in COMMANDS if role in c.roles], role


@pytest.mark.parametrize(
    "who", [r for r in ROLES if r != "coordinator"] + ["stranger", "deactivated"]
)
async def test_forged_presses_on_a_live_invite_conversation_are_refused(shell, who):
    """Someone else presses (forged) buttons on the coordinator's live conversation messages
    and on their own chat: nothing happens, and the coordinator's draft is untouched."""
    await talk(shell, "/uitnodigen", ":press 3", ":press Woonopmaat")
    telegram_id = _caller_id(shell, who)
    await talk(shell, f":as {telegram_id}", "/help")
    own_message = shell.api.outputs[-1].message_id
    routes = _routes(shell)
    before = _snapshot(shell.store)
    for data in routes:
        if data.startswith("kb:"):
            continue  # knowledge buttons are everyone's; this test is about the invite flow
        shell.api.press(telegram_id, own_message, data)
        await shell.settle()
        assert shell.api.outputs[-1].kind == "callback_answer", data
    assert _snapshot(shell.store) == before
    # The coordinator carries on where they were.
    transcript = await talk(shell, ":as coordinator", "14")
    assert "Organisatie: Woonopmaat" in transcript


async def test_forged_presses_inside_the_coordinators_own_conversation(shell):
    await talk(shell, "/uitnodigen", ":press 3", ":press Woonopmaat", ":press 7 dagen")
    message_id = shell.api.outputs[-1].message_id
    before = _snapshot(shell.store)
    for data in (
        "uitn:org:999999999999",
        "uitn:org:" + "9" * 55,
        "uitn:dagen:²",
        "uitn:rol:admin",
        "uitn:maak:extra",
    ):
        shell.api.press(DEMO_USERS["coordinator"], message_id, data)
        await shell.settle()
    assert _snapshot(shell.store) == before
    assert "Er ging iets mis" not in shell.out.getvalue()


def test_admins_may_reload_whatever_their_role():
    from bot.access.roles import commands_for
    from bot.storage import User

    admin = User(1, "field_worker", 1, "r", True, True, "nl", "t")
    plain = User(2, "field_worker", 1, "r", True, False, "nl", "t")
    assert "herlaad" in [c.name for c in commands_for(admin)]
    assert "herlaad" not in [c.name for c in commands_for(plain)]
    assert "uitnodigen" not in [c.name for c in commands_for(admin)]
