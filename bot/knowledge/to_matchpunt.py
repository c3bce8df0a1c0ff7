""" "Vraag het matchpunt": a question the knowledge base cannot answer goes, with personal data
masked, to the coordinators of the asker's region; a coordinator's answer goes back to the
asker and stays as a draft entry (question, answer, region) for the knowledge editors, who
print the drafts with `weerthuis kb drafts`. The active-learning loop of QnA-style tools,
done in chat.

The asker's Telegram id is kept only until the answer is on its way: a draft holds nothing
of who asked.
"""

from __future__ import annotations

import html
from datetime import datetime, timedelta

import yaml

from bot.access.names import staff_name_html
from bot.access.roles import COORDINATOR, NotAllowedError
from bot.messaging import blocked, outbox
from bot.privacy.personal_data import find_personal_data, mask_personal_data
from bot.storage import Store, User, iso_timestamp
from bot.storage.questions import OPEN

# The answer becomes a knowledge-base answer, which holds at most this much.
MAX_ANSWER = 1000
MAX_ESCAPED = 3000
MAX_QUESTION = 400
# The question as quoted back with the answer (a message holds 4,096 characters).
QUOTED = 200
# A question nobody answered forgets its asker after this long.
ASKER_KEPT_DAYS = 30
ANSWER = "kb:b:"  # the coordinator's "Beantwoorden" button, with the question's id


class MatchpuntQuestionError(Exception):
    """A question that cannot be sent or answered; the message is Dutch, for the user."""


class AnswerTextError(MatchpuntQuestionError):
    """The typed answer cannot be kept as it is; another try may do."""


def is_about_the_text(error: MatchpuntQuestionError) -> bool:
    return isinstance(error, AnswerTextError)


def button_data(question_id: int) -> str:
    return f"{ANSWER}{question_id}"


def reachable(store: Store, user: User) -> bool:
    """Whether `user` has a matchpunt to ask: an active user, and a coordinator of their
    region besides themselves whom a message can reach."""
    return user.active and bool(blocked.coordinators(store, user.region, but=user.telegram_id))


def send(store: Store, now: datetime, user: User, question: str, region_name: str) -> str:
    """Send `question` to the matchpunt of `user`'s region (called `region_name`); the reply
    for the asker."""
    if not user.active:
        raise NotAllowedError("inactive")
    text = mask_personal_data(" ".join(question.split()))[:MAX_QUESTION]
    if not text:
        raise MatchpuntQuestionError("Er is geen vraag om door te sturen.")
    coordinators = blocked.coordinators(store, user.region, but=user.telegram_id)
    if not coordinators:
        raise MatchpuntQuestionError(
            "Er is nu geen coördinator van het matchpunt in je regio bereikbaar. Je vraag is "
            "bewaard voor de kennisbank; vraag het na bij de partners in je regio."
        )
    with store.db.atomic():
        # Only the day, and no audit line: a draft must not lead back to who asked (as for
        # the questions kept for the editors).
        question_id = store.add_matchpunt_question(
            user.region, text, user.telegram_id, now.date().isoformat()
        )
        for coordinator in coordinators:
            outbox.queue(
                store,
                now,
                coordinator.telegram_id,
                f"❓ <b>Vraag voor het matchpunt</b> van {staff_name_html(user)}, die de "
                f"kennisbank niet kon beantwoorden:\n\n<i>{html.escape(text, quote=False)}</i>\n\n"
                "Je antwoord gaat terug naar de vrager en wordt bewaard als concept voor de "
                "kennisbank (zonder wie het vroeg).",
                buttons=[[("✍️ Beantwoorden", button_data(question_id))]],
                key=f"matchpunt-vraag:{question_id}:{coordinator.telegram_id}",
            )
    return (
        f"Je vraag is naar het matchpunt van {html.escape(region_name, quote=False)} gestuurd: "
        f"<i>{html.escape(text, quote=False)}</i>\n"
        "Je krijgt het antwoord hier van een coördinator."
    )


def check_open(store: Store, user: User, question_id: int) -> dict:
    """The open question a coordinator of its region may answer."""
    row = store.matchpunt_question(question_id)
    if row is None:
        raise MatchpuntQuestionError("Deze vraag bestaat niet meer.")
    if not user.active or user.role != COORDINATOR or user.region != row["region"]:
        raise NotAllowedError("not a coordinator of the question's region")
    if row["state"] != OPEN:
        raise MatchpuntQuestionError("Deze vraag is al beantwoord; er is niets veranderd.")
    return row


def check_answer(text: str) -> str:
    """The answer as it will be kept: trimmed, bounded, without personal data."""
    clean = " ".join(text.split())
    if not clean:
        raise AnswerTextError("Typ een antwoord, of /stop om te stoppen.")
    if len(clean) > MAX_ANSWER:
        raise AnswerTextError(
            f"Het antwoord mag hoogstens {MAX_ANSWER} tekens zijn (nu {len(clean)})."
        )
    if len(html.escape(clean, quote=False)) > MAX_ESCAPED:
        raise AnswerTextError("Het antwoord heeft te veel tekens als &, < en >; maak het korter.")
    found = find_personal_data(clean)
    if found:
        raise AnswerTextError(
            f"Het antwoord lijkt {' en '.join(found)} te bevatten. Het wordt bewaard voor de "
            "kennisbank, dus zonder persoonsgegevens: laat ze weg en probeer het opnieuw."
        )
    return clean


def answer(store: Store, now: datetime, user: User, question_id: int, text: str) -> str:
    """A coordinator answers: the asker gets it, the draft is kept; the reply for them."""
    clean = check_answer(text)
    with store.db.atomic():
        row = check_open(store, user, question_id)
        asker = row["asker"]
        if not store.answer_matchpunt_question(
            question_id, clean, user.telegram_id, iso_timestamp(now)
        ):
            raise MatchpuntQuestionError("Deze vraag is al beantwoord; er is niets veranderd.")
        store.audit(user.telegram_id, "matchpunt.antwoord", now, "vraag", question_id)
        asking = store.find_user(asker) if asker is not None else None
        if asking is not None and asking.active:
            quoted = row["question"]
            if len(quoted) > QUOTED:
                quoted = quoted[: QUOTED - 1] + "…"
            outbox.queue(
                store,
                now,
                asker,
                "💬 <b>Antwoord van het matchpunt</b> op je vraag "
                f"<i>{html.escape(quoted, quote=False)}</i>:\n\n"
                f"{html.escape(clean, quote=False)}",
                key=f"matchpunt-antwoord:{question_id}",
            )
    return (
        "Verstuurd naar de vrager. Je antwoord is ook bewaard als concept voor de kennisbank "
        "(weerthuis kb drafts)."
    )


def forget_old_askers(store: Store, now: datetime) -> int:
    """Questions nobody answered in `ASKER_KEPT_DAYS` forget who asked (a daily job)."""
    before = (now - timedelta(days=ASKER_KEPT_DAYS)).date().isoformat()
    return store.forget_matchpunt_askers(before)


def drafts_yaml(store: Store, region: str | None = None) -> str:
    """The answered questions as draft entries, ready for a `knowledge/qa` file: the editors
    add alternates, tags and a source, then `weerthuis kb check`."""
    entries = [
        {
            "id": f"concept-{row['id']}",
            "question": row["question"],
            "alternates": [],
            "answer": html.escape(row["answer"], quote=False),
            "region": row["region"],
            "sources": [{"name": f"Antwoord van het matchpunt, {row['day']}"}],
        }
        for row in store.matchpunt_drafts(region)
    ]
    if not entries:
        return ""
    return yaml.safe_dump({"entries": entries}, allow_unicode=True, sort_keys=False, width=96)
