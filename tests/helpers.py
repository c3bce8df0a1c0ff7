"""Helpers for tests that talk to the running shell."""

from __future__ import annotations

import io

from bot.localapi.shell import Shell

# A typical candidate through /kandidaat as the demo field worker, up to the note question:
# Haarlem; no exclusions; single; regular support; profile 1; ground floor; own maximum of
# 650; a date; a rent debt; no urgency; the first care provider and its support worker.
HAPPY_CANDIDATE = (
    ":as field_worker",
    "/kandidaat",
    ":press Haarlem",
    ":press Klaar",
    ":press Geen",
    ":press Alleenstaand",
    ":press Reguliere ambulante begeleiding",
    ":press 1",
    ":press Begane grond of lift",
    ":press Klaar",
    ":press Een eigen maximum (bedrag)",
    "650",
    "1 maart",
    ":press Huurschuld",
    ":press Klaar",
    ":press Nee",
    ":press 1",
    ":press 1",
)
# /kandidaat up to the question which organisation gives the support (the same answers as
# above, but the lage aftoppingsgrens, no bottleneck and no urgency); whoever is acting.
TO_THE_SUPPORT_ORGANISATION = (
    "/kandidaat",
    ":press Haarlem",
    ":press Klaar",
    ":press Geen",
    ":press Alleenstaand",
    ":press Reguliere ambulante begeleiding",
    ":press 1",
    ":press Begane grond of lift",
    ":press Klaar",
    ":press Tot de lage aftoppingsgrens",
    "1 maart",
    ":press Klaar",
    ":press Nee",
)
# The matching facts of a candidate registered through the core.
CANDIDATE_FACTS = {
    "municipalities": ["haarlem"],
    "household": "alleenstaand",
    "support": "regulier",
    "profile": "zelfstandig",
    "needs": [],
    "rent_limit": "lage_aftoppingsgrens",
    "earliest_move": "2026-02-01",
    "bottlenecks": ["huurschuld"],
    "urgent": "nee",
    "support_organisation": "onbekend",
    "note": None,
}


def new_shell(config, store, clock) -> Shell:
    """The demo shell on `store`, output kept in memory, rate limiter off (dialog tests send
    hundreds of messages; the flood limit is tested with the shell and the CLI)."""
    return Shell(
        config,
        store,
        clock,
        demo=True,
        jsonl=False,
        out=io.StringIO(),
        err=io.StringIO(),
        rate_limiter=False,
    )


async def talk(shell: Shell, *lines: str) -> str:
    """Feed lines to the shell and return only the transcript they produced."""
    start = len(shell.out.getvalue())
    for line in lines:
        await shell.handle_line(line)
    return shell.out.getvalue()[start:]


def form_button(shell: Shell, user_id: int, form: str, action: str, index: int, arg="") -> str:
    """Callback data for a button of the user's open form (`kandidaat` or `woning`), with the
    tag of the draft it is for, as the bot itself would write it (for forged presses)."""
    prefix = {"kandidaat": "k", "woning": "w"}[form]
    state = shell.app.user_data.get(user_id, {}).get(f"form:{form}", {})
    return f"{prefix}|{action}|{index}|{str(state.get('id', ''))[:6]}|{arg}"


def aftercare_ended(store, code: str, now) -> None:
    """Put a candidate where aftercare has ended, straight in the file: the matching desk's
    and aftercare's own moves that lead there are built in later issues (and no role may make
    them by hand)."""
    from bot.storage import iso_timestamp

    store.update_record(
        "candidates", code, {"status": "nazorg_afgerond", "updated_at": iso_timestamp(now)}
    )
