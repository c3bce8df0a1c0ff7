"""The versioned schema: each migration upgrades an older file in place."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlite_utils
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("weerthuis")


@MIGRATIONS()
def m001_access(db: sqlite_utils.Database) -> None:
    db["organisations"].create(
        {"id": int, "name": str, "kind": str, "region": str, "created_at": str},
        pk="id",
        not_null={"name", "kind", "region", "created_at"},
    )
    db["organisations"].create_index(["region", "name"], unique=True)
    db["users"].create(
        {
            "telegram_id": int,
            "role": str,
            "organisation_id": int,
            "region": str,
            "active": int,
            "is_admin": int,
            "language": str,
            "created_at": str,
        },
        pk="telegram_id",
        not_null={"role", "organisation_id", "region", "active", "is_admin", "created_at"},
        defaults={"active": 1, "is_admin": 0, "language": "nl"},
        foreign_keys=[("organisation_id", "organisations", "id")],
    )
    db["invites"].create(
        {
            "code": str,
            "role": str,
            "organisation_id": int,
            "region": str,
            "created_by": str,
            "created_at": str,
            "expires_at": str,
            "used_by": int,
            "used_at": str,
        },
        pk="code",
        not_null={"role", "organisation_id", "region", "created_by", "created_at", "expires_at"},
        foreign_keys=[("organisation_id", "organisations", "id")],
    )
    db["audit_log"].create(
        {
            "id": int,
            "at": str,
            "actor": str,
            "action": str,
            "record_type": str,
            "record_id": str,
            "detail": str,
        },
        pk="id",
        not_null={"at", "actor", "action"},
    )
    db["audit_log"].create_index(["record_id"])
    db["audit_log"].create_index(["actor"])
    # Append-only is enforced by the database itself, not by convention.
    db.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )
    db.execute(
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )


@MIGRATIONS()
def m002_persistence(db: sqlite_utils.Database) -> None:
    db["conversation_states"].create(
        {"name": str, "key": str, "state": str}, pk=("name", "key"), not_null={"state"}
    )
    db["user_data"].create({"user_id": int, "data": str}, pk="user_id", not_null={"data"})
    db["chat_data"].create({"chat_id": int, "data": str}, pk="chat_id", not_null={"data"})
    db["bot_data"].create({"id": int, "data": str}, pk="id", not_null={"data"})


@MIGRATIONS()
def m003_questions(db: sqlite_utils.Database) -> None:
    # Questions the knowledge base could not answer (or answered badly), so editors can add
    # alternates. No asker identity: the region is enough to route them.
    db["kb_questions"].create(
        {"id": int, "at": str, "kind": str, "text": str, "region": str, "entry_id": str},
        pk="id",
        not_null={"at", "kind", "text"},
    )
    db["kb_questions"].create_index(["region"])


@MIGRATIONS()
def m004_organisation_names(db: sqlite_utils.Database) -> None:
    # "Woonopmaat" and "woonopmaat " are one organisation: names are looked up that way too.
    db.execute(
        "CREATE UNIQUE INDEX IF NOT EXISTS organisations_region_folded_name "
        "ON organisations(region, lower(trim(name)))"
    )


@MIGRATIONS()
def m005_candidates_and_dwellings(db: sqlite_utils.Database) -> None:
    # Candidates are pseudonymous: a code and the facts needed for matching, never a name,
    # BSN, birth date, phone number or address. What filters and access need is a column;
    # the other matching facts live in `facts` (JSON).
    db["candidates"].create(
        {
            "code": str,
            "region": str,
            "organisation_id": int,
            "created_by": int,
            "support_organisation_id": int,
            "support_worker_id": int,
            "status": str,
            "status_reason": str,
            "facts": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="code",
        not_null={"region", "organisation_id", "created_by", "status", "facts", "created_at"},
        foreign_keys=[("organisation_id", "organisations", "id")],
    )
    db["candidates"].create_index(["region", "status"])
    db["dwellings"].create(
        {
            "code": str,
            "region": str,
            "organisation_id": int,
            "created_by": int,
            "municipality": str,
            "status": str,
            "status_reason": str,
            "facts": str,
            # Shown only to the parties of an accepted match.
            "street_address": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="code",
        not_null={"region", "organisation_id", "created_by", "municipality", "status", "facts"},
        foreign_keys=[("organisation_id", "organisations", "id")],
    )
    db["dwellings"].create_index(["region", "status"])
    db["record_counters"].create({"prefix": str, "last": int}, pk="prefix", not_null={"last"})
    # What stays of an erased candidate: enough for the statistics, nothing about the person.
    db["candidate_tombstones"].create(
        {"id": int, "region": str, "status": str, "registered_on": str, "erased_at": str},
        pk="id",
    )


@MIGRATIONS()
def m006_proposals(db: sqlite_utils.Database) -> None:
    # The regional matchpunt proposes a candidate for a dwelling; the corporation then sees
    # that candidate's matching facts. Accepting and declining come with the matching work.
    db["proposals"].create(
        {
            "id": int,
            "candidate_code": str,
            "dwelling_code": str,
            "region": str,
            "status": str,
            "proposed_by": int,
            "created_at": str,
        },
        pk="id",
        not_null={"candidate_code", "dwelling_code", "region", "status", "created_at"},
    )
    db["proposals"].create_index(["dwelling_code"])
    db["proposals"].create_index(["candidate_code"])


@MIGRATIONS()
def m007_draft_ids(db: sqlite_utils.Database) -> None:
    # The form draft a record was saved from: saving the same draft twice (a button press
    # Telegram redelivers after a crash) finds the first record instead of making a second.
    for table in ("candidates", "dwellings"):
        db[table].add_column("draft_id", str)
        db.execute(
            f"CREATE UNIQUE INDEX {table}_draft_id ON {table}(draft_id) WHERE draft_id IS NOT NULL"
        )


@MIGRATIONS()
def m008_proposal_ends(db: sqlite_utils.Database) -> None:
    # A proposal ends (accepted, declined, or closed because one side left) at a moment.
    db["proposals"].add_column("closed_at", str)


@MIGRATIONS()
def m009_user_first_names(db: sqlite_utils.Database) -> None:
    # Staff are not candidates: colleagues see their first name (never a candidate's). It is
    # erased when the account is deactivated.
    db["users"].add_column("first_name", str)


@MIGRATIONS()
def m010_placements(db: sqlite_utils.Database) -> None:
    # When a dwelling was assigned to a candidate: the quota ledger counts placements from
    # the dwellings themselves (set on `toegewezen`, cleared when the home goes back).
    db["dwellings"].add_column("placed_at", str)
    db["dwellings"].create_index(["region", "placed_at"])
    # Homes assigned before this migration: when the audit log saw them assigned, else their
    # last change, so the ledger counts them from the start.
    db.execute(
        """
        UPDATE dwellings SET placed_at = COALESCE(
            (SELECT max(at) FROM audit_log
             WHERE record_id = dwellings.code AND action = 'woning.status'
               AND detail LIKE '%"to": "toegewezen"%'),
            updated_at, created_at)
        WHERE status IN ('toegewezen', 'verhuurd') AND placed_at IS NULL
        """
    )
    # Why the matchpunt proposed a home above its neighbourhood's cap: on the proposal (which
    # goes with the candidate when it is erased), never in the audit log.
    db["proposals"].add_column("cap_reason", str)


@MIGRATIONS()
def m011_outbox(db: sqlite_utils.Database) -> None:
    # Everything the bot sends on its own (notifications, reminders, digests, check-ins) is a
    # row here first, written in the transaction of the change that causes it, and marked
    # sent in the transaction that stores Telegram's message id: nothing is lost on a crash.
    db["outbox"].create(
        {
            "id": int,
            "chat_id": int,
            "text": str,
            "buttons": str,  # JSON: rows of [label, callback data]
            "urgent": int,
            # Idempotency: a change that arrives twice (Telegram redelivers after a crash)
            # queues its message once.
            "key": str,
            # The candidate or dwelling it is about: erased with a candidate.
            "about": str,
            "created_at": str,
            "due_at": str,  # not before (working hours for a message that is not urgent)
            "next_attempt_at": str,
            "attempts": int,
            "status": str,  # wacht, verzonden, mislukt, onbereikbaar
            "error": str,
            "message_id": int,
            "sent_at": str,
        },
        pk="id",
        not_null={"chat_id", "text", "created_at", "due_at", "status", "attempts", "urgent"},
        defaults={"attempts": 0, "urgent": 0, "status": "wacht"},
    )
    db.execute("CREATE UNIQUE INDEX outbox_key ON outbox(key) WHERE key IS NOT NULL")
    db["outbox"].create_index(["status", "next_attempt_at"])
    db["outbox"].create_index(["about"])
    # A user who blocked the bot gets nothing until they write to it again; their open items
    # go to the coordinator.
    db["users"].add_column("blocked_at", str)


@MIGRATIONS()
def m012_decisions(db: sqlite_utils.Database) -> None:
    # Each party's answer to a proposal (the care side: the candidate's field worker; the
    # corporation side: the dwelling's corporation), with the reason from that role's list
    # and a note; the deadline and its reminder; who at the matchpunt settled a decline; the
    # move-in date of a match.
    columns = {
        "care_answer": str,
        "care_reason": str,
        "care_note": str,
        "care_by": int,
        "care_at": str,
        "corporation_answer": str,
        "corporation_reason": str,
        "corporation_note": str,
        "corporation_by": int,
        "corporation_at": str,
        "deadline_at": str,
        "remind_at": str,
        "reminded_at": str,
        "stalled_at": str,
        "decided_by": int,
        "move_in_on": str,
        "moved_at": str,
    }
    for name, kind in columns.items():
        db["proposals"].add_column(name, kind)
    # An older file's open proposals: the usual deadline (five working days from their
    # start, reminded halfway), so the due work sees them; the region's own rule applies to
    # new ones.
    for proposal_id, created in db.execute(
        "SELECT id, created_at FROM proposals WHERE status = 'open'"
    ).fetchall():
        start = datetime.fromisoformat(created)
        deadline = _plus_working_days(start, 5)
        db.execute(
            "UPDATE proposals SET deadline_at = ?, remind_at = ? WHERE id = ?",
            [deadline.isoformat(), (start + (deadline - start) / 2).isoformat(), proposal_id],
        )
    # Two open proposals for one candidate or dwelling (an older file could hold them): the
    # first stays, the later ones lapse, before the file is made to refuse them.
    for side in ("candidate_code", "dwelling_code"):
        db.execute(
            f"UPDATE proposals SET status = 'vervallen', closed_at = created_at "
            f"WHERE status = 'open' AND id NOT IN "
            f"(SELECT min(id) FROM proposals WHERE status = 'open' GROUP BY {side})"
        )
    # A candidate is never in two live proposals, nor a dwelling: the file itself refuses a
    # second one, whichever process tries.
    for side in ("candidate_code", "dwelling_code"):
        db.execute(
            f"CREATE UNIQUE INDEX proposals_open_{side} ON proposals({side}) WHERE status = 'open'"
        )
    db["proposals"].create_index(["region", "status"])


def _plus_working_days(moment: datetime, days: int) -> datetime:
    """Monday to Friday (the decision workflow's own rule lives in `bot.decisions`)."""
    while moment.weekday() >= 5:
        moment += timedelta(days=1)
    while days:
        moment += timedelta(days=1)
        days -= moment.weekday() < 5
    return moment


@MIGRATIONS()
def m013_checkins(db: sqlite_utils.Database) -> None:
    # The soft landing: every check-in after a move is a row, made in the move's
    # transaction: when it is due (a day, with a window around it), who is asked, and where
    # it stands (gepland, klaar: asked; beantwoord, gemist: the window passed; vervallen).
    db["checkins"].create(
        {
            "id": int,
            "candidate_code": str,
            "dwelling_code": str,
            "proposal_id": int,
            "region": str,
            "number": int,  # 1, 2, … in the plan
            "day": int,  # days after the move-in
            "due_on": str,
            "opens_on": str,
            "closes_on": str,
            "recipient_id": int,
            "state": str,
            "asked_at": str,
            "answer": str,
            "topic": str,
            "answered_by": int,
            "answered_at": str,
            "created_at": str,
        },
        pk="id",
        not_null={"candidate_code", "region", "number", "day", "due_on", "state", "created_at"},
    )
    db.execute("CREATE UNIQUE INDEX checkins_per_move ON checkins(proposal_id, number)")
    db["checkins"].create_index(["state", "opens_on"])
    db["checkins"].create_index(["candidate_code"])


@MIGRATIONS()
def m014_checkin_follow_up(db: sqlite_utils.Database) -> None:
    # A check-in asked and not answered is reminded after two working days and escalated to
    # the matchpunt after five: when each happened.
    db["checkins"].add_column("reminded_at", str)
    db["checkins"].add_column("escalated_at", str)


@MIGRATIONS()
def m015_signals(db: sqlite_utils.Database) -> None:
    # Samen oplossen: a concern or an acute problem at a check-in is a signal for the
    # matchpunt and the corporation, open until someone closes it with an outcome.
    db["signals"].create(
        {
            "id": int,
            "checkin_id": int,
            "candidate_code": str,
            "dwelling_code": str,
            "proposal_id": int,
            "region": str,
            "kind": str,  # zorgen, acuut
            "topic": str,
            "note": str,
            "opened_by": int,
            "opened_at": str,
            "taken_by": int,
            "taken_at": str,
            "closed_by": int,
            "closed_at": str,
            "outcome": str,
        },
        pk="id",
        not_null={"candidate_code", "region", "kind", "topic", "opened_at"},
    )
    # One signal per check-in answer: a redelivered press opens nothing new.
    db.execute("CREATE UNIQUE INDEX signals_per_checkin ON signals(checkin_id)")
    db["signals"].create_index(["region", "closed_at"])
    db["signals"].create_index(["candidate_code"])
    # A placement ends when the tenant leaves the home: when, and how (teruggevallen,
    # uitgezet, doorgestroomd), for who stays housed.
    db["proposals"].add_column("left_on", str)
    db["proposals"].add_column("left_as", str)


@MIGRATIONS()
def m016_omklap(db: sqlite_utils.Database) -> None:
    # An omklapwoning is first let to the care provider; at months 9 and 11 (the region's
    # rule) the care side and the corporation each say omklappen, verlengen or stoppen, and
    # at month 12 the lease flips to the tenant, or the chosen path is followed.
    db["omklap_rounds"].create(
        {
            "id": int,
            "proposal_id": int,
            "candidate_code": str,
            "dwelling_code": str,
            "region": str,
            "month": int,
            "due_on": str,
            "state": str,  # gepland, klaar (asked), besloten
            "asked_at": str,
            "care_answer": str,
            "care_by": int,
            "care_at": str,
            "corporation_answer": str,
            "corporation_by": int,
            "corporation_at": str,
            "decision": str,
            "decided_by": int,
            "decided_at": str,
            "created_at": str,
        },
        pk="id",
        not_null={"proposal_id", "candidate_code", "region", "month", "due_on", "state"},
    )
    db.execute("CREATE UNIQUE INDEX omklap_rounds_per_month ON omklap_rounds(proposal_id, month)")
    db["omklap_rounds"].create_index(["state", "due_on"])
    db["omklap_rounds"].create_index(["candidate_code"])
    # The placement: when the lease is due to flip, and how the omklap year ended
    # (omgeklapt, gestopt; verlengd moves the flip on).
    db["proposals"].add_column("omklap_flip_on", str)
    db["proposals"].add_column("omklap_outcome", str)
    db["proposals"].add_column("omklap_outcome_on", str)


@MIGRATIONS()
def m017_matchpunt_questions(db: sqlite_utils.Database) -> None:
    # "Vraag het matchpunt": a question the knowledge base could not answer, sent to the
    # region's coordinators. The asker is kept only until the answer is on its way; what stays
    # (question, answer, region) is a draft entry for the knowledge editors.
    db["matchpunt_questions"].create(
        {
            "id": int,
            "region": str,
            "question": str,  # personal data masked
            "asker": int,  # NULL once answered
            "asked_at": str,
            "state": str,  # open, beantwoord
            "answer": str,
            "answered_by": int,
            "answered_at": str,
        },
        pk="id",
        not_null={"region", "question", "asked_at", "state"},
    )
    db["matchpunt_questions"].create_index(["region", "state"])
