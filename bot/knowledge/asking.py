"""A staff question in a conversation: a short follow-up that only names a region re-asks the
previous question for it (or gets the region's main entry), one that names another glossary
term re-asks it for that term ("en een kandidaat?"), and a message that asks two things gets
both answers; a clause without a subject of its own is about the clause before. The search
itself is `bot.knowledge.search`; this module decides what to search for."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from bot.knowledge.base import Entry
from bot.knowledge.search import (
    MAX_QUESTION_CHARS,
    NOWHERE,
    STOP_WORDS,
    SearchIndex,
    SearchResult,
    Suggestion,
    asks_for_a_language,
    question_kind,
    words,
)

MAX_PARTS = 3
# An elliptical follow-up has at most this many words besides the small ones.
MAX_ELLIPTICAL_WORDS = 3
# A part shorter than this is no question of its own ("huurschulden en overlast").
MIN_PART_WORDS = 3
# A clause after one about an outside subject is a question of its own with this many words
# of its own ("hoe meld ik die aan als kandidaat"; not "hoe vraag je dat aan").
MIN_OWN_WORDS = 2
_SENTENCE_END = re.compile(r"(?<=[?!;])\s+|\?(?=\S)")
# Longest first: "en ook" is one joiner, not "en" and a clause that opens with "ook". A sign
# between spaces joins too ("op welk rapport is het gebaseerd / loopt het nog door"); like
# the words, only before a question of its own ("woningen voor bw + mo" is one question).
_JOINER = re.compile(
    r",?\s+(?:(?:eh|uh|ehm)\s+)?"
    r"(?:en ook|en verder|en daarnaast|maar ook|and also|en|of|ook|plus|daarnaast|verder|and|also"
    r"|[/+&|])"
    r"[,:]?\s+|,\s+",
    re.IGNORECASE,
)
# What a clause that is a question of its own opens with: a question word ("hoe", "op welk"),
# or a verb (a yes/no question: "zijn er genoeg woningen").
_QUESTION_OPENERS = frozenset(
    "wat wie wiens waar waarom wanneer hoe hoeveel hoelang welk welke waarmee waarvoor "
    "is zijn was waren wordt worden kan kun kunnen mag mogen moet moeten zal zullen zou "
    "heb hebben heeft krijg krijgen krijgt doe doet doen gaat gaan komt komen werkt loopt lopen "
    "what who where when why how which is are can do does did will".split()
)
_QUESTION_WORDS = frozenset(
    "wat wie waar waarom wanneer hoe hoeveel welk welke what who where when why how which".split()
)
_PREPOSITIONS = frozenset(
    "op in met voor bij van over aan uit naar door tot sinds vanaf on at for since".split()
)
# The subject after an inverted verb: "en verschillen ze veel", "en heeft het gewerkt".
_INVERTED_SUBJECTS = frozenset(
    "ze zij het er jullie we wij je jij u hij men die dat dit deze they it you".split()
)
# A follow-up that refers back without naming a region: "en wanneer is het daar begonnen".
# "daarover", "erbij": always a word of its own, never one that names what follows.
_POINTING_ADVERBS = frozenset(
    f"{pointer}{preposition}"
    for pointer in ("er", "daar")
    for preposition in "achter in van over bij aan voor door op uit mee".split()
)
_REFERS_BACK = frozenset("daar die dat deze ze zij hun there they".split()) | _POINTING_ADVERBS
_PLACE_POINTERS = frozenset(("daar", "there"))
# "hoe verdelen ze het": they who act, not the subject before.
_ACTORS = frozenset("ze zij hun they".split())

# Beside a question word, what "hoe dan?", "wie doet dat dan?" and "wanneer is het begonnen"
# say: words that go on, point back, or are the commonest verbs.
_ONLY_ASKING = frozenset(
    "en maar ok oke dan eigenlijk precies toch nou sinds vanaf then dat die het dit er is zijn "
    "was wordt doet doen duurt lang begonnen gestart niet not".split()
)
# Small talk, not a question about the subject before.
_SMALL_TALK = frozenset({("hoe", "is", "het"), ("hoe", "gaat", "het"), ("wat", "is", "er")})
# "hoe kan dat?" is surprise, not a question the answer before answers.
_SAYS_ITS_OWN = frozenset({("hoe", "kan", "dat"), ("hoe", "kan", "het")})
_GOES_ON_FIRST = frozenset("en and ook ok oke okay so".split())
_GOES_ON = frozenset("dan daarna then".split())
MAX_OWN_WORDS_GOING_ON = 2
MAX_FOLLOW_UP_QUESTION_WORDS = 6


@dataclass(frozen=True)
class Reply:
    """What a question gets. `results` holds one result per answered part of the question (the
    first is the main one), or the one unanswered result; `unanswered` the parts of a combined
    question that found no answer; `follows` the earlier question a follow-up re-asked."""

    question: str
    results: tuple[SearchResult, ...]
    unanswered: tuple[str, ...] = ()
    follows: str | None = None
    region: str | None = None  # the region a follow-up named

    @property
    def main(self) -> SearchResult:
        return self.results[0]

    @property
    def found(self) -> bool:
        return self.main.found

    def as_json(self) -> dict:
        data = self.main.as_json()
        data["question"] = self.question
        data["also"] = [r.as_json() for r in self.results[1:]]
        data["unanswered_parts"] = list(self.unanswered)
        data["follows"] = self.follows
        return data


def ask(
    index: SearchIndex,
    question: str,
    *,
    region: str | None = None,
    previous: str | None = None,
) -> Reply:
    """Answer `question` from the asker in `region`; `previous` is their question before, if
    this may follow up on it. Never raises."""
    text = question.strip()[:MAX_QUESTION_CHARS]
    head = _without_its_reason(index, text)
    if head is not None:
        # "en wat is dan doorstroom, want die twee worden bij ons door elkaar gehaald": the
        # question, not the reason given for it.
        return replace(ask(index, head, region=region, previous=previous), question=text)
    if previous:
        previous = _without_its_reason(index, previous) or previous
    named = index.region_named_only(text)
    if named is not None:
        return _follow_up(index, text, named, previous)
    parts = split_question(text)
    if len(parts) == 1:
        parts = _with_another_term(index, text) or _with_another_region(index, text) or parts
    if len(parts) > 1:
        return _combined(index, text, parts, region)
    if not previous:
        result = _its_question_alone(index, text, region) or index.search(text, region=region)
        if not result.found:
            result = (
                _what_the_term_means(index, text, region)
                or _what_was_agreed_there(index, text)
                or _after_its_context(index, text, region, result)
                or result
            )
        return Reply(text, (result,))
    before = index.search(previous, region=region)
    reply = _after_the_question_before(index, text, previous, region, before)
    if not reply.found and _asks_more_of_the_answer_before(index, text, before):
        # "hoe lang duurt dat?", "wie zitten daarin?", "voor wie?": nothing of its own but
        # what it asks, and no other answer to it: the answer before, which says more than
        # the question before asked.
        return Reply(text, (replace(before, question=text),), follows=previous)
    return reply


def _after_the_question_before(
    index: SearchIndex, text: str, previous: str, region: str | None, before: SearchResult
) -> Reply:
    """`text` in a chat, after `previous`, which found `before`."""
    if before.found and asks_for_a_language(text):
        # "and in english?": the answer before, in the language asked for.
        return Reply(text, (replace(before, question=text),), follows=previous)
    if before.found and "begrip" in before.entry.tags and _WHICH_REGION.match(text.strip()):
        # "in welke regio?" after what an omklapwoning is: the region that has them.
        where = index.where(previous)
        if where is not None:
            return Reply(text, (replace(where, question=text),), follows=previous)
    if before.outside and _follows_on(index, text):
        # "en wie betaalt dat?" after "mijn cliënt wil een borg betalen": still about the
        # subject the knowledge base does not cover.
        return Reply(text, (replace(before, question=text),), follows=previous)
    near: Mapping[str, float] = NOWHERE
    if before.found and before.entry is not None and _goes_on(index, text):
        near = index.neighbours(before.entry)
    if _only_asks(text):
        # "hoeveel dan?", "waarom eigenlijk", "hoe dan?": only a question word, so a question
        # about the subject before; its answer may be the answer before.
        subject = index.with_subject_of(text, previous)
        result = index.search(text, region=region, query=subject, near=near)
        if not result.found:
            result = _after(index, text, previous, region, same=True, before=before, near=near)
        return Reply(text, (result,), follows=previous)
    if (
        before.found
        and before.entry.region
        and not index.named_regions(previous)
        and not index.named_regions(text)
        and _names_a_region_before(index, text)
    ):
        # "welke gemeenten vallen onder deze regio" after the Pact van uitstroom: the region
        # of the answer before.
        result = index.search(text, region=region, near=near)
        return _in_the_region_before(
            index, text, previous, region, result, near, before.entry.region
        )
    if _refers_back(text):
        result = _after(index, text, previous, region, before=before, near=near)
        return Reply(text, (result,), follows=previous)
    result = index.search(text, region=region, near=near)
    named = index.named_regions(previous)
    if len(named) == 1 and not index.named_regions(text):
        return _in_the_region_before(index, text, previous, region, result, near, *named)
    if result.which_region and before.found and before.entry.region:
        # "verdeling over de buurten?" after the Pact van uitstroom: several regions have
        # such a fact, and the conversation is about one of them.
        return _in_the_region_before(
            index, text, previous, region, result, near, before.entry.region
        )
    return Reply(text, (result,))


_WHICH_REGION = re.compile(
    r"^(?:en |and )?(?:(?:in |bij )?(?:welke|which|wat voor)"
    r" (?:regio|regio's|regios|region|regions)"
    r"(?: is dat| zijn dat| dan| is that| are those"
    r"| (?:heeft|hebben|doet|doen|kent|kennen) (?:dat|die|het|ze|dit)"
    r"| (?:has|have|does|do|uses?) (?:that|it|them|this|those))?"
    r"|waar(?: dan| is dat| zijn die| gebeurt dat| bestaat dat| bestaan die"
    r"| (?:hebben|doen|kennen|gebruiken) ze (?:dat|die|het|dit)(?: dan)?)?"
    r"|where(?: is that| then| does that happen"
    r"| do they (?:have|do|use) (?:that|it|them|this)| is that done)?)\W*$",
    re.IGNORECASE,
)
_REASON = re.compile(r",?\s+(?:want|omdat|aangezien|because)\s+", re.IGNORECASE)


def _without_its_reason(index: SearchIndex, text: str) -> str | None:
    """The question before "want …" ("omdat", "because"): its reason says why it is asked,
    not what. None when there is no such reason, or it names a subject the knowledge base
    does not cover ("hoe vraag ik dat aan, want hij wil huurtoeslag")."""
    match = _REASON.search(text)
    if match is None or index.analyse(text).outside:
        return None
    head = text[: match.start()].strip()
    if len(head.split()) < MIN_PART_WORDS or not (_opens_question(head) or _refers_back(head)):
        return None
    return head


def _in_the_region_before(
    index: SearchIndex,
    text: str,
    previous: str,
    region: str | None,
    result: SearchResult,
    near: Mapping[str, float],
    named: str,
) -> Reply:
    """`text` names no region, and follows `previous`, which named `named`: the conversation
    is about that region. "welke gemeentes doen mee" after "wat gebeurt er in Rivierenland"
    is Rivierenland's answer, not a question back which region; "ok en wat komt er daarna"
    after the intention statement in Zuidoost-Drenthe is its convenant."""
    query = index.with_region(text, named)
    there = index.search(text, region=region, query=query, near=near)
    # Its own answer on what `text` asks, not any entry the region's name lifts ("hoeveel
    # woningen per jaar" after "wat doet Den Haag" is not Den Haag's training).
    subject = index.subject_words(text)
    own = (
        there.found
        and there.entry.region == named
        and (not subject or index.knows(there.entry, subject, every=True))
    )
    if (own or (there.found and result.which_region and there.entry.region is None)) and (
        there.entry != result.entry or not result.found
    ):
        return Reply(text, (there,), follows=previous)
    if result.found and result.entry.region not in (None, named):
        # "hoeveel woningen per jaar" after "wat doet Den Haag": Midden-Groningen's number
        # is no answer about Den Haag; offered only.
        suggestion = Suggestion(result.entry.id, result.entry.question)
        result = replace(result, found=False, suggestions=(suggestion,))
    return Reply(text, (result,))


def _after(
    index: SearchIndex,
    text: str,
    previous: str,
    region: str | None,
    *,
    same: bool = False,
    before: SearchResult | None = None,
    near: Mapping[str, float] = NOWHERE,
) -> SearchResult:
    """`text`, which refers back to `previous` (the question before, or the clause before
    in one message). With `same`, the answer to `previous` may be the answer to `text` too
    ("wat is een uitstroomprofiel en wie maakt die": that entry says it). `before` is what
    `previous` found, when the caller has it already."""
    if _elliptical(text):
        # "en een kandidaat?" after "hoe meld ik een vrijkomende woning aan": the question
        # before, about this term instead of that one; an answer that knows the term.
        instead = index.with_term_of(text, previous)
        if instead is not None:
            result = index.search(text, region=region, query=instead)
            terms = index.term_tokens(text)
            if result.found and index.knows(result.entry, terms, every=True):
                return result
        elif terms := index.term_tokens(text):
            # "ook voor bijzondere doelgroepen?" after "wat heeft weer thuis opgeleverd": the
            # question before, for that term; not what the term means.
            merged = index.search(f"{previous} {text}", region=region)
            if (
                merged.found
                and "begrip" not in merged.entry.tags
                and (before is None or merged.entry != before.entry)
                and index.knows(merged.entry, terms, every=True)
            ):
                return merged
            # Nor is what the term means a sure answer to it.
            alone = index.search(text, region=region, query=index.with_region_of(text, previous))
            if alone.found and "begrip" in alone.entry.tags:
                suggestion = Suggestion(alone.entry.id, alone.entry.question)
                return replace(alone, found=False, suggestions=(suggestion,))
    if _points_back(text):
        # "wat hebben de regio's daarover afgesproken" after "wat is een huurschuld": the
        # question about that subject, when it has an answer that is not the one before.
        before = before or index.search(previous, region=region)
        subject = index.with_subject_of(text, previous)
        about = index.search(text, region=region, query=subject, near=near)
        if about.found and about.entry != before.entry:
            return about
    # "om hoeveel mensen gaat het daar": the region of the question before.
    query = index.with_region_of(text, previous)
    result = index.search(text, region=region, query=query, near=near)
    # "daar" is the region before when the question took it ("en hoe verdelen ze het daar
    # over de buurten" after the waiting list of Woonopmaat).
    pointing = _points_back(text, place=not query.rewritten)
    if result.found and pointing and not index.is_about(result.entry, previous):
        # "wie betaalt de huur daarvan" after "wat is een omklapwoning": an answer about
        # rent that knows nothing of the omklapwoning is not about "daarvan"; offered only.
        suggestion = Suggestion(result.entry.id, result.entry.question)
        result = replace(result, found=False, suggestions=(suggestion,))
    if not result.found:
        # "voor wie is het bedoeld" after "wat is het doel van Weer Thuis": its own question
        # about the subject of the one before, which is not the answer before.
        before = before or index.search(previous, region=region)
        subject = index.with_subject_of(text, previous)
        about = index.search(text, region=region, query=subject, near=near)
        if about.found and about.entry != before.entry:
            return about
        # "en hoe meld je je dan aan", "wie zit erin": the subject of the question before.
        merged = index.search(f"{text} {previous}", region=region)
        if merged.found and (same or not before.found or before.entry != merged.entry):
            result = merged
    return result


# "waar staat dat voor?", "wat betekent dat?", "… en ik weet niet wat dat is": what a term the
# message named before means.
_WHAT_IT_MEANS = re.compile(
    r"\b(?:wat|waar) (?:betekent|betekenen|is|zijn|staat|staan|houdt|houden) (?:dat|dit|die|het)"
    r"(?: eigenlijk| precies| nou)?(?: voor| in)?\s*\W*$"
    r"|\bwat (?:dat|dit|die|het) (?:eigenlijk |precies )?(?:is|zijn|betekent|betekenen|inhoudt)\b"
    r"|\bwhat (?:does )?(?:that|this|it) (?:is|means?|stands? for)\b",
    re.IGNORECASE,
)


def _what_the_term_means(index: SearchIndex, text: str, region: str | None) -> SearchResult | None:
    """ "in elk verslag staat 'bw'. waar staat dat voor?": the one glossary term the message
    names, and a question what that is; its glossary entry, when the search answers it so."""
    if _WHAT_IT_MEANS.search(text) is None or index.analyse(text).outside:
        return None
    terms = index.terms_named(text)
    if len(terms) != 1:
        return None
    result = index.search(f"wat is {terms[0]}", region=region)
    if result.found and "begrip" in result.entry.tags:
        return replace(result, question=text)
    return None


# A situation told before a question has at least this many words ("ik heb een cliënt").
MIN_SITUATION_WORDS = 4
_PERSONS = frozenset("hem haar hij zijn zij hun him her his he she".split())
_STATEMENT_END = re.compile(r"(?<=[.:])\s+")


def _after_its_context(
    index: SearchIndex, text: str, region: str | None, whole: SearchResult
) -> SearchResult | None:
    """ "Ik heb een cliënt die … . Wat houdt een woonbegeleidingstraject in?": a situation
    told first, then the question, which the whole message (`whole`) did not answer. The
    question alone, or about the situation before it, when the whole message offered that
    answer or none; None otherwise."""
    sentences = [s.strip() for s in _STATEMENT_END.split(text) if s.strip()]
    if len(sentences) < 2 or not _opens_question(sentences[-1]):
        return None
    question, context = sentences[-1], " ".join(sentences[:-1])
    if whole.outside:
        return None  # "Mijn cliënt krijgt energietoeslag. Hoe werkt dat?"
    result = index.search(question, region=region)
    if not result.found:
        result = _after(index, question, context, region, same=True)
        # About the situation, the answer must know what the question asks of it ("die
        # regel"); "hoe werkt dat?" after a situation the base knows nothing of is no
        # question it answers.
        subject = index.subject_words(question)
        if result.found and not (subject and index.knows(result.entry, subject)):
            return None
    offered = [s.entry_id for s in whole.suggestions]
    if not result.found or (offered and result.entry.id not in offered):
        return None
    return result


def _its_question_alone(index: SearchIndex, text: str, region: str | None) -> SearchResult | None:
    """ "ik ben beleidsmedewerker bij een kleine gemeente en we willen aansluiten. bij wie meld
    je je als regio aan?": who the asker is and what they want, then the question, which is
    what is asked. Its sure answer, when it is a question of its own (it does not point back
    at the situation) and the situation names no subject the knowledge base does not cover, or
    another region than the answer's. None otherwise."""
    sentences = [s.strip() for s in _STATEMENT_END.split(text) if s.strip()]
    if len(sentences) < 2 or not _opens_question(sentences[-1]):
        return None
    question, context = sentences[-1], " ".join(sentences[:-1])
    if (
        len(words(context)) < MIN_SITUATION_WORDS  # "woningaanmelding: welke gegevens …"
        or index.analyse(text).outside
        or _refers_back(question)
        or _points_back(question)
        or _PERSONS & set(words(question))  # "hoe meld ik hem aan": the one the situation tells of
    ):
        return None
    result = index.search(question, region=region)
    if not result.found:
        return None
    # "Bij Woonopmaat staan veel woningzoekenden ingeschreven. Is er wel een woning?": about
    # the region the situation names, which an answer of no or another region is not.
    named = index.named_regions(context) - index.named_regions(question)
    if named and result.entry.region not in named:
        return None
    return replace(result, question=text)


def _asks_more_of_the_answer_before(index: SearchIndex, text: str, before: SearchResult) -> bool:
    """A short follow-up of only a question and words that point back, asking a kind of
    answer the answer before is asked for too (if it asks a kind)."""
    found = words(text)
    kind = question_kind(text)
    return (
        before.found
        and (kind in (None, "region") or index.is_asked_as(before.entry, kind))
        and len(found) <= MAX_FOLLOW_UP_QUESTION_WORDS
        and any(w in _QUESTION_WORDS for w in found)  # not "en daarna?"
        and tuple(found[:3]) not in _SMALL_TALK | _SAYS_ITS_OWN
        and tuple(found[:2]) != ("hoe", "laat")
        and not index.subject_words(text)
        and not index.named_regions(text)
        and not index.analyse(text).outside
    )


def _follows_on(index: SearchIndex, text: str) -> bool:
    """`text` is about the question before: it refers back or only asks, and is no question
    of its own with an answer ("en hoe meld ik die aan als kandidaat")."""
    if not (_refers_back(text) or _only_asks(text) or _points_back(text)):
        return False
    alone = index.search(text)
    return not (alone.found and len(index.own_words(text)) >= MIN_OWN_WORDS)


def _only_asks(text: str) -> bool:
    """ "hoeveel dan?", "waarom eigenlijk", "wie doet dat dan?": a question word and words
    that go on from the answer before. Not "en daarna?" (no question), nor "hoe kan dat?" or
    "hoe laat is het?", which say something of their own, nor small talk."""
    found = words(text)
    return (
        any(w in _QUESTION_WORDS for w in found)
        and all(w in _QUESTION_WORDS or w in _ONLY_ASKING for w in found)
        and tuple(found) not in _SMALL_TALK
    )


def _elliptical(text: str) -> bool:
    """ "en een kandidaat?", "en voor een gezin?": a few words after "en", no question."""
    found = words(text)
    return (
        bool(found)
        and found[0] in ("en", "and", "ook")
        and not any(w in _QUESTION_WORDS or w in _QUESTION_OPENERS for w in found[1:])
        and sum(w not in STOP_WORDS for w in found) <= MAX_ELLIPTICAL_WORDS
    )


def _reads_as_follow_up(text: str) -> bool:
    """ "en in Emmen?", "Emmen?", "hoe zit dat in Eindhoven": not "wat doet Den Haag", which
    asks about Den Haag itself."""
    found = words(text)
    return _refers_back(text) or not any(w in _QUESTION_WORDS for w in found)


def _goes_on(index: SearchIndex, text: str) -> bool:
    """ "en wat krijgen we ervoor terug", "loopt het nog door": a question that goes on from
    the one before, by its first word, a word that points back, or by saying little of its
    own. Not "hoe stuur ik een collega een uitnodiging", a question of its own."""
    found = words(text)
    return bool(found) and (
        found[0] in _GOES_ON_FIRST
        or bool(_GOES_ON & set(found))
        or len(index.subject_words(text)) <= MAX_OWN_WORDS_GOING_ON
    )


def _refers_back(text: str) -> bool:
    found = words(text)
    return bool(found) and (
        found[0] in ("en", "and", "ook") or any(w in _REFERS_BACK for w in found)
    )


def _names_a_region_before(index: SearchIndex, text: str) -> bool:
    """ "deze regio", "daar": a region, not said which, so the one the conversation is in."""
    found = words(text)
    return index.analyse(text).some_region or bool(_PLACE_POINTERS & set(found))


def _points_back(text: str, *, place: bool = True) -> bool:
    """A word that points back at the subject before, as a word of its own: "wie betaalt de
    huur daarvan", "hoe lang duurt dat". Not "dat blog" or "die regio's", which name it.
    Without `place`, "daar" and "there" point at a place, not at a subject; "ze" never
    points at a subject."""
    found = words(text)
    return any(
        w in _POINTING_ADVERBS
        # "wat doen ze daar mee": "daarmee", written apart (not "daar over de buurten")
        or (i + 2 == len(found) and w + found[i + 1] in _POINTING_ADVERBS)
        or (
            w in _REFERS_BACK
            and w not in _ACTORS
            and (place or w not in _PLACE_POINTERS)
            and (i + 1 == len(found) or found[i + 1] in STOP_WORDS)
        )
        for i, w in enumerate(found)
    )


def _one(index: SearchIndex, part: str, region: str | None) -> SearchResult:
    """One part of a message: a part that only names a region ("wat doet Den Haag") gets
    that region's main entry."""
    named = index.region_named_only(part)
    if named is not None:
        return _follow_up(index, part, named, None).main
    return index.search(part, region=region)


def _follow_up(index: SearchIndex, text: str, region: str, previous: str | None) -> Reply:
    # "en haarlem?": the town's own entry is what is agreed there, not the region's.
    place = index.place_named(text)
    entry = (place and index.place_entry(place)) or index.main_entry(region)
    if previous and _reads_as_follow_up(text) and index.region_named_only(previous) is None:
        asked = index.for_region(previous, region, place)
        result = index.search(previous, region=region, query=asked)
        if result.entry is None or result.entry.region != region:
            # The question before found no answer of the region named (a definition, or
            # none): its own entry on that subject, if it has one, is what is asked.
            result = index.region_answer(previous, asked, region) or result
        if entry is not None and _asks_its_main_entry(index, text, previous, result, entry):
            result = SearchResult(text, True, entry, 100.0, region)
        return Reply(text, (result,), follows=previous, region=region)
    if entry is None or index.region_named_only(text, bare=True) is None:
        # "hoe groot is Haarlem": a place, and a question the knowledge base has no answer to.
        return Reply(text, (index.search(text),), region=region)
    return Reply(text, (SearchResult(text, True, entry, 100.0, region),), region=region)


def _asks_its_main_entry(
    index: SearchIndex, text: str, previous: str, result: SearchResult, entry: Entry
) -> bool:
    """Whether follow-up `text`, which names the region of main entry `entry`, asks what that
    region does, rather than `previous` for it (`result`)."""
    before = index.search(previous)
    if not (before.found or before.suggestions) or before.outside:
        # Not after a question about something else ("hoe vraag ik zorgtoeslag aan", "wie
        # wint de eredivisie").
        return False
    # "en eindhoven dan?" after "wat doen ze in Assen met de uitstroom" or "welke afspraken
    # gelden in Assen", which Assen's main entry answered: what the other region does.
    main_before = _main_entry_of_its_region(index, before, previous)
    if main_before and _says_little_but_its_region(index, previous):
        return True
    if not result.found:
        # "en hoe doen ze het in de Hoeksche Waard": it has no answer to the question
        # before, and what it does is its main entry; or the main entry is the nearest the
        # question before comes there too.
        return index.asks_what_region_does(text) or (main_before and result.entry == entry)
    # "and what happened in Culemborg" after "which regions take part": what it does, not
    # the general answer again.
    return index.asks_what_region_does(text) and result.entry.region is None


def _what_was_agreed_there(index: SearchIndex, text: str) -> SearchResult | None:
    """ "welke afspraken gelden in Heemstede", "mijn cliënt wil naar Heemstede, welke afspraken
    gelden daar?": a question of only what was agreed, in a message that names one region (or
    a town of it): the main entry of the town, or else of its region."""
    named = index.named_regions(text)
    sentences = [s.strip() for s in _STATEMENT_END.split(text) if s.strip()]
    question = sentences[-1].rpartition(",")[2] if sentences else text
    subject = index.subject_words(question)
    if len(named) != 1 or not subject & index.agreement_tokens:
        return None
    if subject - index.agreement_tokens:
        return None
    place = index.place_named(text)
    entry = (place and index.place_entry(place)) or index.main_entry(next(iter(named)))
    return None if entry is None else SearchResult(text, True, entry, 100.0, entry.region)


def _main_entry_of_its_region(index: SearchIndex, before: SearchResult, previous: str) -> bool:
    """The answer to `previous` (or its first suggestion) is the main entry of the one region
    it names: it asked what that region does."""
    named = index.named_regions(previous)
    if len(named) != 1 or before.entry is None:
        return False
    (region,) = named
    place = index.place_named(previous)
    mains = (index.main_entry(region), place and index.place_entry(place))
    return any(main and before.entry.id == main.id for main in mains)


def _says_little_but_its_region(index: SearchIndex, question: str) -> bool:
    """ "wat doen ze in Assen met de uitstroom": one word of a subject beside the region and
    everyday words, so it asked what the region does; not "wat gebeurt er in Limburg als het
    na de verhuizing misgaat"."""
    return len(index.subject_words(question) - index.agreement_tokens) <= 1


def split_question(text: str) -> list[str]:
    """The questions in one message: sentences, and clauses joined by "en"/"of" when the
    second is a question of its own ("wat is een omklapwoning en hoeveel uitstromers zijn
    er?"). "Huurschulden en overlast" stays one question."""
    parts: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        sentence = sentence.strip(" ?!;")
        if not sentence:
            continue
        pieces = [sentence]
        for match in reversed(list(_JOINER.finditer(sentence))):
            head, tail = sentence[: match.start()], sentence[match.end() :]
            # A bare comma parts two questions only ("hoe kom ik in de bot, hoe pas ik mijn
            # rol aan"): "ik heb een cliënt met schulden, hoe meld ik hem aan" is one.
            bare_comma = not match.group().strip(" ,")
            if (
                _opens_question(tail)
                # "ik zit bij de gemeente en moet een notitie schrijven.": a verb first in a
                # clause that ends in a full stop goes on about the same "ik", it asks nothing
                and not _goes_on_stating(tail)
                and (not bare_comma or _opens_question(head))
                and len(tail.split()) >= MIN_PART_WORDS
                and len(head.split()) >= MIN_PART_WORDS - 1
            ):
                pieces = [head, tail, *pieces[1:]]
                sentence = head
        parts.extend(p.strip(" ,?!;") for p in pieces if p.strip(" ,?!;"))
    if len(parts) > MAX_PARTS:
        # One message answers so many; the rest stays one part, which says it is not answered.
        parts = [*parts[: MAX_PARTS - 1], " ".join(parts[MAX_PARTS - 1 :])]
    return parts


# "wat is aedes, en de vng?": a question, then another glossary term after "en" (kept on the
# tail, so the tail reads as a follow-up that asks the question for that term).
_TERM_TAIL = re.compile(
    r"[,.]?\s+(?:(?:eh|uh|ehm)\s+)?(?P<tail>(?:en|and)\s+[^,.]+?)[\s?!.]*$",
    re.IGNORECASE,
)


_BETWEEN = re.compile(r"\b(?:tussen|between)\s+", re.IGNORECASE)
_DIFFERENCE = frozenset("verschil verschillen onderscheid difference differences".split())


def _with_another_term(index: SearchIndex, text: str) -> list[str] | None:
    """ "wat is ggz en een ribw": the question, and the same question for another glossary
    term; None when the message is one question."""
    match = _TERM_TAIL.search(text)
    if match is None:
        return None
    head, tail = text[: match.start()].strip(), match.group("tail").strip()
    if not _elliptical(tail) or len(words(head)) < MIN_PART_WORDS - 1:
        return None
    new, old = index.term_tokens(tail), index.term_tokens(head)
    if not new or not old or new <= old:
        return None
    between = _BETWEEN.search(head)
    if between is not None:
        # "het verschil tussen BW en MO": what each of them is. Not "de samenwerking tussen
        # ggz en corporaties", nor "prestatieafspraken tussen gemeente en corporatie".
        before = head[: between.start()]
        if not _DIFFERENCE & set(words(before)) or index.term_tokens(before):
            return None
        head = "wat is " + head[between.end() :]
    return [head, tail]


def _goes_on_stating(clause: str) -> bool:
    """A verb, then no subject, then a full stop: "(ik zit bij de gemeente) en moet een
    notitie schrijven. wat wil …" goes on about the same "ik"; "is er een convenant." asks."""
    found = words(clause.split(". ")[0])
    return (
        (". " in clause or clause.rstrip().endswith("."))
        and len(found) > 1
        and found[0] not in _QUESTION_WORDS
        and found[1] not in _INVERTED_SUBJECTS | {"ik", "i"}
    )


def _with_another_region(index: SearchIndex, text: str) -> list[str] | None:
    """ "wat doen ze in Den Haag en ook in Limburg": the question, and the same question for
    another region; None when the message is one question."""
    match = _TERM_TAIL.search(text)
    if match is None:
        return None
    head, tail = text[: match.start()].strip(), match.group("tail").strip()
    if len(words(head)) < MIN_PART_WORDS or not _elliptical(tail):
        return None
    before, named = index.named_regions(head), index.region_named_only(tail)
    if named is None or not before or named in before:
        return None
    return [head, tail]


def _opens_question(clause: str) -> bool:
    found = words(clause)
    if len(found) > 1 and found[0] in _PREPOSITIONS:
        found = found[1:]  # "op welk rapport is het gebaseerd"
    if not found:
        return False
    # A yes/no question opens with its verb, then the subject ("verschillen ze veel van
    # elkaar"); not "dat het" or "als er", where the first word is a small one.
    inverted = len(found) > 1 and found[0] not in STOP_WORDS and found[1] in _INVERTED_SUBJECTS
    return found[0] in _QUESTION_OPENERS or inverted


def _needs_the_clause_before(
    index: SearchIndex, part: str, result: SearchResult, previous: str
) -> bool:
    """A clause without a subject of its own that found nothing, or found another region's
    answer than the one the clause before named ("wat is het pact in IJmond en wanneer is het
    getekend" is not about Emmen's intentieverklaring)."""
    if not index.says_nothing_new(part):
        return False
    if not result.found:
        return True
    named_before = index.named_regions(previous)
    return (
        result.entry is not None
        and result.entry.region is not None
        and bool(named_before)
        and not index.named_regions(part)
        and result.entry.region not in named_before
    )


def _combined(index: SearchIndex, text: str, parts: list[str], region: str | None) -> Reply:
    """Each part alone: the answers found, and the parts without one; the whole message as
    one question when no part is answered."""
    results: list[SearchResult] = []
    for i, part in enumerate(parts):
        if i and _refers_back(part) and results[i - 1].outside:
            # "kan hij huurtoeslag krijgen en hoe vraag je dat aan": about the subject the
            # knowledge base does not cover, as the clause before. Not when the clause is a
            # question of its own ("… en hoe meld ik die aan als kandidaat").
            alone = _one(index, part, region)
            own = alone.found and len(index.own_words(part)) >= MIN_OWN_WORDS
            results.append(alone if own else replace(results[i - 1], question=part))
            continue
        named = index.region_named_only(part) if i and _reads_as_follow_up(part) else None
        if named is not None:
            # "wat doen ze in den haag en ook in limburg": the clause before, for that region.
            results.append(_follow_up(index, part, named, parts[i - 1]).main)
            continue
        if i and _refers_back(part):
            previous, before = parts[i - 1], results[i - 1]
            results.append(_after(index, part, previous, region, same=True, before=before))
            continue
        result = _one(index, part, region)
        if i and _needs_the_clause_before(index, part, result, parts[i - 1]):
            # "wie zitten achter weer thuis en wanneer is het gestart": a clause of words
            # the knowledge base knows, without a subject of its own, is about the one before.
            # The answer must know a word of the clause's own ("gestart"), or be about the
            # place it names ("en hoeveel zijn er in eindhoven"): "en hoeveel kost het" is
            # no question about the number of regions.
            subject = index.with_subject_of(part, parts[i - 1])
            about = index.search(part, region=region, query=subject)
            own = index.own_words(part)
            if (
                about.found
                and about.entry != results[i - 1].entry
                and (
                    index.knows(about.entry, own)
                    or about.entry.region in index.named_regions(part)
                    # "… en voor wie is het bedoeld": only its question word is its own
                    or (not own and index.is_asked_as(about.entry, question_kind(part)))
                )
            ):
                result = about
            elif result.found:
                # Another region's answer is none: the part is not answered.
                result = replace(result, found=False)
        results.append(result)
    if any(r.outside for r in results):
        # "ik heb een cliënt die verhuisd is en zijn energierekening …, heeft hij recht op
        # energietoeslag": the statement beside the question about a subject the knowledge
        # base does not cover is its situation, not a question to answer.
        results = [
            r if _opens_question(p) else replace(r, found=False)
            for p, r in zip(parts, results, strict=True)
        ]
    answered, seen = [], set()
    for result in results:
        if result.found and result.entry is not None and result.entry.id not in seen:
            seen.add(result.entry.id)
            answered.append(result)
    unanswered = tuple(p for p, r in zip(parts, results, strict=True) if not r.found)
    if answered:
        return Reply(text, tuple(answered), unanswered)
    return Reply(text, (index.search(text, region=region),))
