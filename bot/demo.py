"""Demo data for the local shell: one real region with one user of each role, and records in
it (candidates and dwellings in every status the chat can reach), made through the core."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.access.roles import (
    COORDINATOR,
    CORPORATION,
    FIELD_WORKER,
    ROLE_ORGANISATION_KINDS,
    SUPPORT_WORKER,
)
from bot.aftercare import answers, runner
from bot.config import AftercareConfig
from bot.decisions import due, workflow
from bot.decisions.reasons import CARE
from bot.decisions.reasons import CORPORATION as CORPORATION_SIDE
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.regions import Region
from bot.records import registry
from bot.records.registry import CANDIDATES, DWELLINGS
from bot.storage import NotFoundError, Store, User

DEMO_REGION = "ijmond-zuid-kennemerland"
# Fixed Telegram ids so that a scripted shell session reads the same every time.
DEMO_USERS = {COORDINATOR: 1001, FIELD_WORKER: 1002, CORPORATION: 1003, SUPPORT_WORKER: 1004}
# Staff have first names (candidates never do): what colleagues see on cards and exports.
DEMO_NAMES = {
    COORDINATOR: "Marieke",
    FIELD_WORKER: "Youssef",
    CORPORATION: "Inge",
    SUPPORT_WORKER: "Sanne",
}


class DemoRefusedError(Exception):
    """The database holds real users; demo data does not belong there."""


def seed_demo(store: Store, regions: dict[str, Region], now: datetime) -> dict[str, int]:
    """Create the demo organisations and users if missing (idempotent); returns role → id."""
    region = regions[DEMO_REGION]
    _refuse_real_users(store)
    with store.db.atomic():
        for name, kind in region.demo_organisations:
            try:
                store.organisation_by_name(name, region.id)
            except NotFoundError:
                store.add_organisation(name, kind, region.id, now)
        organisations = store.organisations(region.id)
        for role, telegram_id in DEMO_USERS.items():
            if store.find_user(telegram_id) is not None:
                continue
            kinds = ROLE_ORGANISATION_KINDS[role]
            # With two care providers in the demo, field and support worker sit at different ones.
            fitting = [o for o in organisations if o.kind in kinds]
            organisation = fitting[-1] if role == FIELD_WORKER else fitting[0]
            store.add_user(
                telegram_id, role, organisation.id, region.id, now, first_name=DEMO_NAMES[role]
            )
            store.audit("demo", "user.add", now, "user", telegram_id, {"role": role})
    return dict(DEMO_USERS)


def _refuse_real_users(store: Store) -> None:
    strangers = [u.telegram_id for u in store.users() if u.telegram_id not in DEMO_USERS.values()]
    if strangers:
        # Demo users include a coordinator: never slip them into a real database.
        raise DemoRefusedError(
            f"--demo weigert deze database: er staan al {len(strangers)} echte gebruikers in"
        )


# --- demo records ---------------------------------------------------------------------------

# Who registers a candidate: the field worker for their own care provider, or the coordinator
# on behalf of the support worker's provider (it has no field worker in the demo).
OWN, ON_BEHALF = "own", "on_behalf"
# Who supports them after the move: the demo support worker, the field worker's provider
# (nobody named yet), or not known yet.
SANNE, PROVIDER, UNKNOWN = "sanne", "provider", "unknown"


@dataclass(frozen=True)
class DemoCandidate:
    days: int  # registered this many days before the demo starts
    by: str  # OWN or ON_BEHALF
    support_by: str  # SANNE, PROVIDER or UNKNOWN
    facts: dict[str, Any]
    move_after: int = 0  # days after registration from which they can move
    # A change by hand: how many days before the start, the new status, the reason.
    change: tuple[int, str, str] | None = None


@dataclass(frozen=True)
class DemoDwelling:
    days: int
    by: str  # CORPORATION, or COORDINATOR reporting it for the corporation
    municipality: str
    facts: dict[str, Any]
    free_after: int = 0  # days after registration from which it is available
    change: tuple[int, str, str] | None = None


def _candidate(
    municipalities: tuple[str, ...],
    household: str,
    support: str,
    profile: str,
    rent_limit: str,
    *,
    children: int | None = None,
    max_rent: float | None = None,
    needs: tuple[str, ...] = (),
    bottlenecks: tuple[str, ...] = (),
    excluded: tuple[str, ...] = (),
    urgent: str = "nee",
    note: str | None = None,
) -> dict[str, Any]:
    """A candidate's matching facts, as the form saves them."""
    facts: dict[str, Any] = {
        "municipalities": list(municipalities),
        "excluded": list(excluded),
        "household": household,
        "support": support,
        "profile": profile,
        "needs": list(needs),
        "rent_limit": rent_limit,
        "bottlenecks": list(bottlenecks),
        "urgent": urgent,
        "note": note,
    }
    if children is not None:
        facts["children"] = children
    if max_rent is not None:
        facts["max_rent"] = max_rent
    return facts


def _dwelling(
    neighbourhood: str | None,
    kind: str,
    rooms: int,
    floor: int,
    net_rent: float,
    service_costs: float,
    *,
    lift: str | None = None,
    accessible: str = "nee",
    pets_allowed: str = "ja",
    omklap: str = "nee",
) -> dict[str, Any]:
    """A dwelling's facts, as the form saves them (the contact is added when seeding)."""
    facts: dict[str, Any] = {
        "neighbourhood": neighbourhood,
        "type": kind,
        "rooms": rooms,
        "floor": floor,
        "accessible": accessible,
        "pets_allowed": pets_allowed,
        "net_rent": net_rent,
        "service_costs": service_costs,
        "omklap": omklap,
    }
    if floor > 0:
        facts["lift"] = lift or "nee"
    return facts


# Oldest first: on a fresh database they become WT-IZK-0001 … 0012 and WN-IZK-0001 … 0006
# (the README's shell section lists them). Notes and reasons pass the personal-data guard.
DEMO_CANDIDATES = (
    DemoCandidate(
        212,
        OWN,
        SANNE,
        _candidate(
            ("haarlem", "heemstede"),
            "alleenstaand",
            "regulier",
            "zelfstandig",
            "lage_aftoppingsgrens",
            bottlenecks=("huurschuld",),
        ),
    ),
    DemoCandidate(
        164,
        OWN,
        PROVIDER,
        _candidate(("velsen", "beverwijk"), "stel", "licht", "zelfstandig", "hoge_aftoppingsgrens"),
        move_after=30,
        change=(20, "gepauzeerd", "tijdelijke opname"),
    ),
    DemoCandidate(
        131,
        ON_BEHALF,
        SANNE,
        _candidate(
            ("haarlem",),
            "gezin",
            "intensief",
            "begeleid",
            "anders",
            children=2,
            max_rent=720.0,
            needs=("begane_grond_of_lift",),
            urgent="ja",
        ),
        move_after=14,
    ),
    DemoCandidate(
        118,
        OWN,
        UNKNOWN,
        _candidate(
            ("heemskerk", "beverwijk"),
            "alleenstaand",
            "beschermd_zelfstandig",
            "beschermd_thuis",
            "lage_aftoppingsgrens",
            bottlenecks=("overlast_verleden", "schuldhulpverlening"),
        ),
    ),
    DemoCandidate(
        97,
        OWN,
        PROVIDER,
        _candidate(
            ("zandvoort", "bloemendaal"),
            "alleenstaand",
            "regulier",
            "zelfstandig",
            "lage_aftoppingsgrens",
            needs=("huisdier",),
            excluded=("velsen",),
            note="Heeft een kleine hond",
        ),
        move_after=7,
    ),
    DemoCandidate(
        76,
        OWN,
        UNKNOWN,
        _candidate(("haarlem",), "alleenstaand", "licht", "zelfstandig", "hoge_aftoppingsgrens"),
        change=(30, "teruggetrokken", "vindt zelf woonruimte bij familie"),
    ),
    DemoCandidate(
        58,
        ON_BEHALF,
        SANNE,
        _candidate(
            ("heemstede", "haarlem"),
            "stel",
            "regulier",
            "begeleid",
            "hoge_aftoppingsgrens",
            bottlenecks=("schuldhulpverlening",),
        ),
        move_after=21,
        change=(10, "gepauzeerd", "eerst schuldhulp afronden"),
    ),
    DemoCandidate(
        41,
        OWN,
        PROVIDER,
        _candidate(
            ("velsen",),
            "gezin",
            "regulier",
            "zelfstandig",
            "lage_aftoppingsgrens",
            children=1,
            needs=("toegankelijk",),
        ),
        move_after=30,
    ),
    DemoCandidate(
        27,
        OWN,
        SANNE,
        _candidate(
            ("beverwijk", "heemskerk", "velsen"),
            "alleenstaand",
            "intensief",
            "begeleid",
            "lage_aftoppingsgrens",
            needs=("begane_grond_of_lift",),
            urgent="ja",
            note="Liefst een rustige buurt, dicht bij de huisarts",
        ),
    ),
    DemoCandidate(
        16,
        OWN,
        UNKNOWN,
        _candidate(
            ("haarlem", "heemstede", "bloemendaal"),
            "alleenstaand",
            "licht",
            "zelfstandig",
            "anders",
            max_rent=600.0,
            bottlenecks=("huurschuld",),
        ),
        move_after=45,
    ),
    DemoCandidate(
        9,
        ON_BEHALF,
        SANNE,
        _candidate(("zandvoort",), "stel", "regulier", "zelfstandig", "hoge_aftoppingsgrens"),
        move_after=60,
    ),
    DemoCandidate(
        3,
        OWN,
        PROVIDER,
        _candidate(
            ("haarlem",),
            "gezin",
            "intensief",
            "beschermd_thuis",
            "anders",
            children=3,
            max_rent=850.0,
            needs=("huisdier",),
        ),
        move_after=90,
    ),
)
DEMO_DWELLINGS = (
    DemoDwelling(
        70,
        CORPORATION,
        "haarlem",
        _dwelling("Schalkwijk", "appartement", 2, 3, 598.5, 42.0, lift="ja"),
        free_after=21,
    ),
    DemoDwelling(
        45,
        CORPORATION,
        "velsen",
        _dwelling("IJmuiden", "eengezinswoning", 4, 0, 745.0, 0.0, pets_allowed="nee", omklap="ja"),
        free_after=30,
    ),
    DemoDwelling(
        30,
        CORPORATION,
        "beverwijk",
        _dwelling("Centrum", "benedenwoning", 3, 0, 680.0, 15.0, accessible="ja"),
        change=(8, "ingetrokken", "wordt eerst gerenoveerd"),
    ),
    DemoDwelling(
        21,
        CORPORATION,
        "heemskerk",
        _dwelling("Broekpolder", "studio", 1, 1, 462.0, 28.5, omklap="ja"),
        free_after=14,
    ),
    DemoDwelling(
        12,
        CORPORATION,
        "haarlem",
        _dwelling("Haarlem-Noord", "maisonnette", 3, 2, 712.0, 35.0),
        free_after=30,
    ),
    DemoDwelling(
        4,
        COORDINATOR,
        "zandvoort",
        _dwelling(None, "appartement", 2, 0, 625.0, 20.0),
        free_after=10,
    ),
)
# The matchpunt proposed these: (candidate, dwelling) by position above, days before the start.
DEMO_PROPOSALS = ((0, 0, 6), (3, 3, 2))

# The matchpunt's cases, added after the records above so that their codes stay as they are
# (WT-IZK-0013 and 0014, WN-IZK-0007 to 0009), each at its own earlier moment. With the open
# proposals, Bloemendaal is ahead of its share of the verdeelsleutel and Aerdenhout at its cap
# (1 in twelve months, an example in the region file):
# - WN-IZK-0008 (Aerdenhout) is flagged: proposing it asks the coordinator for a reason;
# - WN-IZK-0009 (Overveen): WT-IZK-0005, who waited longest, could also live in Zandvoort,
#   which is further behind, so WT-IZK-0014 (only Bloemendaal) comes first.
MATCHPUNT_CANDIDATES = (
    DemoCandidate(
        60,
        OWN,
        PROVIDER,
        _candidate(
            ("bloemendaal",), "alleenstaand", "regulier", "zelfstandig", "lage_aftoppingsgrens"
        ),
    ),
    DemoCandidate(
        85,
        OWN,
        UNKNOWN,
        _candidate(
            ("bloemendaal",), "alleenstaand", "licht", "zelfstandig", "lage_aftoppingsgrens"
        ),
        move_after=14,
    ),
)
MATCHPUNT_DWELLINGS = (
    DemoDwelling(
        20,
        CORPORATION,
        "bloemendaal",
        _dwelling("Aerdenhout", "appartement", 2, 0, 640.0, 25.0),
        free_after=10,
    ),
    DemoDwelling(
        6,
        CORPORATION,
        "bloemendaal",
        _dwelling("Aerdenhout", "benedenwoning", 2, 0, 655.0, 20.0),
        free_after=14,
    ),
    DemoDwelling(
        8,
        CORPORATION,
        "bloemendaal",
        _dwelling("Overveen", "appartement", 2, 1, 610.0, 30.0, lift="ja"),
        free_after=7,
    ),
)
MATCHPUNT_PROPOSALS = ((0, 0, 5),)
# The first matchpunt proposal became a match (both said yes this many days before the
# start) whose move-in date lies a few days after it: WT-IZK-0013 moves into WN-IZK-0007.
DEMO_MATCH_DAYS_AGO, DEMO_MOVE_IN_AFTER = 3, 3


# The soft landing's cases (WT-IZK-0015 and 0016 in WN-IZK-0010 and 0011), Sanne their
# support worker: one moved in two days before the start, so its first check-in comes the
# next day; one moved into an omklapwoning nine months before, its check-ins so far answered.
AFTERCARE_CANDIDATES = (
    DemoCandidate(
        45,
        OWN,
        SANNE,
        _candidate(("haarlem",), "alleenstaand", "licht", "zelfstandig", "lage_aftoppingsgrens"),
    ),
    DemoCandidate(
        330,
        OWN,
        SANNE,
        _candidate(
            ("haarlem", "heemstede"),
            "alleenstaand",
            "regulier",
            "zelfstandig",
            "lage_aftoppingsgrens",
        ),
    ),
)
AFTERCARE_DWELLINGS = (
    DemoDwelling(
        16,
        CORPORATION,
        "haarlem",
        _dwelling("Haarlem-Noord", "appartement", 2, 0, 615.0, 25.0),
        free_after=7,
    ),
    DemoDwelling(
        300,
        CORPORATION,
        "haarlem",
        _dwelling("Haarlem-Oost", "benedenwoning", 2, 0, 630.0, 20.0, omklap="ja"),
        free_after=10,
    ),
)
# (proposed, matched, moved in): days before the start.
AFTERCARE_MOVES = ((14, 10, 2), (290, 285, 270))


def seed_demo_records(
    store: Store, kb: KnowledgeBase, now: datetime, *, aftercare: bool = True
) -> list[str]:
    """Create the demo candidates and dwellings (after `seed_demo`) through the core, as the
    chat does: registered, changed and proposed by the demo users, each at its own earlier
    moment, so waiting times vary. Only when the demo region has no records yet (a second
    start on the same file adds nothing); returns the codes created. Raises
    `DemoRefusedError` for a database with real users. Without `aftercare` the soft
    landing's placements are left out (a file of records only, for the import's tests)."""
    _refuse_real_users(store)
    if store.records("candidates", DEMO_REGION) or store.records("dwellings", DEMO_REGION):
        return []
    users = {role: store.user(telegram_id) for role, telegram_id in DEMO_USERS.items()}
    demos = {CANDIDATES.table: DEMO_CANDIDATES, DWELLINGS.table: DEMO_DWELLINGS}
    # (days before the start, registration first, what, position): in time order, so the
    # audit log reads as it would have happened.
    events = [
        (demo.days, 0, kind, index)
        for kind in (CANDIDATES, DWELLINGS)
        for index, demo in enumerate(demos[kind.table])
    ]
    events += [
        (demo.change[0], 1, kind, index)
        for kind in (CANDIDATES, DWELLINGS)
        for index, demo in enumerate(demos[kind.table])
        if demo.change
    ]
    events += [(days, 1, None, index) for index, (_, _, days) in enumerate(DEMO_PROPOSALS)]
    codes: dict[str, list[str]] = {CANDIDATES.table: [], DWELLINGS.table: []}
    with store.db.atomic():
        for days, step, kind, index in sorted(events, key=lambda event: (-event[0], event[1])):
            moment = now - timedelta(days=days)
            if kind is None:
                candidate, dwelling, _ = DEMO_PROPOSALS[index]
                workflow.propose(
                    store,
                    kb,
                    moment,
                    users[COORDINATOR],
                    codes[CANDIDATES.table][candidate],
                    codes[DWELLINGS.table][dwelling],
                )
                continue
            demo = demos[kind.table][index]
            if step == 0:
                register = _register_candidate if kind is CANDIDATES else _register_dwelling
                codes[kind.table].append(register(store, moment, users, demo))
            else:
                _, status, reason = demo.change
                code = codes[kind.table][index]
                registry.transition(
                    store, moment, _changer(users, demo), kind, code, status, reason
                )
        more = _seed_matchpunt_cases(store, kb, now, users)
        settled = _seed_aftercare_cases(store, kb, now, users) if aftercare else ([], [])
        # What the bot said before the start was read then; what it says from now on is
        # new (the due work: the proposal over its deadline, the move-in day).
        store.settle_messages(now)
    return (
        codes[CANDIDATES.table]
        + more[0]
        + settled[0]
        + codes[DWELLINGS.table]
        + more[1]
        + settled[1]
    )


def _seed_matchpunt_cases(
    store: Store, kb: KnowledgeBase, now: datetime, users: dict[str, User]
) -> tuple[list[str], list[str]]:
    """The matchpunt's cases (`MATCHPUNT_CANDIDATES` …), registered after the other demo
    records (their audit lines come later, with their own earlier moments)."""
    demos = {CANDIDATES.table: MATCHPUNT_CANDIDATES, DWELLINGS.table: MATCHPUNT_DWELLINGS}
    # Registered in order of position, so the codes follow the lists above.
    made = {
        kind.table: [
            (_register_candidate if kind is CANDIDATES else _register_dwelling)(
                store, now - timedelta(days=demo.days), users, demo
            )
            for demo in demos[kind.table]
        ]
        for kind in (CANDIDATES, DWELLINGS)
    }
    proposals = [
        workflow.propose(
            store,
            kb,
            now - timedelta(days=days),
            users[COORDINATOR],
            made[CANDIDATES.table][candidate],
            made[DWELLINGS.table][dwelling],
        )
        for candidate, dwelling, days in MATCHPUNT_PROPOSALS
    ]
    matched = now - timedelta(days=DEMO_MATCH_DAYS_AGO)
    first = proposals[0]["id"]
    workflow.answer(store, kb, matched, users[FIELD_WORKER], first, CARE, True)
    workflow.answer(store, kb, matched, users[CORPORATION], first, CORPORATION_SIDE, True)
    move_in = now.date() + timedelta(days=DEMO_MOVE_IN_AFTER)
    workflow.set_move_in(store, matched, users[CORPORATION], first, move_in)
    return made[CANDIDATES.table], made[DWELLINGS.table]


def _seed_aftercare_cases(
    store: Store, kb: KnowledgeBase, now: datetime, users: dict[str, User]
) -> tuple[list[str], list[str]]:
    """The placements of `AFTERCARE_MOVES`: proposed, accepted by both, moved in, and the
    check-ins that came before the start asked and answered on their days ("Gaat goed")."""
    made = {
        kind.table: [
            (_register_candidate if kind is CANDIDATES else _register_dwelling)(
                store, now - timedelta(days=demo.days), users, demo
            )
            for demo in demos
        ]
        for kind, demos in ((CANDIDATES, AFTERCARE_CANDIDATES), (DWELLINGS, AFTERCARE_DWELLINGS))
    }
    names = {m.id: m.name for m in kb.regions[DEMO_REGION].municipalities}
    for index, (proposed, matched, moved) in enumerate(AFTERCARE_MOVES):
        candidate, dwelling = made[CANDIDATES.table][index], made[DWELLINGS.table][index]
        proposal = workflow.propose(
            store, kb, now - timedelta(days=proposed), users[COORDINATOR], candidate, dwelling
        )
        at = now - timedelta(days=matched)
        workflow.answer(store, kb, at, users[FIELD_WORKER], proposal["id"], CARE, True)
        workflow.answer(store, kb, at, users[CORPORATION], proposal["id"], CORPORATION_SIDE, True)
        day = (now - timedelta(days=moved)).date()
        workflow.set_move_in(store, at, users[CORPORATION], proposal["id"], day)
        due.move_in(
            store, now - timedelta(days=moved), store.proposal(proposal["id"]), "demo", kb=kb
        )
        for checkin in store.checkins_of(candidate=candidate):
            asked = _working_morning(now, checkin["opens_on"])
            if asked >= now:
                break
            runner.ask_due(store, asked, AftercareConfig(), names)
            answers.answer(store, asked, users[SUPPORT_WORKER], checkin["id"], runner.GOOD)
    return made[CANDIDATES.table], made[DWELLINGS.table]


def _working_morning(now: datetime, day: str) -> datetime:
    """10:00 on `day`, or on the first weekday after it, in `now`'s time zone."""
    moment = datetime.combine(date.fromisoformat(day), time(10), now.tzinfo)
    while moment.weekday() >= 5:
        moment += timedelta(days=1)
    return moment


def _changer(users: dict[str, User], demo: DemoCandidate | DemoDwelling) -> User:
    """Who changes a demo record's status: the side that manages it."""
    if isinstance(demo, DemoDwelling):
        return users[CORPORATION]
    return users[FIELD_WORKER if demo.by == OWN else COORDINATOR]


def _register_candidate(
    store: Store, moment: datetime, users: dict[str, User], demo: DemoCandidate
) -> str:
    support_worker, field_worker = users[SUPPORT_WORKER], users[FIELD_WORKER]
    facts = {
        **demo.facts,
        "earliest_move": (moment.date() + timedelta(days=demo.move_after)).isoformat(),
    }
    columns: dict[str, Any] = {}
    if demo.by == ON_BEHALF:
        columns["organisation_id"] = support_worker.organisation_id
    if demo.support_by == SANNE:
        facts["support_organisation"] = str(support_worker.organisation_id)
        facts["support_worker"] = str(support_worker.telegram_id)
        columns["support_organisation_id"] = support_worker.organisation_id
        columns["support_worker_id"] = support_worker.telegram_id
    elif demo.support_by == PROVIDER:
        facts["support_organisation"] = str(field_worker.organisation_id)
        facts["support_worker"] = "onbekend"
        columns["support_organisation_id"] = field_worker.organisation_id
    else:
        facts["support_organisation"] = "onbekend"
    who = field_worker if demo.by == OWN else users[COORDINATOR]
    return registry.register(store, moment, who, CANDIDATES, facts, **columns)["code"]


def _register_dwelling(
    store: Store, moment: datetime, users: dict[str, User], demo: DemoDwelling
) -> str:
    corporation = users[CORPORATION]
    facts = {
        **demo.facts,
        "available_from": (moment.date() + timedelta(days=demo.free_after)).isoformat(),
        "contact": str(corporation.telegram_id),
    }
    columns: dict[str, Any] = {"municipality": demo.municipality, "street_address": None}
    if demo.by == COORDINATOR:
        columns["organisation_id"] = corporation.organisation_id
    return registry.register(store, moment, users[demo.by], DWELLINGS, facts, **columns)["code"]
