"""Who may ask for which status change, from which status: the core's table, written out here
as expected, through the core and through forged buttons; a record that leaves its proposal
takes the proposal with it and the other party waits again."""

from __future__ import annotations

import pytest
from conftest import REPO
from helpers import CANDIDATE_FACTS, talk

from bot.access.roles import NotAllowedError
from bot.demo import DEMO_USERS
from bot.knowledge.base import load_knowledge
from bot.matching import matchpunt
from bot.records import registry
from bot.records.lifecycle import CANDIDATE_TRANSITIONS, DWELLING_TRANSITIONS
from bot.records.registry import CANDIDATES, DWELLINGS
from bot.storage import NotFoundError, iso_timestamp

KB = load_knowledge(REPO / "knowledge")

OK, NO, HIDDEN = "mag", "mag niet", "ziet het niet"
# Every change the lifecycle knows, for every role: may it be asked for by hand?
CANDIDATE_MATRIX = {
    # from → to                      coordinator field_worker corporation support_worker
    # (a corporation sees a candidate proposed for its own dwelling, but changes nothing)
    ("aangemeld", "voorgedragen"): (NO, NO, HIDDEN, NO),
    ("aangemeld", "gepauzeerd"): (OK, OK, HIDDEN, NO),
    ("aangemeld", "teruggetrokken"): (OK, OK, HIDDEN, NO),
    ("voorgedragen", "gematcht"): (NO, NO, NO, NO),
    ("voorgedragen", "aangemeld"): (NO, NO, NO, NO),
    ("voorgedragen", "gepauzeerd"): (OK, OK, NO, NO),
    ("voorgedragen", "teruggetrokken"): (OK, OK, NO, NO),
    ("gematcht", "verhuisd"): (NO, NO, HIDDEN, NO),
    ("gematcht", "aangemeld"): (NO, NO, HIDDEN, NO),
    ("gematcht", "teruggetrokken"): (NO, NO, HIDDEN, NO),
    ("verhuisd", "nazorg_afgerond"): (NO, NO, HIDDEN, NO),
    # The tenant left the home (the support worker says so with a signal's outcome).
    ("verhuisd", "teruggevallen"): (OK, OK, HIDDEN, NO),
    ("verhuisd", "doorgestroomd"): (OK, OK, HIDDEN, NO),
    ("gepauzeerd", "aangemeld"): (OK, OK, HIDDEN, NO),
    ("gepauzeerd", "teruggetrokken"): (OK, OK, HIDDEN, NO),
    ("teruggevallen", "aangemeld"): (OK, OK, HIDDEN, NO),
    ("teruggevallen", "teruggetrokken"): (OK, OK, HIDDEN, NO),
}
DWELLING_MATRIX = {
    ("beschikbaar", "voorgedragen"): (NO, HIDDEN, NO, HIDDEN),
    ("beschikbaar", "ingetrokken"): (OK, HIDDEN, OK, HIDDEN),
    ("voorgedragen", "toegewezen"): (NO, HIDDEN, NO, HIDDEN),
    ("voorgedragen", "beschikbaar"): (NO, HIDDEN, NO, HIDDEN),
    ("voorgedragen", "ingetrokken"): (OK, HIDDEN, OK, HIDDEN),
    ("toegewezen", "verhuurd"): (OK, HIDDEN, OK, HIDDEN),
    ("toegewezen", "beschikbaar"): (NO, HIDDEN, NO, HIDDEN),
    ("toegewezen", "ingetrokken"): (NO, HIDDEN, NO, HIDDEN),
}
ROLES = ("coordinator", "field_worker", "corporation", "support_worker")
REASON = "verhuist naar elders"


def test_the_matrices_cover_every_change_the_lifecycles_know():
    known = {(a, b) for a, targets in CANDIDATE_TRANSITIONS.items() for b in targets}
    assert set(CANDIDATE_MATRIX) == known
    known = {(a, b) for a, targets in DWELLING_TRANSITIONS.items() for b in targets}
    assert set(DWELLING_MATRIX) == known


def _candidate(shell, status: str) -> str:
    field_worker = shell.store.user(DEMO_USERS["field_worker"])
    code = registry.register(
        shell.store,
        shell.clock.now(),
        field_worker,
        CANDIDATES,
        dict(CANDIDATE_FACTS),
        support_organisation_id=shell.store.user(DEMO_USERS["support_worker"]).organisation_id,
        support_worker_id=DEMO_USERS["support_worker"],
    )["code"]
    _put(shell, "candidates", code, status)
    return code


def _dwelling(shell, status: str) -> str:
    corporation = shell.store.user(DEMO_USERS["corporation"])
    code = registry.register(
        shell.store,
        shell.clock.now(),
        corporation,
        DWELLINGS,
        {"rooms": 2, "type": "studio"},
        municipality="haarlem",
    )["code"]
    _put(shell, "dwellings", code, status)
    return code


DEACTIVATED = 1099


def _made(shell, kind, status: str) -> str:
    """A record in `status`; a proposed one really proposed, with its open proposal."""
    if status == "voorgedragen":
        candidate, dwelling = _proposed(shell)
        return candidate if kind is CANDIDATES else dwelling
    return (_candidate if kind is CANDIDATES else _dwelling)(shell, status)


def _assert_proposals_consistent(shell) -> None:
    """Linked records agree: a record is voorgedragen exactly while it has an open proposal,
    and the other side of that proposal is voorgedragen too."""
    store = shell.store
    region = "ijmond-zuid-kennemerland"
    for table, side in (("candidates", "candidate_code"), ("dwellings", "dwelling_code")):
        proposed = {
            r["code"] for r in store.records(table, region) if r["status"] == "voorgedragen"
        }
        assert proposed == {p[side] for p in store.open_proposals()}, table


def _proposed(shell) -> tuple[str, str]:
    """A waiting candidate the matchpunt proposed for an available dwelling."""
    candidate = _candidate(shell, "aangemeld")
    dwelling = _dwelling(shell, "beschikbaar")
    coordinator = shell.store.user(DEMO_USERS["coordinator"])
    matchpunt.propose(shell.store, KB, shell.clock.now(), coordinator, candidate, dwelling)
    return candidate, dwelling


def _put(shell, table: str, code: str, status: str) -> None:
    # The matching desk's moves into these statuses are built later; the file is set directly.
    now = iso_timestamp(shell.clock.now())
    shell.store.update_record(table, code, {"status": status, "updated_at": now})


@pytest.mark.parametrize(
    ("kind", "matrix"),
    [(CANDIDATES, CANDIDATE_MATRIX), (DWELLINGS, DWELLING_MATRIX)],
    ids=["kandidaat", "woning"],
)
async def test_the_core_allows_exactly_the_table(shell, kind, matrix):
    # A field worker whose access was taken away sees nothing, in any status.
    field_worker = shell.store.user(DEMO_USERS["field_worker"])
    shell.store.add_user(
        DEACTIVATED,
        "field_worker",
        field_worker.organisation_id,
        field_worker.region,
        shell.clock.now(),
    )
    shell.store.set_user_active(DEACTIVATED, False)
    for (current, new), outcomes in matrix.items():
        for role, expected in [*zip(ROLES, outcomes, strict=True), ("deactivated", HIDDEN)]:
            code = _made(shell, kind, current)
            user = shell.store.user(DEMO_USERS.get(role, DEACTIVATED))
            outcome = OK
            try:
                registry.transition(shell.store, shell.clock.now(), user, kind, code, new, REASON)
            except NotAllowedError:
                outcome = NO
            except NotFoundError:
                outcome = HIDDEN
            assert (current, new, role, outcome) == (current, new, role, expected)
            status = shell.store.record(kind.table, code)["status"]
            assert status == (new if expected == OK else current)
            _assert_proposals_consistent(shell)


@pytest.mark.parametrize(
    ("kind", "matrix"),
    [(CANDIDATES, CANDIDATE_MATRIX), (DWELLINGS, DWELLING_MATRIX)],
    ids=["kandidaat", "woning"],
)
async def test_forged_buttons_change_only_what_the_table_allows(shell, kind, matrix):
    for (current, new), outcomes in matrix.items():
        for role, expected in [*zip(ROLES, outcomes, strict=True), ("unknown", NO)]:
            code = _made(shell, kind, current)
            user_id = DEMO_USERS.get(role, 4242)
            await talk(shell, f":as {user_id}", "/help")
            shell.api.press(user_id, shell.api.outputs[-1].message_id, f"m|a|{code}|{new}")
            await shell.settle()
            await talk(shell, REASON)
            if shell.api.outputs[-1].text.endswith("Dat is definitief."):
                await talk(shell, ":press Ja, intrekken")
            elif shell.api.outputs[-1].text.endswith("de check-ins die nog komen, vervallen."):
                await talk(shell, ":press Ja")  # leaving the home is confirmed too
            status = shell.store.record(kind.table, code)["status"]
            assert (role, current, new, status) == (
                role,
                current,
                new,
                new if expected == OK else current,
            )
            _assert_proposals_consistent(shell)
            await talk(shell, "/annuleren")


async def test_pausing_a_proposed_candidate_closes_the_proposal(shell):
    candidate, dwelling = _proposed(shell)
    field_worker = shell.store.user(DEMO_USERS["field_worker"])
    registry.transition(
        shell.store, shell.clock.now(), field_worker, CANDIDATES, candidate, "gepauzeerd", REASON
    )
    assert shell.store.record("candidates", candidate)["status"] == "gepauzeerd"
    assert shell.store.record("dwellings", dwelling)["status"] == "beschikbaar"
    assert shell.store.open_proposals() == []
    [proposal] = list(shell.store.db["proposals"].rows)
    assert proposal["status"] == "vervallen"
    assert [e["action"] for e in shell.store.audit_entries()][-3:] == [
        "kandidaat.status",
        "voordracht.vervallen",
        "woning.status",
    ]


async def test_withdrawing_a_proposed_dwelling_returns_the_candidate_to_waiting(shell):
    candidate, dwelling = _proposed(shell)
    corporation = shell.store.user(DEMO_USERS["corporation"])
    registry.transition(
        shell.store, shell.clock.now(), corporation, DWELLINGS, dwelling, "ingetrokken", REASON
    )
    assert shell.store.record("dwellings", dwelling)["status"] == "ingetrokken"
    assert shell.store.record("candidates", candidate)["status"] == "aangemeld"
    assert shell.store.open_proposals() == []


async def test_erasing_a_proposed_candidate_frees_the_dwelling(shell):
    from bot.privacy import erasure

    candidate, dwelling = _proposed(shell)
    erasure.erase_candidate(shell.store, shell.clock.now(), candidate)
    assert shell.store.record("dwellings", dwelling)["status"] == "beschikbaar"
    assert shell.store.open_proposals() == []
    assert [e["action"] for e in shell.store.audit_entries()][-3:] == [
        "voordracht.vervallen",
        "woning.status",
        "privacy.erase",
    ]


async def test_a_proposal_is_audited_per_record_and_refused_for_a_dwelling_that_does_not_fit(
    shell,
):
    candidate, _ = _proposed(shell)
    assert [e["action"] for e in shell.store.audit_entries()][-3:] == [
        "kandidaat.status",
        "woning.status",
        "voordracht.create",
    ]
    # A second candidate who can only live in Velsen; the Haarlem dwelling does not fit, also
    # not through a forged "Voordragen" button.
    field_worker = shell.store.user(DEMO_USERS["field_worker"])
    elsewhere = registry.register(
        shell.store,
        shell.clock.now(),
        field_worker,
        CANDIDATES,
        {**CANDIDATE_FACTS, "municipalities": ["velsen"]},
    )["code"]
    free = _dwelling(shell, "beschikbaar")
    coordinator = shell.store.user(DEMO_USERS["coordinator"])
    with pytest.raises(NotAllowedError):
        matchpunt.propose(shell.store, KB, shell.clock.now(), coordinator, elsewhere, free)
    out = await talk(shell, ":as coordinator", "/mijn")
    shell.api.press(
        DEMO_USERS["coordinator"], shell.api.outputs[-1].message_id, f"m|P|{elsewhere}|{free}"
    )
    await shell.settle()
    # Both records are the coordinator's to see: the answer says the home does not fit.
    assert out and shell.out.getvalue().splitlines()[-1] == (
        f"[→ 1001 coordinator] {free} past niet (meer) bij {elsewhere}; er is niets veranderd."
    )
    assert shell.store.record("candidates", elsewhere)["status"] == "aangemeld"
    assert shell.store.record("dwellings", free)["status"] == "beschikbaar"
    assert [p["candidate_code"] for p in shell.store.open_proposals()] == [candidate]


async def test_the_picker_offers_only_dwellings_that_fit(shell):
    # A candidate who needs an accessible home; the only free home in Haarlem is not.
    field_worker = shell.store.user(DEMO_USERS["field_worker"])
    code = registry.register(
        shell.store,
        shell.clock.now(),
        field_worker,
        CANDIDATES,
        {**CANDIDATE_FACTS, "needs": ["toegankelijk"]},
    )["code"]
    corporation = shell.store.user(DEMO_USERS["corporation"])
    home = registry.register(
        shell.store,
        shell.clock.now(),
        corporation,
        DWELLINGS,
        {"rooms": 2, "type": "studio", "floor": 0, "accessible": "nee", "net_rent": 600.0},
        municipality="haarlem",
    )["code"]
    await talk(shell, ":as coordinator", "/mijn", ":press 1")
    out = await talk(shell, ":press Voordragen voor een woning")
    assert out == f"[→ 1001 coordinator] Er is nu geen beschikbare woning die bij {code} past.\n"
    coordinator = shell.store.user(DEMO_USERS["coordinator"])
    with pytest.raises(NotAllowedError):
        matchpunt.propose(shell.store, KB, shell.clock.now(), coordinator, code, home)
