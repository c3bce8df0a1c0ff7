"""Question answering over the knowledge base: Dutch normalisation, an inverted index and
rapidfuzz scoring, with region awareness. Built once per knowledge-base load; no Telegram.

A question goes through: accent folding and lower case → separable verbs joined ("doet …
mee") and pronominal adverbs split ("erachter") → a compound typed as two words joined → the
entries' own typos mapped to their words, other typos corrected against the knowledge base's
vocabulary (rapidfuzz) → synonyms, abbreviations, organisations and region names to canonical
tokens → stop words out → Dutch stemming → compound splitting. The entries' texts go through
the same steps (less the correction). A word weighs by its IDF, less when it is common in
everyday Dutch (`commonness`), more when it is rare and unknown here; an organisation's name
weighs half. Entries are scored by that weighted token overlap (recall-leaning F-score)
blended with rapidfuzz's token-set ratio, then nudged towards the kind of answer the question
word asks for and the region the question names (or the asker's own region), and by what a
classifier trained on the entries' phrasings makes of the question (`phrasings`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import OrderedDict, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from types import MappingProxyType

import snowballstemmer
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.knowledge import commonness, phrasings
from bot.knowledge.base import Entry, KnowledgeBase

# Anything longer is not a question; cutting it keeps every search within its time bound.
MAX_QUESTION_CHARS = 400
ANALYSED_KEPT = 64
MAX_CACHED_COMPOUNDS = 50_000
ANSWER_THRESHOLD = 38.0
SUGGEST_THRESHOLD = 35.0
# Without the phrasing model (a knowledge base above its MAX_ENTRIES) the scores are by the
# words alone, and so are the thresholds tuned for them.
WORDS_ONLY_ANSWER_THRESHOLD = 46.0
WORDS_ONLY_SUGGEST_THRESHOLD = 40.0
# A region's entry is offered as one of the regions meant from this score by words alone.
REGION_CHOICE_THRESHOLD = 40.0
SUGGEST_COVERAGE = 0.25
# A request for contact details, opening hours or a person's name: the knowledge base never
# holds them (`kb check` refuses them in answers), so no entry answers "het telefoonnummer van
# Domesta", "hoe laat is het Leger des Heils open" or "hoe heet de wethouder in Emmen".
_CONTACT_REQUEST = re.compile(
    r"\b(?:(?:telefoon ?nummer|nummer|adres|mail ?adres|e ?mail ?adres|bezoekadres|postadres"
    r"|contactgegevens|website|site) (?:van|voor|bij)|openingstijden|openingstijd|phone number"
    r"|opening hours|hoe laat (?:\w+ ){0,8}(?:open|dicht|geopend|gesloten|bereikbaar)"
    r"|address of|contact ?persoon|contact ?personen|contact person"
    r"|(?:welk|wat is het) (?:adres|telefoonnummer|mailadres|huisnummer)"
    r"|(?:hoe heet|hoe heten|naam van|wie is|wie zijn) (?:de|die|deze|onze|jullie|hun) "
    r"(?:wethouders?|burgemeester|directeur|bestuurder|manager|beleidsadviseur"
    r"|beleidsmedewerker|coordinator|teamleider|projectleider|woonconsulent|contactpersoon))\b"
)
# A question what to do about a case: a definition is no answer to it ("mijn cliënt heeft
# een huurachterstand, wat moet ik doen" is not "wat is een huurschuld").
_ASKS_WHAT_TO_DO = re.compile(
    r"\b(?:wat (?:moet|kan|moeten|kunnen|zou|zouden) (?:ik|we|wij|je|jij|u|jullie)"
    r" (?:nu |dan |hier |daar |daarmee |ermee )?(?:mee )?doen"
    r"|wat nu|what (?:should|can|do|must) (?:i|we) do)\b"
)
# A question for the word for a thing described: "hoe heet het als …", "hoe noem je dat".
_ASKS_FOR_THE_WORD = re.compile(
    r"\b(?:hoe (?:heet|noem|noemen|noemt) (?:je |jullie |men |we |ze |u )?(?:het|dat|dit|zo ?n)"
    r"|wat is het woord voor|welk woord|what do you call|what is the word for)\b"
)
# Not "komende": "de komende jaren" asks how it goes on, which an entry of a year may say.
_FUTURE = re.compile(r"\b(?:volgende|eerstvolgende|next|upcoming)\b")
_SOME_REGION = re.compile(
    r"\b(?:de|onze|jullie|mijn|je|uw|die|deze|hun|the|our|your|my) (?:regio|region)\b"
    r"|\bbij (?:ons|jullie)\b"  # "hoe bepalen ze bij ons welke woning past"
)
# A follow-up that only names a region is short: "en hoe zit dat in Emmen?".
MAX_FOLLOW_UP_WORDS = 5
# What "wat doet Den Haag" asks: what the region does. Its main entry answers that.
_ACTIVITY_WORDS = (
    "doen doe doet deed deden gedaan gebeurt gebeurd gebeuren zit werkt "
    "done happen happens happened"
).split()
_AGREEMENT_WORDS = "afspraak afspraken afgesproken agreement agreements agreed".split()
# ... and the words that say nothing of its own in one ("in dit programma" is where it all is).
_FOLLOW_UP_WORDS = frozenset(
    "zit daar dan ook regio gemeente programma actieprogramma programme program region "
    "municipality".split()
)
UNNAMED_REGION_PENALTY = 1.5
CORE_SHARE = 0.5
CORE_PENALTY = 5.0
EXACT_BONUS = 6.0
# A compound of a known word and an unknown one splits when the unknown part is this long.
MIN_UNKNOWN_TAIL = 5
MAX_ABBREVIATION = 3  # letters: a synonym this short is an abbreviation of its group
# A glossary entry for the very term a "what is X" question asks about.
DEFINITION_BONUS = 8.0
TERM_SHARE = 0.6  # of the term's weight the glossary entry must know
# Another region's entry this close to the best is the same kind of fact there.
SIBLING_MARGIN = 8.0
# Two entries this close are a coin toss: ask "bedoelde je…?" instead of guessing.
AMBIGUITY_MARGIN = 1.0
# Points an entry next to the answer before gets in a conversation (`SearchIndex.neighbours`).
NEAR_BONUS = 12.0
# ... and an entry of the same part of the knowledge base as the answer before.
BESIDE_BONUS = 9.0
# ... and the answer before itself, a little more again.
SAME_BONUS = 3.0
NOWHERE: Mapping[str, float] = MappingProxyType({})
MAX_SUGGESTIONS = 3
MAX_REGION_CHOICES = 6
CANDIDATE_LIMIT = 25
REGION_TOKEN = "@regio:"
# The region of an organisation a question names: it names that region unless the question
# names one itself ("Lefier in Midden-Groningen").
ORGANISATION_REGION_TOKEN = "@org-regio:"
ORGANISATION_SHARE = 0.5  # of its own weight, an organisation's name weighs in a question
# A place outside the regions: the question is about none of them.
ELSEWHERE_TOKEN = "@elders:"
# A word of a subject the knowledge base does not cover (`outside.yaml`): never answered.
OUTSIDE_TOKEN = "@buiten:"
MUNICIPALITY_TOKEN = "@gemeente:"
# The share of a question's content (region names aside) that must be recognised before
# anything is answered.
MIN_COVERAGE = 0.3
ANSWER_WORD_WEIGHT = 0.5
# Recall weighs twice precision: questions carry words their entry's phrasings lack.
BETA2 = 4.0
UNKNOWN_WORD_WEIGHT = 1.5
# An everyday word the knowledge base never uses weighs as little as its commonest words.
GENERIC_WEIGHT = 1.0
# Points the phrasing model's decision value (clipped to -1…1) adds to an entry's score.
PHRASING_WEIGHT = 35.0
# A follow-up read with words of the question before needs this many points more: the
# phrasing model, which reads only the follow-up's own words, may raise its entries but not
# lower the others (below), so the threshold is the one for the words alone.
REWRITTEN_MARGIN = WORDS_ONLY_ANSWER_THRESHOLD - ANSWER_THRESHOLD
W_OVERLAP, W_TOKENS, W_WORDING = 0.7, 0.15, 0.15

_STOP_TEXT = """
de het een en of van in op aan te ten ter voor met bij naar om over uit door tot als dan
dat die dit deze der des is zijn ben bent was waren wordt worden werd word geworden
heb hebt heeft hebben had hadden kan kun kunnen kunt mag mogen moet moeten zal zullen
zou zouden wil willen ik je jij u wij we ze zij hij hem haar hun mijn jouw uw ons onze
er hier daar ook nog al wel maar want dus toch even eens graag alsjeblieft
aub svp hoe wat welk welke waar hoor zo heel erg echt iets iemand eh uh ehm uhm hmm hm n t
ok oke okay zich allowed am
hoi hallo hey hee goedemorgen goedemiddag goedenavond vraagje vertellen vertel
men mn jullie eigenlijk precies houdt houd betekent betekenen betekenis uitleg uitleggen
bedoelen bedoeld bedoelt bedoel afkorting afkortingen noemen noemt noem heet heten staat
the a an and or of in on at to for with by from about is are was were be been being
do does did have has had can could may might must shall should will would i you he she
it we they my your our their this that these those what which whom how there here please as
me us tell know mean means meaning explain explained actually basically exactly nutshell
if something anything someone somebody besides else hi
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
# Everyday words: question words, common verbs, nouns and adjectives. They help rank the
# entries but say nothing about the subject, so they do not count towards the share of a
# question the knowledge base must recognise ("wanneer beginnen de zomervakanties" shares
# two of them with the programme's start, and is about something else).
_GENERIC_TEXT = """
wanneer waarom wie sinds vanaf tijdens nu straks later vroeger altijd nooit vaak soms daarna
hoeveel hoelang welk welke waarvoor waarmee waardoor
doen doe doet deed deden gedaan gaan ga gaat ging gingen gegaan komen kom komt kwam gekomen
krijgen krijg krijgt kreeg gekregen geven geef geeft gaf gegeven maken maak maakt gemaakt
zien zie ziet zag gezien zeggen zeg zegt zei gezegd vinden vind vindt vond gevonden
weten weet wist willen wil wilt wilde stoppen stop stopt gestopt beginnen begin begint
begon begonnen starten start startte gestart werken werk werkt werkte gewerkt helpen help
helpt hielp geholpen regelen regel regelt geregeld zorgen zorg zorgt zoeken zoek zoekt
gezocht praten praat lopen loopt liep blijven blijf blijft zitten zit zat
bleef gebleven houden nemen neem neemt nam genomen brengen breng brengt bracht zetten zet
zette gezet gebruiken gebruik gebruikt kosten kost kostte duren duurt duurde gebeuren
gebeurt gebeurd gebeurde lukken lukt lukte gelukt veranderen verandert verlopen verloopt verliep
kiezen kies kiest koos gekozen kijken kijk kijkt laten laat liet
ding dingen manier keer tijd dag dagen week weken maand maanden
deel stuk antwoord antwoorden info informatie gesprek gesprekken geval situatie soort
kant punt idee nieuws wijze werkzaam kader vernemen verneem
weer opnieuw goed goede slecht groot grote klein kleine nieuw nieuwe oud oude veel weinig
lang kort snel
moeilijk makkelijk zwaar hard belangrijk beter best meer minst zo nou
when why who since how many much long which often
do does did done doing happen happens happened get gets got go goes went come give make
see say find know want stop start
started begin began work works help use using used need thing things way time
day week month part answer info information good bad big small new old more most hard easy
so out really whole entire hele gelden geldt golden now anymore belong belongs
"""
_GENERIC = frozenset(_GENERIC_TEXT.split())
# Words that carry the meaning of a how-many question: kept although they are common.
_KEEP = frozenset({"hoeveel", "many", "much"})
_WORD = re.compile(r"[a-z0-9]+")
_STEMMER = snowballstemmer.stemmer("dutch_porter")
_ENGLISH = snowballstemmer.stemmer("english")


@dataclass(frozen=True)
class Suggestion:
    entry_id: str
    question: str


@dataclass(frozen=True)
class SearchResult:
    """What a question found. `found` is true only for a confident answer."""

    question: str
    found: bool
    entry: Entry | None
    score: float
    region: str | None
    suggestions: tuple[Suggestion, ...] = ()
    # The suggestions are one entry per region: the question fits several and names none.
    which_region: bool = False
    # A subject the knowledge base does not cover ("zorgtoeslag"): declined, and said so.
    outside: str | None = None

    def as_json(self) -> dict:
        return {
            "question": self.question,
            "found": self.found,
            "answer": self.entry.answer if self.found and self.entry else None,
            "entry_id": self.entry.id if self.entry else None,
            "score": round(self.score, 1),
            "region": self.region,
            "entry_region": self.entry.region if self.found and self.entry else None,
            "which_region": self.which_region,
            "outside": self.outside,
            "suggestions": [
                {"entry_id": s.entry_id, "question": s.question} for s in self.suggestions
            ],
        }


_ENGLISH_HINTS = frozenset(
    "the a an is are do does did how what when who why where which can i you my of for to".split()
)
_DUTCH_HINTS = frozenset(
    "de het een is zijn hoe wat wanneer wie waarom waar welke kan ik je mijn van voor naar".split()
)


def looks_english(text: str) -> bool:
    """A rough guess, good enough to pick `answer_en` when an entry has one; "in het
    Engels graag" asks for English, "in Dutch please" for Dutch."""
    found = words(text)
    asked = _LANGUAGES.intersection(found)
    if asked:
        return asked <= {"english", "engels"}
    return _english_words(found)


_LANGUAGES = frozenset("english engels dutch nederlands".split())
# "and in english?", "in het nederlands graag": only which language the answer before is in.
_LANGUAGE_REQUEST = frozenset(
    "en and in het the engels english nederlands dutch graag please pls aub svp alsjeblieft "
    "kan kun can could you dat dit it that this say zeggen antwoord answer ook also nog once "
    "more again opnieuw mag ik krijgen have".split()
)


def asks_for_a_language(text: str) -> bool:
    """ "and in english?", "kan dat ook in het nederlands": the answer before in a language."""
    found = words(text)
    return bool(_LANGUAGES.intersection(found)) and all(w in _LANGUAGE_REQUEST for w in found)


def _english_words(found: list[str]) -> bool:
    english = sum(w in _ENGLISH_HINTS for w in found)
    dutch = sum(w in _DUTCH_HINTS for w in found)
    return english >= 2 and english > dutch


# A Dutch question puts its verb right after the question word ("wat is", "hoe werkt"); a
# reason that starts with one is a clause ("wanneer hij weer stabiel is", "hoe lang weet ik
# niet, opname"). "Hoeveel" and "welke" open questions whatever follows.
_ALWAYS_QUESTION = frozenset("hoeveel welke welk which".split())
_QUESTION_WORDS = frozenset(
    "wat wie wiens waar waarom wanneer hoe what who where when why how".split()
)
_QUESTION_VERBS = frozenset(
    "is zijn was waren wordt worden werkt werken kan kun kunnen mag mogen moet moeten doe doet "
    "doen heb heeft hebben krijg krijgt krijgen betekent betekenen gebeurt gaat gaan ga regel "
    "regelt regelen vind vindt staat staan zit zitten meld meldt houdt lang vaak snel betaalt "
    "betalen helpt helpen beslist bepaalt zorgt does do "
    "can are".split()
)


def looks_like_question(text: str) -> bool:
    """True for typed text that asks something ("wat is een omklapwoning", "mag dat?"), so a
    step waiting for a short statement (a reason) can let the question go to the answers."""
    if text.strip().endswith("?"):
        return True
    found = words(text)
    if not found or "," in text:
        return False
    if found[0] in _ALWAYS_QUESTION:
        return True
    return found[0] in _QUESTION_WORDS and len(found) > 1 and found[1] in _QUESTION_VERBS


def fold(text: str) -> str:
    """Lower case without accents: 'Cliënt' → 'client'."""
    text = text[:MAX_QUESTION_CHARS]
    if text.isascii():
        return text.lower()
    # Accents come off; what has no ASCII form (emoji, other scripts) matches nothing anyway.
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def words(text: str) -> list[str]:
    # "regio's" and "cliënt's" lose their apostrophe-s before splitting. A command is a word
    # of its own besides its word: "/mijn" is more than the stop word "mijn" ("commando /mijn"
    # is about /mijn).
    folded = _CONTRACTION.sub(_expanded, fold(text.replace("’", "'")))
    folded = _UNAPOSTROPHED.sub(_unapostrophed, folded)
    folded = folded.replace("'s", "s")
    return _WORD.findall(_COMMAND.sub(r"\1slash\2 \2", folded))


# English contractions are their words: "what's" is "what is", "I'm" "I am" (not "whats"
# and "m", which the search would read as words it does not know).
_CONTRACTION = re.compile(
    r"\b(what|it|that|who|where|how|there|here|he|she|let)'s\b|(\w)'(m|re|ve|ll|d)\b"
)
_CONTRACTED = {"m": "am", "re": "are", "ve": "have", "ll": "will", "d": "would"}
# ... also typed without the apostrophe, as on a phone.
_UNAPOSTROPHED = re.compile(r"\b(?:(what|who|where|how)s|(do|does|did|is|are|ca|wo)nt|i(m|ve))\b")


def _unapostrophed(match: re.Match[str]) -> str:
    asker, verb, pronoun = match.groups()
    if asker:
        return f"{asker} is"
    if verb:
        return f"{ {'ca': 'can', 'wo': 'will'}.get(verb, verb) } not"
    return f"i {_CONTRACTED[pronoun]}" if pronoun == "m" else "i have"


def _expanded(match: re.Match[str]) -> str:
    if match.group(1):
        return f"{match.group(1)} is"
    return f"{match.group(2)} {_CONTRACTED[match.group(3)]}"


_COMMAND = re.compile(r"(^|[^\w/])/([a-z]{2,})")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    if word.isdigit() or len(word) <= 3:
        return word
    stemmed = _STEMMER.stemWord(word)
    if stemmed.endswith("dt"):
        stemmed = stemmed[:-1]  # "biedt", "wordt": the t of the verb form
    # Plural -ies (corporaties) and -s (regios) that the Porter rules leave alone.
    if (stemmed.endswith("ies") and len(stemmed) > 5) or (
        stemmed.endswith("s") and not stemmed.endswith("ss") and len(stemmed) > 4
    ):
        stemmed = stemmed[:-1]
    return stemmed


@dataclass(frozen=True)
class Query:
    """A question as the index reads it."""

    tokens: tuple[str, ...]
    generic: frozenset[str]  # tokens that stand for everyday words only
    term: frozenset[str]  # the term a "what is X" question asks about
    text: str  # its words, for comparing the wording
    # "de regio", "onze regio": about one region, without saying which.
    some_region: bool = False
    contact_request: bool = False  # "het adres van …": nothing here answers it
    outside: str | None = None  # a subject the knowledge base does not cover ("zorgtoeslag")
    # A follow-up's tokens, with words of the question before: `text` says only part of it.
    rewritten: bool = False
    # "en MO?" as the question before about MO: the phrasing model cannot read that.
    term_swapped: bool = False


@dataclass(frozen=True)
class Ranked:
    score: float
    entry: Entry
    coverage: float  # share of the question's content the entry recognises
    # The score by the words alone, without the phrasing model: how alike the same kind of
    # fact of several regions is, which the model (trained to part them) cannot say.
    by_words: float


@dataclass
class _Doc:
    entry_index: int
    tokens: frozenset[str]
    text: str
    weight: float = 0.0


@dataclass
class SearchIndex:
    """The index of one knowledge base. Build with `SearchIndex.build(kb)`."""

    kb: KnowledgeBase
    vocabulary: list[str] = field(default_factory=list)
    _known_words: set[str] = field(default_factory=set)
    _phrases: dict[tuple[str, ...], str] = field(default_factory=dict)
    _max_phrase: int = 1
    _phrase_starts: set[str] = field(default_factory=set)
    _municipalities: dict[tuple[str, ...], str] = field(default_factory=dict)
    _organisations: dict[str, str] = field(default_factory=dict)  # canonical token → region
    _outside: dict[str, str] = field(default_factory=dict)  # outside token → subject
    _typos: dict[str, str] = field(default_factory=dict)  # a typo of an entry → its word
    _parts: dict[str, list[str]] = field(default_factory=dict)  # compound → its parts
    _idf: dict[str, float] = field(default_factory=dict)
    _max_idf: float = 1.0
    _zipf_by_word: dict[str, float] = field(default_factory=dict)  # word → how common in Dutch
    _zipf_by_stem: dict[str, float] = field(default_factory=dict)  # stem → the same
    _postings: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    _terms: frozenset[int] = frozenset()
    _entry_docs: list[list[_Doc]] = field(default_factory=list)
    _entry_tokens: list[frozenset[str]] = field(default_factory=list)
    _doc_rows: list[list[tuple[frozenset[str], float, str]]] = field(default_factory=list)
    # Each phrasing's words, sorted: token_sort_ratio's own first step, done once at build.
    _sorted_texts: list[list[str]] = field(default_factory=list)
    _asked_as: list[dict[str, float]] = field(default_factory=list)  # kind → share of phrasings
    _answer_tokens: list[frozenset[str]] = field(default_factory=list)
    _core_tokens: list[frozenset[str]] = field(default_factory=list)
    _core_weights: list[float] = field(default_factory=list)
    _subjects: frozenset[str] = frozenset()  # the tokens some entry is about
    _phrasing_model: phrasings.PhrasingModel | None = None
    problems: list[str] = field(default_factory=list)  # what `kb check` reports of the index

    # --- building ---------------------------------------------------------------------------

    @classmethod
    def build(cls, kb: KnowledgeBase) -> SearchIndex:
        index = cls(
            kb=kb,
            _zipf_by_word=commonness.everyday_zipf(),
            _zipf_by_stem=commonness.zipf_by_stem(stem),
        )
        index._build_phrases()
        # Each text is split once; everything below works on its words.
        raw_texts = [
            (i, words(text)) for i, entry in enumerate(kb.entries) for text in _entry_texts(entry)
        ]
        # An alternate written with a typo ("programa") is about the word it misspells; the
        # typo is no word of its own (a question with it is corrected like any other).
        fixes = index._typos = _typo_fixes(
            [found for _, found in raw_texts if not _english_words(found)],
            index._zipf_by_word,
        )
        if fixes:
            raw_texts = [(i, [fixes.get(w, w) for w in found]) for i, found in raw_texts]
        index._known_words = {w for _, found in raw_texts for w in found}
        index._known_words |= {
            w for group in kb.synonyms for member in group for w in words(member)
        }
        # Known, so that typo correction leaves them ("uitkering" is no "uitvoering").
        index._known_words |= {w for phrase in kb.outside for w in words(phrase)}
        index.vocabulary = sorted(w for w in index._known_words if len(w) >= 4)
        index._entry_docs = [[] for _ in kb.entries]
        index._sorted_texts = [[] for _ in kb.entries]
        for entry_index, found in raw_texts:
            index._sorted_texts[entry_index].append(" ".join(sorted(found)))
            tokens = set(_with_organisation_regions(tuple(index._tokens_of(found, correct=False))))
            entry = kb.entries[entry_index]
            if entry.region:
                tokens.add(REGION_TOKEN + entry.region)
            if not tokens:
                continue
            doc = _Doc(entry_index, frozenset(tokens), " ".join(sorted(tokens)))
            index._entry_docs[entry_index].append(doc)
        index._entry_tokens = [
            frozenset(t for doc in docs for t in doc.tokens) for docs in index._entry_docs
        ]
        kinds: list[list[str | None]] = [[] for _ in kb.entries]
        for entry_index, entry in enumerate(kb.entries):
            kinds[entry_index].extend(question_kind(text) for text in _entry_texts(entry))
        index._asked_as = [_asked_as(found) for found in kinds]
        # What an entry is about: the tokens most of its phrasings share ("kandidaat" and
        # "aanmelden" for registering a candidate).
        index._core_tokens = []
        for docs in index._entry_docs:
            counts: dict[str, int] = defaultdict(int)
            for doc in docs:
                for t in doc.tokens:
                    if not t.startswith(REGION_TOKEN):
                        counts[t] += 1
            floor = max(2, CORE_SHARE * len(docs))
            index._core_tokens.append(frozenset(t for t, n in counts.items() if n >= floor))
        # (Their weight is known once the IDF is, below.)
        # The answer's own words count for half: they are what the entry is about, but staff
        # rarely ask in the words of the answer.
        # Definitions are left out: a glossary entry answers "what is X", not every question
        # that uses the words of its definition.
        index._answer_tokens = [
            frozenset()
            if "begrip" in entry.tags
            else frozenset(index._tokens(_plain(entry.answer), correct=False))
            - index._entry_tokens[i]
            for i, entry in enumerate(kb.entries)
        ]
        document_frequency: dict[str, int] = defaultdict(int)
        for i in range(len(kb.entries)):
            for token in index._entry_tokens[i] | index._answer_tokens[i]:
                document_frequency[token] += 1
        total = max(len(kb.entries), 1)
        index._idf = {t: math.log(1 + total / df) for t, df in document_frequency.items()}
        index._max_idf = max(index._idf.values(), default=1.0)
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for docs in index._entry_docs:
            for doc in docs:
                doc.weight = sum(index._idf[t] for t in doc.tokens)
        # The same as plain tuples, for the scoring loop.
        index._doc_rows = [
            [(doc.tokens, doc.weight, doc.text) for doc in docs if doc.weight]
            for docs in index._entry_docs
        ]
        # An entry's own words count fully in the first stage, its answer's words as they
        # count in the score: a word many answers use does not crowd out the entries that
        # are asked in it.
        for i in range(len(kb.entries)):
            for token in index._entry_tokens[i]:
                postings[token].append((i, 1.0))
            for token in index._answer_tokens[i]:
                postings[token].append((i, ANSWER_WORD_WEIGHT))
        index._postings = {t: sorted(ids) for t, ids in postings.items()}
        index._terms = frozenset(i for i, e in enumerate(kb.entries) if "begrip" in e.tags)
        index._subjects = frozenset(t for core in index._core_tokens for t in core)
        index.problems = index._outside_problems()
        index._core_weights = [
            sum(index._idf.get(t, 0.0) for t in core) for core in index._core_tokens
        ]
        # What the entries' phrasings, read as a whole, say about a question (`phrasings`).
        index._phrasing_model = phrasings.learn(
            [[" ".join(words(text)) for text in _entry_texts(entry)] for entry in kb.entries]
        )
        return index

    def _outside_problems(self) -> list[str]:
        """Words of `outside.yaml` the search reads as something else: a synonym, a place, or
        (by its stem) a word of the entries; each would decline questions the knowledge base
        answers, or be ignored."""
        problems = []
        for word, subject in self.kb.outside.items():
            key = _stems(word)
            where = f"outside.yaml: buiten {subject!r}: {word!r}"
            if self._phrases.get(key) != OUTSIDE_TOKEN + "_".join(key):
                problems.append(f"{where} is in de kennisbank al een synoniem of een plaats")
            elif len(key) == 1 and key[0] in self._idf:
                problems.append(f"{where} staat in de kennisbank zelf (als {key[0]!r})")
        return problems

    def _build_phrases(self) -> None:
        """Synonyms, abbreviations and region names become one canonical token each."""
        phrases: dict[tuple[str, ...], str] = {}
        for group in self.kb.synonyms:
            canonical = "_".join(words(group[0])) or group[0]
            for member in group:
                key = _stems(member)
                if key:
                    phrases.setdefault(key, canonical)
        for abbreviation, term in self.kb.abbreviations.items():
            key = _stems(abbreviation)
            target = phrases.get(_stems(term), "_".join(words(term)))
            if key:
                phrases[key] = target
        municipalities: dict[tuple[str, ...], str] = {}
        for region in self.kb.regions.values():
            # An organisation stays a word of its own (an entry may be about it) and names
            # its region besides.
            for name in region.organisations:
                key = _stems(name)
                if key:
                    canonical = phrases.setdefault(key, "_".join(key))
                    self._organisations.setdefault(canonical, region.id)
            names = [region.id.replace("-", " "), region.name, *region.aliases, *region.places]
            for municipality in region.municipalities:
                for name in (municipality.name, *municipality.aliases):
                    names.append(name)
                    municipalities.setdefault(_stems(name), municipality.id)
            for name in names:
                key = _stems(name)
                if key and key not in phrases:
                    phrases[key] = REGION_TOKEN + region.id
        for name in self.kb.elsewhere:
            key = _stems(name)
            if key and key not in phrases:
                phrases[key] = ELSEWHERE_TOKEN + "_".join(key)
        for word, subject in self.kb.outside.items():
            key = _stems(word)
            if key and key not in phrases:
                token = OUTSIDE_TOKEN + "_".join(key)
                phrases[key] = token
                self._outside[token] = subject
        self._municipalities = municipalities
        self._phrases = phrases
        self._max_phrase = max((len(k) for k in phrases), default=1)
        self._phrase_starts = {k[0] for k in phrases if len(k) > 1}

    # --- normalising --------------------------------------------------------------------------

    def _tokens(self, text: str, *, correct: bool) -> list[str]:
        """Canonical tokens of `text`. With `correct` (questions, not entries) typos are fixed
        and words the index does not know are kept only when nothing better stands for them."""
        return self._tokens_of(words(text), correct=correct)

    def _tokens_of(self, raw: list[str], *, correct: bool) -> list[str]:
        raw = split_pronominal(join_separable(raw))
        # Entries too: "woon congres" in an alternate is the "wooncongres" a question asks.
        raw = self._join_split_compounds(raw)
        if correct:
            raw = [part for w in raw for part in self._split_phrase(w)]
            raw = [self._correct(w) for w in raw]
        stems = dutch = [stem(w) for w in raw]
        if correct:
            stems = [self._english_fallback(w, st) for w, st in zip(raw, stems, strict=True)]
        phrases, starts, places = self._phrases, self._phrase_starts, self._municipalities
        known = self._known_words
        tokens: list[str] = []
        i, count = 0, len(raw)
        while i < count:
            word, word_stem = raw[i], stems[i]
            size, canonical = 1, None
            if word_stem in starts or dutch[i] in starts:
                for size in range(min(self._max_phrase, count - i), 1, -1):
                    # A phrase is read in its own stems ("soft landing" stays a phrase when
                    # "landing" alone would fall back to the English "land").
                    canonical = phrases.get(tuple(stems[i : i + size])) or phrases.get(
                        tuple(dutch[i : i + size])
                    )
                    if canonical is not None:
                        break
            if canonical is None:
                size = 1
                # "bedoelen" is no "bedoeling": a stop word matches no synonym.
                canonical = None if word in STOP_WORDS else phrases.get((word_stem,))
            if canonical is not None:
                phrase = tuple(stems[i : i + size])
                tokens.append(canonical)
                if phrase in places:
                    tokens.append(MUNICIPALITY_TOKEN + places[phrase])
                if canonical in self._organisations:
                    tokens.append(ORGANISATION_REGION_TOKEN + self._organisations[canonical])
                if size == 1 and self._keeps_own_word(word_stem, canonical, correct):
                    tokens.append(word_stem)
                if (
                    size == 1
                    and len(word) >= 8
                    and word in known
                    and canonical not in self._outside
                ):
                    for part in self._compound_parts(word):
                        tokens.extend(self._part_tokens(part, correct))
                i += size
                continue
            i += 1
            if word in STOP_WORDS and word not in _KEEP:
                continue
            if len(word) < 8:
                tokens.append(word_stem)  # the common case, kept quick for index builds
                continue
            parts = [t for p in self._compound_parts(word) for t in self._part_tokens(p, correct)]
            # An unknown compound is its parts; a known one is itself and its parts.
            if not (correct and parts and word_stem not in self._idf):
                tokens.append(word_stem)
            tokens.extend(parts)
        return tokens

    def _split_phrase(self, word: str) -> list[str]:
        """ "zachtelanding" is the phrase "zachte landing" typed as one word (as
        "maatschappelijkeopvang"): a word the base does not know, that two words of a
        phrase make."""
        if len(word) < 8 or word in self._known_words or word in STOP_WORDS:
            return [word]
        for i in range(3, len(word) - 2):
            head, tail = word[:i], word[i:]
            if stem(head) in self._phrase_starts and (stem(head), stem(tail)) in self._phrases:
                return [head, tail]
        return [word]

    def _join_split_compounds(self, raw: list[str]) -> list[str]:
        """ "prestatie afspraken" is "prestatieafspraken" when the knowledge base knows that
        word: staff often type a compound as two words (and "prestatie" alone would be
        "corrected" into "presentatie")."""
        known, starts = self._known_words, self._phrase_starts
        joined: list[str] = []
        for word in raw:
            head = joined[-1] if joined else ""
            # "weer thuis" is a phrase already, and stays one; "hoe lang" is no compound.
            if (
                len(word) >= 3
                and len(head) >= 3
                and word not in STOP_WORDS
                and head not in STOP_WORDS
                and stem(head) not in starts
            ):
                whole = next((w for w in (head + word, head + "s" + word) if w in known), None)
                if whole is not None:
                    joined[-1] = whole
                    continue
            joined.append(word)
        return joined

    def _part_tokens(self, part: str, question: bool) -> list[str]:
        own = stem(part)
        canonical = self._phrases.get((own,))
        if canonical is None:
            return [own]
        return [canonical, own] if self._keeps_own_word(own, canonical, question) else [canonical]

    def _keeps_own_word(self, own: str, canonical: str, question: bool) -> bool:
        """Beside its synonym group, a rare word stays itself: "pact" is more than any
        agreement. In a question only when it is clearly rarer than the group."""
        if own == canonical or canonical.startswith(REGION_TOKEN):
            return False
        if question and len(own) <= MAX_ABBREVIATION:
            # "wt" is Weer Thuis and nothing more, however rarely typed: an abbreviation
            # stands for its group only.
            return False
        return not question or self._idf.get(own, 0) > self._idf.get(canonical, 0) + 1

    def _english_fallback(self, word: str, dutch_stem: str) -> str:
        """'joined' → 'join' when the Dutch stem means nothing here and the English one does."""
        if dutch_stem in self._idf or (dutch_stem,) in self._phrases:
            return dutch_stem
        english = stem(_ENGLISH.stemWord(word))
        return english if english in self._idf or (english,) in self._phrases else dutch_stem

    def _correct(self, word: str) -> str:
        # The typos of the entries' own texts read in questions as they do there.
        fixed = self._typos.get(word)
        return fixed if fixed is not None else _correct_word(word, self._vocabulary_key)

    @property
    def _vocabulary_key(self) -> _Vocabulary:
        cached = self.__dict__.get("_vocab_cache")
        if cached is None:
            by_initial: dict[str, list[str]] = defaultdict(list)
            for word in self.vocabulary:
                by_initial[word[0]].append(word)
            cached = _Vocabulary(
                tuple(self.vocabulary),
                frozenset(self._known_words),
                frozenset(stem(w) for w in self._known_words),
                {initial: tuple(ws) for initial, ws in by_initial.items()},
            )
            self.__dict__["_vocab_cache"] = cached
        return cached

    def _compound_parts(self, word: str) -> list[str]:
        """'huurschulden' → ['huur', 'schulden'] and 'begeleidingsafspraken' → ['begeleiding',
        'afspraken'] when both halves are words of the base. A word the base does not know
        also splits on one known half: 'hoofddoel' → ['doel'] (a Dutch compound is a kind of
        its tail), 'huurtoeslag' → ['huur', 'toeslag'] (the unknown tail stays unknown)."""
        if len(word) < 8:
            return []
        cached = self._parts.get(word)
        if cached is None:
            cached = self._split(word)
            # Bounded: a stream of made-up long words must not grow the memory for ever.
            if len(self._parts) < MAX_CACHED_COMPOUNDS:
                self._parts[word] = cached
        return cached

    def _split(self, word: str) -> list[str]:
        known = self._known_words
        whole_known = word in known
        tail_only: list[str] = []
        head_only: list[str] = []
        for cut in range(4, len(word) - 3):
            head, tail = word[:cut], word[cut:]
            if head not in known:
                # The linking s of "begeleiding|s|afspraken".
                head = (
                    head[:-1] if head.endswith("s") and len(head) > 4 and head[:-1] in known else ""
                )
            if tail in known:
                if head:
                    return [head, tail]
                # A short tail only when it is a word the synonyms know ("hoofd|doel").
                if not whole_known and (
                    len(tail) >= max(5, len(word) // 2) or (stem(tail),) in self._phrases
                ):
                    tail_only = tail_only or [tail]
            elif (
                head
                and not whole_known
                and len(tail) >= MIN_UNKNOWN_TAIL
                and head_only[:1] != [head]  # "omklap|succes", not "omklap|s|ucces"
            ):
                # The longest known head: "woonopmaat|wachtrij", not "woon|opmaatwachtrij".
                head_only = [head, self._without_linking_s(tail)]  # "huur|toeslag"
        if head_only and len(head_only[1]) >= 8:
            # Three words in one: "omklap|succes|percentage", "woning|verdeelregels|training".
            rest = self._split(head_only[1])
            if len(rest) == 2 and all(part in known for part in rest):
                head_only = [head_only[0], *rest]
        return tail_only or head_only

    def _without_linking_s(self, tail: str) -> str:
        """ "spreiding|sbeleid" is "spreiding|s|beleid": the s links when everyday Dutch knows
        the tail without it and not with it ("huur|schulden" keeps its s)."""
        if (
            tail.startswith("s")
            and tail not in self._zipf_by_word
            and tail[1:] in self._zipf_by_word
        ):
            return tail[1:]
        return tail

    # --- searching ----------------------------------------------------------------------------

    def search(
        self,
        question: str,
        *,
        region: str | None = None,
        query: Query | None = None,
        near: Mapping[str, float] = NOWHERE,
    ) -> SearchResult:
        """Answer `question`; `region` is the asker's own region, if known; `query` what the
        index reads in it, when that is not its own words (a follow-up); `near` the ids of
        the entries next to the answer before, in a conversation. Never raises."""
        text = question.strip()[:MAX_QUESTION_CHARS]
        query = query or self.analyse(text)
        ranked, asked_region, unknown_share = self.rank_query(query, region=region, near=near)
        if _ASKS_FOR_THE_WORD.search(query.text):
            # "hoe noem je het als de zorg het huis eerst een jaar huurt": the word for it,
            # which only the glossary gives; not Eindhoven's agreement on such homes.
            ranked = [r for r in ranked if "begrip" in r.entry.tags]
        if query.outside:
            # "hoe vraag ik zorgtoeslag aan": the knowledge base knows nothing of it, and says
            # so rather than offer what it does know. Also when the rest of the question is
            # about something it knows: the rest alone answered surely still gave wrong
            # answers ("mijn cliënt heeft schulden, hoe meld ik hem aan bij
            # schuldhulpverlening" is no question about the agreements on debts).
            return SearchResult(text, False, None, 0.0, asked_region, outside=query.outside)
        if not ranked:
            return SearchResult(text, False, None, 0.0, asked_region)
        best = ranked[0]
        shown = max(0.0, min(best.score, 100.0))
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        with_model = self._phrasing_model is not None
        answer_from = ANSWER_THRESHOLD if with_model else WORDS_ONLY_ANSWER_THRESHOLD
        suggest_from = SUGGEST_THRESHOLD if with_model else WORDS_ONLY_SUGGEST_THRESHOLD
        if query.rewritten and with_model:
            answer_from += REWRITTEN_MARGIN
        strong = (
            not query.contact_request
            and best.score >= answer_from
            and (best.coverage >= MIN_COVERAGE or near.get(best.entry.id, 0.0) >= NEAR_BONUS)
        )
        sure = strong and best.score - runner_up >= AMBIGUITY_MARGIN
        if strong and not sure and query.some_region and asked_region is None:
            # "sinds wanneer doet de regio mee": two regions' answers alike is the reason to
            # ask which region, not to guess between them.
            sure = best.entry.region is not None
        # An agreement of one region is no answer for another. A question that names no
        # region gets it only when no other region has the same kind of fact; else it is
        # asked which region it means.
        foreign = best.entry.region is not None and best.entry.region != asked_region
        if sure and query.some_region and asked_region is None and not foreign:
            # "wat is er in de regio afgesproken", from someone of no region: one region is
            # meant; when several have an answer, which one, rather than the general one.
            per_region = _best_per_region(ranked, REGION_CHOICE_THRESHOLD)[:MAX_REGION_CHOICES]
            if len(per_region) > 1:
                choices = tuple(Suggestion(r.entry.id, r.entry.question) for r in per_region)
                return SearchResult(
                    text, False, best.entry, shown, None, choices, which_region=True
                )
        if sure and foreign and best.by_words < REGION_CHOICE_THRESHOLD:
            sure = False  # "wonen": only the phrasing model thinks of one region's entry
        if sure and foreign:
            # "welke gemeenten horen bij de regio": one region is meant, and not said.
            floor = REGION_CHOICE_THRESHOLD if query.some_region else best.by_words - SIBLING_MARGIN
            # The asker's own region has an entry that would be an answer by itself:
            # "hoeveel woningen per jaar" from IJmond is not only about Midden-Groningen's,
            # however much closer its wording is.
            rivals = [
                r.by_words
                for r in ranked
                if r.entry.region == region not in (None, best.entry.region)
                and r.score >= answer_from
                and r.coverage >= MIN_COVERAGE
            ]
            floor = min([floor, *rivals])
            per_region = _best_per_region(ranked, floor)[:MAX_REGION_CHOICES]
            if len(per_region) > 1 or query.some_region:
                choices = tuple(Suggestion(r.entry.id, r.entry.question) for r in per_region)
                return SearchResult(
                    text,
                    False,
                    best.entry,
                    shown,
                    asked_region,
                    choices,
                    which_region=len(choices) > 1,
                )
        if sure and "begrip" in best.entry.tags and _ASKS_WHAT_TO_DO.search(query.text):
            sure = False
        if (
            sure
            and "begrip" in best.entry.tags
            and any(t.startswith(ELSEWHERE_TOKEN) for t in query.tokens)
            and not _asks_what_it_is(words(text))
        ):
            # "hoe werkt de daklozenopvang in Rotterdam": how it goes in a place outside the
            # programme's regions, not what the word means.
            sure = False
        if sure and _FUTURE.search(query.text) and any(t.isdigit() for t in best.entry.tags):
            # "wanneer is de volgende landelijke bijeenkomst": an entry of a year gone by
            # (tagged with it) is no answer about the next one.
            sure = False
        verb = _asked_capability(words(text))
        if sure and verb is not None:
            # "kan de bot een huurcontract opstellen": what the bot can do is that verb; an
            # entry that never says it is no answer ("kan ik via de bot een afspraak in de
            # agenda zetten" is not about check-ins).
            own = frozenset(self._tokens_of([verb], correct=True))
            sure = own <= query.generic or self.knows(best.entry, own)
        kind = question_kind(text)
        if sure and kind not in (None, "region"):
            # "hoeveel plekken beschermd wonen heeft Assen": an entry never asked how many
            # (or when, who, why, how long) does not say it, however much else it shares.
            sure = self.is_asked_as(best.entry, kind)
        if sure:
            return SearchResult(text, True, best.entry, shown, asked_region)
        # Only plausible suggestions: a question about the weather gets no "bedoelde je…?".
        suggestions = tuple(
            Suggestion(r.entry.id, r.entry.question)
            for r in ranked[:MAX_SUGGESTIONS]
            if r.score >= suggest_from
            and (
                r.coverage >= SUGGEST_COVERAGE
                # "doet Neder-Betuwe mee": only the place is recognised, but nothing is foreign
                or (r.entry.region == asked_region is not None and unknown_share == 0)
            )
        )
        top = best.entry if suggestions else None
        return SearchResult(text, False, top, shown, asked_region, suggestions)

    def rank(
        self, question: str, *, region: str | None = None
    ) -> tuple[list[Ranked], str | None, float]:
        """Entries for `question`, best first; the region it is about; and the share of its
        content the knowledge base has never seen (1.0: a question about something else)."""
        return self.rank_query(self.analyse(question), region=region)

    def analyse(self, question: str) -> Query:
        """The tokens of a question, and what kind of words they stand for. A chat asks the
        same text more than once (a follow-up, a combined question): the last few are kept."""
        text = question[:MAX_QUESTION_CHARS]
        cache = self.__dict__.setdefault("_analysed", OrderedDict())
        query = cache.get(text)
        if query is None:
            query = cache[text] = self._analyse(text)
            if len(cache) > ANALYSED_KEPT:
                cache.popitem(last=False)
        return query

    def _analyse(self, question: str) -> Query:
        raw = words(question)
        everyday = [w for w in raw if w in _GENERIC]
        tokens = self._tokens_of(raw, correct=True)
        # What only everyday words of the question stand for.
        generic: set[str] = set()
        if everyday:
            generic = set(self._tokens_of(everyday, correct=True))
            generic -= set(self._tokens_of([w for w in raw if w not in _GENERIC], correct=True))
            generic &= set(tokens)  # "oud" of "Oud-Beijerland" is part of a place
        # A year or a number is no sign of another subject ("afgesproken in 2021"), unless it
        # is one the knowledge base says ("welke regio rekent op 1780 uitstromers").
        generic |= {t for t in tokens if t.isdigit() and t not in self._idf}
        term = self._term_tokens(raw, tokens) & set(tokens)
        text = asked = " ".join(raw)
        # "wat verstaan jullie onder X" is asked as "wat is X": only X is what the question is
        # about, and the frame's words would favour the glossary entries whose alternates use
        # that frame ("wat verstaan jullie onder woonbegeleiding").
        frame = {t for t in tokens if t not in term and not t.startswith(REGION_TOKEN)}
        subject = definition_subject(raw) if term and frame else None
        if subject is not None:
            tokens = [t for t in tokens if t not in frame]
            generic -= frame
            text = "wat is " + " ".join(subject)
        some_region = _SOME_REGION.search(asked) is not None
        if some_region:
            # "in de regio" points at a region; it is not what the question is about.
            generic |= set(self._tokens_of(["regio"], correct=False))
        return Query(
            tuple(tokens),
            frozenset(generic),
            term,
            text,
            some_region,
            _CONTACT_REQUEST.search(asked) is not None,
            next((self._outside[t] for t in tokens if t in self._outside), None),
        )

    def rank_query(
        self, query: Query, *, region: str | None = None, near: Mapping[str, float] = NOWHERE
    ) -> tuple[list[Ranked], str | None, float]:
        tokens, generic = _with_organisation_regions(query.tokens), query.generic
        named = [t[len(REGION_TOKEN) :] for t in tokens if t.startswith(REGION_TOKEN)]
        if not named and region and query.some_region:
            # "wat is er in onze regio afgesproken": the asker's own region.
            named, tokens = [region], (*tokens, REGION_TOKEN + region)
        places = [t[len(MUNICIPALITY_TOKEN) :] for t in tokens if t.startswith(MUNICIPALITY_TOKEN)]
        asked_region = named[0] if named else region
        # Municipality tokens steer (below); they are not words to match.
        matched = {t for t in tokens if not t.startswith(MUNICIPALITY_TOKEN)}
        # A word the knowledge base has never seen weighs more than its rarest own word: a
        # question made mostly of such words is about something else.
        unknown_weight = UNKNOWN_WORD_WEIGHT * self._max_idf
        weights = {t: self._weight(t, query, unknown_weight) for t in matched}
        total = sum(weights.values())
        content = [t for t in matched if not t.startswith(REGION_TOKEN) and t not in generic]
        content_weight = sum(weights[t] for t in content)
        unknown = sum(weights[t] for t in content if t not in self._idf)
        unknown_share = unknown / content_weight if content_weight else 0.0
        if not matched or total == 0:
            return [], asked_region, unknown_share
        scored = self._score(
            matched,
            weights,
            total,
            named[0] if named else None,
            region,
            query.text,
            set(places),
            generic,
            query.term,
            elsewhere=not named and any(t.startswith(ELSEWHERE_TOKEN) for t in matched),
        )
        ranked = [Ranked(score, self.kb.entries[i], cov, score) for score, i, cov in scored]
        model = self._phrasing_model
        if model is not None and ranked and not query.term_swapped:
            # The entries' phrasings as a whole: which shared words matter for which entry,
            # and whether the question is like any of them at all. A follow-up's own words
            # are not all of it: they may raise an entry, not sink the others.
            # Its typos corrected, as for the words: the phrasings it learnt are spelt right.
            opinion = model.scores(" ".join(self._correct(w) for w in words(query.text)))
            low = 0.0 if query.rewritten else -1.0
            ranked = [
                replace(r, score=r.score + PHRASING_WEIGHT * max(low, min(1.0, opinion[i])))
                for r, (_, i, _) in zip(ranked, scored, strict=True)
            ]
            ranked.sort(key=lambda r: (-r.score, r.entry.id))
        if near:
            # In a conversation the next question is most often about what the answer before
            # points on to ("en wat krijgen we ervoor terug" after the conditions to join).
            ranked = [
                replace(r, score=r.score + near[r.entry.id]) if r.entry.id in near else r
                for r in ranked
            ]
            ranked.sort(key=lambda r: (-r.score, r.entry.id))
        return ranked, asked_region, unknown_share

    def _weight(self, token: str, query: Query, unknown_weight: float) -> float:
        if token in query.generic:
            return self._idf.get(token, GENERIC_WEIGHT)
        if token in self._organisations and token not in self._subjects:
            # "wanneer hebben Lefier en Woonservice getekend": the organisation names the
            # region; what is asked is in the other words. Unless an entry is about it.
            return ORGANISATION_SHARE * self._idf.get(token, unknown_weight)
        if token.startswith("@") or "_" in token:
            return self._idf.get(token, unknown_weight)  # a place, a synonym group
        zipf = self._zipf_by_stem.get(token, 0.0)
        idf = self._idf.get(token)
        if idf is None:
            return unknown_weight * commonness.unknown_factor(zipf)
        return idf * commonness.known_factor(zipf)

    def region_named_only(self, question: str, *, bare: bool = False) -> str | None:
        """The region a short follow-up names and nothing else ("en in Emmen?", "en voor
        Woonopmaat"); None when it says more, or names no region or several. With `bare`, its
        everyday words may only ask what the region does ("wat doet Den Haag"), not "hoe
        groot is Haarlem"."""
        raw = words(question[:MAX_QUESTION_CHARS])
        # Short, not counting the small words ("en hoe doen ze het in de Hoeksche Waard").
        if not raw or sum(w not in STOP_WORDS for w in raw) > MAX_FOLLOW_UP_WORDS:
            return None
        query = self.analyse(question)
        tokens = _with_organisation_regions(query.tokens)
        named = self.named_regions(question)
        rest = [
            t
            for t in tokens
            if not t.startswith((REGION_TOKEN, MUNICIPALITY_TOKEN))
            and t not in query.generic
            and t not in self._organisations
            and t not in self._follow_up_tokens
        ]
        # "en in de regio Emmen" asks nothing of its own either.
        if bare and query.generic - self._activity_tokens - self._follow_up_tokens:
            return None
        return next(iter(named)) if len(named) == 1 and not rest else None

    def own_words(self, question: str) -> frozenset[str]:
        """The tokens of `question` besides its question words and the small words of a
        follow-up ("wanneer is het gestart" → start, gestart)."""
        query = self.analyse(question)
        small = self._tokens_once("_kind_cache", sorted(_QUESTION_KINDS))
        return frozenset(
            t
            for t in query.tokens
            if not t.startswith("@") and t not in small and t not in self._follow_up_tokens
        )

    def named_regions(self, question: str) -> frozenset[str]:
        """The regions `question` names, by name, place or organisation."""
        tokens = _with_organisation_regions(self.analyse(question).tokens)
        return frozenset(t[len(REGION_TOKEN) :] for t in tokens if t.startswith(REGION_TOKEN))

    def term_tokens(self, question: str) -> frozenset[str]:
        """The tokens of the glossary terms `question` names."""
        return self._term_sets(self.analyse(question).tokens)

    def _position(self, entry: Entry) -> int:
        positions = self.__dict__.get("_positions")
        if positions is None:
            positions = self.__dict__["_positions"] = {
                e.id: i for i, e in enumerate(self.kb.entries)
            }
        return positions[entry.id]

    def knows(self, entry: Entry, tokens: frozenset[str], *, every: bool = False) -> bool:
        """`entry`'s own phrasings use one of `tokens` (with `every`, each of them)."""
        own = self._entry_tokens[self._position(entry)]
        return bool(tokens) and (tokens <= own if every else bool(tokens & own))

    def is_asked_as(self, entry: Entry, kind: str | None) -> bool:
        """`entry`'s phrasings ask for `kind` of answer ("who", "number", …) at all."""
        return kind is not None and bool(self._asked_as[self._position(entry)].get(kind))

    def is_about(self, entry: Entry, question: str) -> bool:
        """`entry`'s own phrasings know something of what `question` is about (its words
        that are neither everyday nor its question); true when it names no subject."""
        subject = self.subject_words(question)
        return not subject or self.knows(entry, subject)

    def subject_words(self, question: str) -> frozenset[str]:
        """What `question` is about: its own words that are not everyday ("huur" of "wie
        betaalt de huur daarvan"); empty for "hoe lang duurt dat"."""
        return self.own_words(question) - self.analyse(question).generic

    def region_answer(self, previous: str, query: Query, region: str) -> SearchResult | None:
        """`region`'s own entry on the subject of `previous`, read as `query` (`for_region`):
        "en hoe gaat dat in Eindhoven" after "wat is een omklapwoning" is Eindhoven's omklap
        agreement, not the definition again. None when the region has no entry that answers
        it surely."""
        ranked, _, _ = self.rank_query(query, region=region)
        own = [r for r in ranked if r.entry.region == region]
        if not own:
            return None
        best, others = own[0], own[1:]
        # A rewritten question: the threshold for the words alone, with or without the model.
        if (
            best.score < WORDS_ONLY_ANSWER_THRESHOLD
            or best.coverage < MIN_COVERAGE
            or (others and best.score - others[0].score < AMBIGUITY_MARGIN)
        ):
            return None
        return SearchResult(previous, True, best.entry, max(0.0, min(best.score, 100.0)), region)

    def where(self, previous: str) -> SearchResult | None:
        """ "in welke regio?" after `previous` (what a term means): the region whose entries
        are about it, its best; the regions to choose from when there are several; None when
        no region's entry is."""
        subject = self.subject_words(previous)
        ranked, _, _ = self.rank_query(self.analyse(previous))
        regional = [
            r for r in ranked if r.entry.region and self.knows(r.entry, subject, every=True)
        ]
        per_region = _best_per_region(regional, REGION_CHOICE_THRESHOLD)[:MAX_REGION_CHOICES]
        if not per_region:
            return None
        if len(per_region) == 1:
            (best,) = per_region
            return SearchResult(
                previous, True, best.entry, min(best.score, 100.0), best.entry.region
            )
        choices = tuple(Suggestion(r.entry.id, r.entry.question) for r in per_region)
        return SearchResult(
            previous, False, per_region[0].entry, 0.0, None, choices, which_region=True
        )

    def says_nothing_new(self, question: str) -> bool:
        """Every word of `question` is one the knowledge base knows, or everyday: it names no
        subject the knowledge base has never heard of ("wanneer is het gestart", not "wie
        wint de eredivisie")."""
        query = self.analyse(question)
        return (
            all(t in self._idf or t in query.generic or t.startswith("@") for t in query.tokens)
            and not query.outside
        )

    def asks_what_region_does(self, question: str) -> bool:
        """ "en hoe doen ze het in de Hoeksche Waard", "wat gebeurt er in Emmen": a follow-up
        that asks what the region does, not only "en in Emmen?"."""
        return bool(self.analyse(question).generic & self._activity_tokens)

    @property
    def _activity_tokens(self) -> frozenset[str]:
        return self._tokens_once("_activity_cache", _ACTIVITY_WORDS)

    @property
    def agreement_tokens(self) -> frozenset[str]:
        """What "welke afspraken gelden in Assen" asks beside the region: what it agreed,
        which is what it does."""
        return self._tokens_once("_agreement_cache", _AGREEMENT_WORDS)

    @property
    def _follow_up_tokens(self) -> frozenset[str]:
        return self._tokens_once("_follow_up_cache", sorted(_FOLLOW_UP_WORDS))

    def _tokens_once(self, key: str, raw: list[str]) -> frozenset[str]:
        cached = self.__dict__.get(key)
        if cached is None:
            cached = self.__dict__[key] = frozenset(self._tokens_of(raw, correct=False))
        return cached

    def for_region(self, previous: str, region: str, place: str | None = None) -> Query:
        """`previous` asked about `region` (or `place` in it) instead of the region (or
        organisation) it named."""
        query = self.analyse(previous)
        kept = tuple(
            t
            for t in query.tokens
            if not t.startswith((REGION_TOKEN, MUNICIPALITY_TOKEN, ORGANISATION_REGION_TOKEN))
            and t not in self._organisations
        )
        named = (REGION_TOKEN + region, *([MUNICIPALITY_TOKEN + place] if place else []))
        return replace(query, tokens=(*kept, *named), some_region=False, rewritten=True)

    def with_region_of(self, question: str, previous: str) -> Query:
        """`question` about the region `previous` named, unless it names its own."""
        query = self.analyse(question)
        if any(t.startswith((REGION_TOKEN, ORGANISATION_REGION_TOKEN)) for t in query.tokens):
            return query
        earlier = _with_organisation_regions(self.analyse(previous).tokens)
        before = [t for t in earlier if t.startswith(REGION_TOKEN)]
        return replace(query, tokens=(*query.tokens, *before[:1]), rewritten=bool(before))

    def with_region(self, question: str, region: str) -> Query:
        """`question` about `region`, unless it names its own."""
        query = self.analyse(question)
        if any(t.startswith((REGION_TOKEN, ORGANISATION_REGION_TOKEN)) for t in query.tokens):
            return query
        return replace(query, tokens=(*query.tokens, REGION_TOKEN + region), rewritten=True)

    def with_subject_of(self, question: str, previous: str) -> Query:
        """`question` about what `previous` was about: its words that are not everyday
        ("wanneer is het gestart" after "wie zitten achter Weer Thuis" is "wanneer is Weer
        Thuis gestart"), not its question."""
        query, earlier = self.analyse(question), self.analyse(previous)
        # Its everyday verbs ("zitten", "achter") are its question, not its subject.
        subject = [
            t
            for t in earlier.tokens
            if t not in earlier.generic
            and t not in query.tokens
            and (t.startswith(REGION_TOKEN) or not t.startswith("@"))
        ]
        return replace(query, tokens=(*query.tokens, *subject), rewritten=bool(subject))

    def with_term_of(self, question: str, previous: str) -> Query | None:
        """`previous` with the glossary term `question` names in place of its own ("en MO?"
        after "waar staat BW voor?"); None when either names no term."""
        query, earlier = self.analyse(question), self.analyse(previous)
        new, old = self._term_sets(query.tokens), self._term_sets(earlier.tokens)
        if not new or not old:
            return None
        places = (REGION_TOKEN, MUNICIPALITY_TOKEN, ORGANISATION_REGION_TOKEN)
        # "en een kandidaat in Emmen?": its own place, instead of the one before.
        moved = any(t.startswith(places) for t in query.tokens)
        kept = [t for t in earlier.tokens if t not in old and not (moved and t.startswith(places))]
        tokens = (*kept, *(t for t in query.tokens if t not in kept))
        # Its wording is the follow-up's: the question before's own words would favour its
        # own answer.
        return replace(
            earlier,
            tokens=tokens,
            term=new if earlier.term else frozenset(),
            text=query.text,
            rewritten=True,
            term_swapped=True,
        )

    def _term_sets(self, tokens: tuple[str, ...]) -> frozenset[str]:
        """The tokens of `tokens` that make up glossary terms."""
        present = set(tokens)
        return frozenset(t for name in self._glossary_names() if name <= present for t in name)

    def neighbours(self, entry: Entry) -> dict[str, float]:
        """The points each entry next to `entry` gets in the question after it: those it
        points on to and those that point to it (`follow_ups`), NEAR_BONUS; those of its own
        part of the knowledge base (its file: the bot, the programme, one region), itself
        too, BESIDE_BONUS: a conversation mostly stays on one subject."""
        cached = self.__dict__.get("_near_cache")
        if cached is None:
            by_file: dict[str, set[str]] = defaultdict(set)
            pointed_from: dict[str, set[str]] = defaultdict(set)
            for e in self.kb.entries:
                by_file[_file_of(e)].add(e.id)
                for target in e.follow_ups:
                    pointed_from[target].add(e.id)
            cached = self.__dict__["_near_cache"] = (by_file, pointed_from)
        by_file, pointed_from = cached
        near = dict.fromkeys(by_file.get(_file_of(entry), ()), BESIDE_BONUS)
        near.update(dict.fromkeys((*entry.follow_ups, *pointed_from.get(entry.id, ())), NEAR_BONUS))
        if "begrip" not in entry.tags:
            # "waar gaat dat over?", "en wie kan mij uitnodigen?": staff often drill into
            # the answer they just got. Not into a definition: after what a term means
            # comes where or how it is done.
            near[entry.id] = near.get(entry.id, 0.0) + SAME_BONUS
        return near

    def main_entry(self, region: str) -> Entry | None:
        """A region's main entry: its first in the knowledge base."""
        return next((e for e in self.kb.entries if e.region == region), None)

    def place_named(self, question: str) -> str | None:
        """The one municipality `question` names that has entries of its own (Haarlem,
        Emmen), or None."""
        places = {
            t[len(MUNICIPALITY_TOKEN) :]
            for t in self.analyse(question).tokens
            if t.startswith(MUNICIPALITY_TOKEN)
        }
        if len(places) != 1:
            return None
        (place,) = places
        return place if any(e.municipality == place for e in self.kb.entries) else None

    def place_entry(self, place: str) -> Entry | None:
        """A municipality's main entry: the first about it alone."""
        return next((e for e in self.kb.entries if e.municipality == place), None)

    def terms_named(self, text: str) -> list[str]:
        """The glossary terms `text` names (by name, alias or abbreviation), as their names."""
        tokens = set(self.analyse(text).tokens)
        return [
            name
            for name, spellings in self._glossary_terms()
            if any(own and own <= tokens for own in spellings)
        ]

    def _glossary_terms(self) -> list[tuple[str, list[frozenset[str]]]]:
        """Each glossary term's name, and the tokens of its name, aliases and abbreviations as
        a question has them; read once."""
        cached = self.__dict__.get("_terms_cache")
        if cached is None:
            cached = self.__dict__["_terms_cache"] = [
                (
                    self.kb.entries[i].names[0],
                    [
                        frozenset(self._tokens(name, correct=True))
                        for name in self.kb.entries[i].names
                    ],
                )
                for i in sorted(self._terms)
                if self.kb.entries[i].names
            ]
        return cached

    def _glossary_names(self) -> frozenset[frozenset[str]]:
        """The tokens of every glossary term, alias and abbreviation, as a question has them."""
        cached = self.__dict__.get("_names_cache")
        if cached is None:
            cached = self.__dict__["_names_cache"] = frozenset(
                own for _, spellings in self._glossary_terms() for own in spellings
            )
        return cached

    def _term_tokens(self, raw: list[str], tokens: list[str]) -> frozenset[str]:
        """The tokens of the term a "what is X" question (`raw`, read as `tokens`) asks about;
        empty for another kind of question, or when X is about a region (that region's
        entries answer it)."""
        subject = definition_subject(raw)
        if subject is None:
            # A glossary term and nothing else ("corporatie", "omklapwoning"): what it means.
            bare = set(tokens)
            if not bare or bare not in self._glossary_names():
                return frozenset()
            return frozenset(bare)
        tokens = set(self._tokens_of(subject, correct=True))
        if any(t.startswith((REGION_TOKEN, MUNICIPALITY_TOKEN)) for t in tokens):
            return frozenset()
        return frozenset(
            tokens - set(self._tokens_of([w for w in subject if w in _GENERIC], correct=True))
        )

    def _score(
        self,
        query: set[str],
        weights: dict[str, float],
        total: float,
        named_region: str | None,
        own_region: str | None,
        raw_question: str,
        named_places: set[str],
        generic: set[str],
        term: frozenset[str],
        *,
        elsewhere: bool = False,
    ) -> list[tuple[float, int, float]]:
        candidates: dict[int, float] = defaultdict(float)
        for token in query:
            for entry_index, share in self._postings.get(token, ()):
                candidates[entry_index] += weights[token] * share
        if not candidates:
            return []
        if term:
            # "wat is X": the glossary entry for X is always among those scored, however many
            # entries use the word.
            for entry_index in candidates:
                if entry_index in self._terms and term <= self._entry_tokens[entry_index]:
                    candidates[entry_index] += max(weights.values())
        top = sorted(candidates, key=candidates.__getitem__, reverse=True)[:CANDIDATE_LIMIT]
        query_text = " ".join(sorted(query))
        content = {t for t in query if not t.startswith(REGION_TOKEN) and t not in generic}
        # A question of everyday words only ("om welke mensen gaat het") may get suggestions,
        # never an answer.
        everyday_only = not content
        if everyday_only:
            content = {t for t in query if not t.startswith(REGION_TOKEN)}
        weigh = weights.__getitem__  # sum(map(weigh, …)): the loop below is the hot path
        content_total = sum(map(weigh, content)) or math.inf
        results = []
        query_set = frozenset(query)
        disjoint = query_set.isdisjoint
        kind = question_kind(raw_question)
        # (`raw_question` is the question's words joined by spaces, as `words()` gives them:
        # str.split() then parts it as token_sort_ratio would.)
        sorted_question = " ".join(sorted(raw_question.split()))
        for entry_index in top:
            entry = self.kb.entries[entry_index]
            entry_region, place = entry.region, entry.municipality
            if entry_region and (elsewhere or (named_region and entry_region != named_region)):
                continue  # the question names another region: this answer is not about it
            if place and named_places and place not in named_places:
                continue  # about Haarlem, asked about Velsen
            own, said = self._entry_tokens[entry_index], self._answer_tokens[entry_index]
            in_question = sum(map(weigh, query_set & own))
            in_answer = sum(map(weigh, query_set & said))
            recall = (in_question + ANSWER_WORD_WEIGHT * in_answer) / total
            if recall == 0:
                continue
            coverage = (
                sum(map(weigh, content & own))
                + ANSWER_WORD_WEIGHT * sum(map(weigh, content & said))
            ) / content_total
            if everyday_only:
                coverage = min(coverage, SUGGEST_COVERAGE)
            precision, best_text = 0.0, None
            for doc_tokens, doc_weight, doc_text in self._doc_rows[entry_index]:
                if not disjoint(doc_tokens):
                    share = sum(map(weigh, query_set & doc_tokens)) / doc_weight
                    if share > precision:
                        precision, best_text = share, doc_text
            similarity = fuzz.token_set_ratio(query_text, best_text) / 100 if best_text else 0.0
            overlap = (
                (1 + BETA2) * precision * recall / (BETA2 * precision + recall)
                if precision
                else recall / 2
            )
            # token_sort_ratio, its sorting done once
            closest = process.extractOne(
                sorted_question, self._sorted_texts[entry_index], scorer=fuzz.ratio
            )
            wording = closest[1] / 100 if closest else 0.0
            best = 100 * (W_OVERLAP * overlap + W_TOKENS * similarity + W_WORDING * wording)
            core, core_weight = self._core_tokens[entry_index], self._core_weights[entry_index]
            if core_weight:
                # An entry whose own subject the question does not mention is less likely.
                missed = sum(self._idf.get(t, 0.0) for t in core - query_set)
                best -= CORE_PENALTY * missed / core_weight
            if kind == "region":
                # "in welke regio moet het convenant nog komen": one region's answer, not
                # what a convenant is.
                best += QUESTION_KIND_WEIGHT * (entry_region is not None)
            elif kind is not None:
                # "hoeveel regio's begon het" asks a number: the entry asked for numbers.
                best += QUESTION_KIND_WEIGHT * self._asked_as[entry_index].get(kind, 0.0)
            if wording == 1.0:
                best += EXACT_BONUS  # the very words an editor wrote for this entry
            if "begrip" in entry.tags:
                if term and sum(weights[t] for t in term & own) >= TERM_SHARE * sum(
                    weights[t] for t in term
                ):
                    best += DEFINITION_BONUS  # "wat is een X" and X is this term
                else:
                    # A definition answers "what is X"; a question that says much more than
                    # X is about something else.
                    best *= 0.7 + 0.3 * min(1.0, in_question / total)
            if place and place in named_places:
                best += 3  # about Haarlem, asked about Haarlem
            if named_region and entry_region:
                best += 6
            elif own_region and entry_region == own_region:
                best += 3
            elif entry_region:
                # Asked without a region: the programme's general answer goes first.
                best -= UNNAMED_REGION_PENALTY
            results.append((best, entry_index, coverage))
        # Scores past 100 still rank and part two entries (the glossary's own term from its
        # neighbour's); a result shows them as 100.
        results.sort(key=lambda r: (-r[0], self.kb.entries[r[1]].id))
        return results


# Dutch separable verbs: "doet Culemborg mee" is "meedoen", "hoe zeg ik de huur op" is
# "opzeggen". Particle → {verb form: the whole verb}.
_SEPARABLE_TEXT = """
mee: doe doet deed deden doen > meedoen
aan: sluit sluiten sloot sloten > aansluiten | meld meldt melden meldde > aanmelden
aan: vraag vraagt vragen vroeg > aanvragen | bied biedt bieden bood > aanbieden
aan: pak pakt pakken pakte > aanpakken | neem neemt nemen nam > aannemen
aan: pas past passen paste pasten > aanpassen | maak maakt maken maakte > aanmaken
in: trek trekt trekken trok > intrekken | voer voert voeren voerde > invoeren
in: schrijf schrijft schrijven schreef > inschrijven | vul vult vullen vulde > invullen
op: geef geeft geven gaf > opgeven | zeg zegt zeggen zei > opzeggen
op: los lost lossen loste > oplossen | pak pakt pakken pakte > oppakken
op: vang vangt vangen ving > opvangen | zet zetten zette > opzetten
door: geef geeft geven gaf > doorgeven | stroom stroomt stromen stroomde > doorstromen
uit: stroom stroomt stromen stroomde > uitstromen | nodig nodigt nodigen nodigde > uitnodigen
af: spreek spreekt spreken sprak spraken > afspreken | breek breekt breken brak > afbreken
af: wijs wijst wijzen wees > afwijzen | zeg zegt zeggen zei > afzeggen
om: klap klapt klappen klapte > omklappen
terug: val valt vallen viel > terugvallen
toe: wijs wijst wijzen wees > toewijzen
"""


def _separable() -> dict[str, dict[str, str]]:
    verbs: dict[str, dict[str, str]] = defaultdict(dict)
    for line in _SEPARABLE_TEXT.strip().splitlines():
        particle, _, groups = line.partition(":")
        for group in groups.split("|"):
            forms, _, whole = group.partition(">")
            for form in forms.split():
                verbs[particle.strip()][form] = whole.strip()
    return dict(verbs)


SEPARABLE = _separable()


def join_separable(raw: list[str]) -> list[str]:
    """Put a separable verb back together: ['doet', 'culemborg', 'mee'] → ['meedoen',
    'culemborg']. The particle must come after the verb, as in a Dutch main clause."""
    if not any(w in SEPARABLE for w in raw[1:]):
        return raw
    joined = list(raw)
    for j in range(len(joined) - 1, 0, -1):
        forms = SEPARABLE.get(joined[j])
        if not forms:
            continue
        for i in range(j - 1, -1, -1):
            whole = forms.get(joined[i])
            if whole:
                joined[i] = whole
                del joined[j]
                break
    return joined


# "erachter" is "er achter": what it refers to is elsewhere, the preposition is its meaning
# ("wie zitten erachter" is who is behind it). Not "ermee": "mee" is a verb's particle.
# Only the prepositions that are stop words, and "achter" ("wie zitten erachter"): "daarna"
# and "eronder" stay words of their own.
_PRONOMINAL = re.compile(r"(er|daar|hier|waar)(achter|in|van|over|bij|aan|voor|door|op|uit)")


_ANY_PRONOMINAL = re.compile(rf"\b{_PRONOMINAL.pattern}\b")


def split_pronominal(raw: list[str]) -> list[str]:
    """['wie', 'zitten', 'erachter'] → ['wie', 'zitten', 'er', 'achter']."""
    if not _ANY_PRONOMINAL.search(" ".join(raw)):
        return raw
    split: list[str] = []
    for word in raw:
        match = _PRONOMINAL.fullmatch(word)
        split.extend(match.groups() if match else (word,))
    return split


# "Wat is een X", "X, wat is dat", "wat verstaan jullie onder X": a question that asks what a
# term means. The glossary answers it, when it knows the term.
_DEFINITION = [
    re.compile(p)
    for p in (
        r"^(?:wat|wie) (?:is|zijn|betekent|betekenen|doet|doen)(?: eigenlijk| precies)?"
        r"(?: een| de| het| n| t| nou)? (?P<x>.+)$",
        r"^(?P<x>.+?),? (?:wat|wie|welk|welke)(?: \w+)? (?:is|zijn|betekent|doet)"
        r" (?:dat|dit|die|het)(?: precies| eigenlijk)?$",
        r"^(?P<x>.+?) (?:betekenis|uitleg|definitie|betekent)$",
        r"^(?:betekenis|uitleg|definitie)(?: van)? (?P<x>.+)$",
        r"^wat (?:verstaan|verstaat) (?:jullie|we|wij|je|u|men|ze) onder (?P<x>.+)$",
        r"^wat (?:moet|kan) ik me voorstellen (?:bij|onder) (?P<x>.+)$",
        r"^wat (?:houdt|houden) (?P<x>.+) in$",
        r"^wat (?:bedoelen|bedoel|bedoelt) (?:jullie|je|ze|men|u|we) met (?P<x>.+)$",
        r"^wat (?:wordt|worden) (?:er )?(?:verstaan onder|bedoeld met) (?P<x>.+)$",
        r"^wat (?:telt|geldt|tellen|gelden) als(?: een| de| het)? (?P<x>.+)$",
        r"^what counts as (?:a |an |the )?(?P<x>.+)$",
        r"^what (?:is|are) (?:a |an |the )?(?P<x>.+)$",
        r"^what does (?P<x>.+) (?:mean|do)$",
        r"^(?:meaning|definition) of (?P<x>.+)$",
        r"^who (?:is|are) (?P<x>.+)$",
    )
]
MAX_TERM_WORDS = 4
_RELATION_WORDS = frozenset(
    "over bij van voor in met op aan rond tijdens tegen na naar onder of en about for with".split()
)


def _asks_what_it_is(raw: list[str]) -> bool:
    """A "what is X" question, whatever X ("wat is een omklapwoning in Utrecht")."""
    text = " ".join(raw)
    return any(pattern.match(text) for pattern in _DEFINITION)


def definition_subject(raw: list[str]) -> list[str] | None:
    """The term a "what does X mean" question asks about, as words; None for other questions."""
    text = " ".join(raw)
    for pattern in _DEFINITION:
        match = pattern.match(text)
        if match:
            subject = match["x"].split()
            # "de afspraken over overlast", "de rol van het wijkteam": about something else.
            if any(w in _RELATION_WORDS for w in subject):
                return None
            return subject if 0 < len(subject) <= MAX_TERM_WORDS else None
    return None


def _file_of(entry: Entry) -> str:
    """The file an entry was read from, without its line ("knowledge/qa/bot.yaml")."""
    return entry.source_file.rpartition(":")[0] or entry.source_file


def _with_organisation_regions(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """An organisation's region counts as named only when the question names no region."""
    named = any(t.startswith(REGION_TOKEN) for t in tokens)
    return tuple(
        REGION_TOKEN + t[len(ORGANISATION_REGION_TOKEN) :]
        if t.startswith(ORGANISATION_REGION_TOKEN)
        else t
        for t in tokens
        if not (named and t.startswith(ORGANISATION_REGION_TOKEN))
    )


def _best_per_region(ranked: list[Ranked], floor: float) -> list[Ranked]:
    """The best regional entry of each region scoring at least `floor`, best first."""
    seen: dict[str, Ranked] = {}
    for r in sorted(ranked, key=lambda r: (-r.by_words, r.entry.id)):
        if r.by_words < floor:
            break
        if r.entry.region and r.entry.region not in seen:
            seen[r.entry.region] = r
    return list(seen.values())


@dataclass(frozen=True, eq=False)  # hashed by identity: one per index
class _Vocabulary:
    words: tuple[str, ...]
    known: frozenset[str]
    stems: frozenset[str]
    # The words by their first letter: a typo rarely hits it, so only these are compared.
    by_initial: dict[str, tuple[str, ...]] = field(default_factory=dict)


# A word of everyday Dutch is a typo only of a word this many edits away (a swap is one).
EVERYDAY_TYPO_EDITS = 1
_STOP_STEMS = frozenset(stem(w) for w in STOP_WORDS)


@lru_cache(maxsize=16384)
def _correct_word(word: str, vocabulary: _Vocabulary) -> str:
    """The nearest word of the knowledge base for a likely typo; the word itself otherwise."""
    if word in vocabulary.known or len(word) < 4 or word.isdigit() or word in STOP_WORDS:
        return word
    if len(word) < 5:
        return _completed(word, vocabulary) or word
    if stem(word) in vocabulary.stems and (
        stem(word) not in _STOP_STEMS or word in commonness.everyday_zipf()
    ):
        # Another form of a known word, not a typo; but "heben" only shares its stem with
        # the small word "heb", and is a slip for "hebben".
        return word
    base = _without_diminutive(word, vocabulary.known)
    if base is not None:
        return base
    cutoff = 86 if len(word) < 9 else 82
    # Typos rarely hit the first letter; demanding it avoids "betaalt" → "bestaat".
    same_start = vocabulary.by_initial.get(word[0], ())
    match = process.extractOne(word, same_start, scorer=fuzz.ratio, score_cutoff=cutoff)
    if match is None:
        # Two letters typed the wrong way round ("woenn", "haarlme"): one slip, however
        # short the word, where the ratio above counts two.
        if word in commonness.everyday_zipf():
            return word  # "straten" is no "starten", "groet" no "grote"
        completed = _completed(word, vocabulary)
        if completed is not None:
            return completed
        swapped = (word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1))
        return next((w for w in swapped if w in vocabulary.known), word)
    fixed = match[0]
    if (
        word in commonness.everyday_zipf()
        and not word.startswith(fixed)  # "analyseren" asks about the "analyse"
        and OSA.distance(word, fixed) > EVERYDAY_TYPO_EDITS
    ):
        return word  # a real word, not a slip of the finger ("verslaving" is no "verslag")
    return fixed


_DIMINUTIVES = ("etjes", "etje", "tjes", "tje", "pjes", "pje", "jes", "je")


def _without_diminutive(word: str, known: frozenset[str]) -> str | None:
    """ "lijstje" is a "lijst", "berichtje" a "bericht": the word it makes small, when the
    knowledge base knows that word."""
    for ending in _DIMINUTIVES:
        base = word.removesuffix(ending)
        if base != word and len(base) >= 3 and base in known:
            return base
    return None


# A word cut short ("kand.", "coord") has at least this many letters, and drops at least
# MIN_CUT_LETTERS of the word.
MIN_CUT_WORD = 4
MIN_CUT_LETTERS = 2


def _completed(word: str, vocabulary: _Vocabulary) -> str | None:
    """The word of the knowledge base that `word` cuts short, as staff abbreviate on a phone
    ("kand" → "kandidaat", "coord" → "coordinator"): when every known word it starts is a
    form of one word or a compound of it. None for an everyday word ("maak") or a cut of
    several ("ver")."""
    if len(word) < MIN_CUT_WORD or word in commonness.everyday_zipf():
        return None
    longer = [
        w
        for w in vocabulary.by_initial.get(word[0], ())
        if w.startswith(word) and len(w) >= len(word) + MIN_CUT_LETTERS
    ]
    if not longer:
        return None
    # They all go on alike ("kandida…": "kandidaat", "kandidaten", "kandidatenlijst"), and
    # do not only share what was typed ("ver…").
    first, last = min(longer), max(longer)
    shared = next(
        (i for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b), len(first)
    )
    if shared < len(word) + MIN_CUT_LETTERS:
        return None
    return min(longer, key=len)


# A typo of an entry's text: a word written once, one edit from a word written at least
# TYPO_OF_USES times (two edits from 10 letters on), or written up to TYPO_MAX_USES times and
# the other TYPO_RATIO times as often; not everyday Dutch, nor another form of that word
# ("moved" is no typo of "move").
TYPO_OF_USES = 3
_INFLECTIONS = frozenset("t d e s en de te".split())
TYPO_MAX_USES = 3
TYPO_RATIO = 10
TYPO_LONG = 10


def _typo_fixes(texts: list[list[str]], everyday: dict[str, float]) -> dict[str, str]:
    counts: dict[str, int] = defaultdict(int)
    for found in texts:
        for word in found:
            counts[word] += 1
    # Compared only with words of the same first letter and about the same length.
    often: dict[tuple[str, int], list[str]] = defaultdict(list)
    for word, n in counts.items():
        # Not a small word ("waar"), though "precies" may be misspelt.
        if n >= TYPO_OF_USES and len(word) >= 4 and (word not in STOP_WORDS or len(word) > 5):
            often[word[0], len(word)].append(word)
    fixes: dict[str, str] = {}
    for word, n in counts.items():
        if n > TYPO_MAX_USES or len(word) < 5 or word.isdigit() or word in everyday:
            continue  # written often, short, a number, a word of its own
        if word in STOP_WORDS:
            continue
        # Written a few times, it is a typo of a word written far more often ("uitsroom").
        floor = TYPO_OF_USES if n == 1 else TYPO_RATIO * n
        limit = 2 if len(word) >= TYPO_LONG else 1
        near = [
            w
            for size in range(len(word) - limit, len(word) + limit + 1)
            for w in often.get((word[0], size), ())
            if floor == TYPO_OF_USES or counts[w] >= floor
        ]
        found = process.extract(word, near, scorer=OSA.distance, score_cutoff=limit, limit=2)
        if not found:
            continue
        fixed = found[0][0]
        if len(found) > 1 and found[1][1] == found[0][1] and stem(found[1][0]) != stem(fixed):
            continue  # two words as near ("waart": waar or waard)
        longer, shorter = (word, fixed) if len(word) > len(fixed) else (fixed, word)
        if longer.startswith(shorter) and longer[len(shorter) :] in _INFLECTIONS:
            continue  # another form ("uitstroomt" of "uitstroom"), not "toegan" of "toegang"
        if stem(fixed) != stem(word) and _ENGLISH.stemWord(fixed) != _ENGLISH.stemWord(word):
            fixes[word] = fixed
    return fixes


# What a question asks for, by the question word it opens with: a number, a time, a who, a
# why. An entry asked that way in many of its phrasings answers it more likely ("met hoeveel
# regio's begon het" asks for a number, not a date). "Hoe", "wat" and "waar" ask for too much
# alike ("waar staat BW voor").
QUESTION_KIND_WEIGHT = 12.0
_QUESTION_KINDS = {
    "hoeveel": "number",
    "hoelang": "duration",
    "wanneer": "time",
    "wie": "who",
    "waarom": "why",
    "when": "time",
    "who": "who",
    "why": "why",
}
_OPENING = frozenset("en and ook maar ok oke".split())
# Words that may come before the question word without asking anything themselves: "weet
# iemand hoeveel", "vraagje: wanneer", "ik vroeg me af wie", "do you know when".
_LEAD_IN = frozenset(
    """hoi hallo hey goedemorgen goedemiddag goedenavond vraagje vraag even snel weet weten
    iemand jij je jullie u ik me mij vroeg vraag af wil wilde graag zou willen kun kunt kan
    kunnen zeggen vertellen hi hello quick question do does you anyone know i wonder wondering
    can could tell me""".split()
)
_LEAD_IN_WORDS = 6
_TIME_NOUNS = frozenset("jaar datum year date".split())
_REGION_NOUNS = frozenset("regio region gemeente municipality".split())
_KIND_PREPOSITIONS = frozenset(
    "in met sinds tot vanaf door voor bij van op uit om over naar aan per since from".split()
)


_CAN = frozenset("kan kun kunnen mag mogen".split())
_CAN_SUBJECTS = frozenset("de ik je jij we wij u hij ze".split())
MIN_VERB = 5
_CLAUSE_STARTS = frozenset("of welke welk wie wat waar wanneer hoe als dat die omdat want".split())


def _asked_capability(found: list[str]) -> str | None:
    """The verb of "kan de bot een huurcontract opstellen", "kan ik via de bot een afspraak in
    de agenda zetten": the last infinitive of a question whether one can; None for others."""
    if len(found) < 3 or found[0] not in _CAN or found[1] not in _CAN_SUBJECTS:
        return None
    # Not the verb of a clause of its own: "kan ik zien welke vragen collega's stelden".
    main = next((found[:i] for i, w in enumerate(found) if i > 1 and w in _CLAUSE_STARTS), found)
    verbs = [w for w in main[2:] if w.endswith("en") and len(w) >= MIN_VERB and w not in _CAN]
    return verbs[-1] if verbs else None


def question_kind(text: str) -> str | None:
    """The kind of answer `text` asks for ("met hoeveel" → "number"), or None. After its
    subject and a comma too: "signaal na de verhuizing, wie pakt het op"."""
    kind = _kind_of(words(text))
    if kind is None and "," in text:
        kind = _kind_of(words(text.rpartition(",")[2]))
    return kind


def _kind_of(found: list[str]) -> str | None:
    i = 0
    while i < len(found) and found[i] in _OPENING:
        i += 1
    lead = i
    if found[lead : lead + 2] in (["wie", "weet"], ["who", "knows"]):
        lead += 2  # "wie weet hoeveel" asks how many, not who
    while lead < min(len(found), i + _LEAD_IN_WORDS) and found[lead] in _LEAD_IN:
        lead += 1
    if lead > i and lead < len(found) and _kind_of(found[lead:]) is not None:
        i = lead
    if i < len(found) and found[i] in _KIND_PREPOSITIONS:
        i += 1  # "in welk jaar", "met hoeveel", "sinds wanneer", "door wie"
    first, second = found[i : i + 1], found[i + 1 : i + 2]
    if not first:
        return None
    if first[0] in ("welk", "welke", "what", "which") and second and second[0] in _TIME_NOUNS:
        return "time"
    if first[0] == "how" and second and second[0] in ("many", "much"):
        return "number"
    if first[0] in ("hoe", "how") and second and second[0] in ("lang", "long"):
        return "duration"  # "hoe lang duurt het", "how long"
    if (
        first[0] in ("welk", "welke", "which")
        and second
        and second[0] in _REGION_NOUNS
        and found[i + 2 : i + 3] != ["s"]  # "welke regio's doen mee" asks for all of them
    ):
        return "region"
    return _QUESTION_KINDS.get(first[0])


def _asked_as(kinds: list[str | None]) -> dict[str, float]:
    """The share of an entry's phrasings that ask for each kind of answer."""
    counts: dict[str, int] = defaultdict(int)
    for kind in kinds:
        if kind is not None:
            counts[kind] += 1
    return {kind: n / len(kinds) for kind, n in counts.items()} if kinds else {}


def _stems(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(text))


def _entry_texts(entry: Entry) -> list[str]:
    return [entry.question, *entry.alternates]


_TAG = re.compile(r"<[^>]+>")


def _plain(html: str) -> str:
    return _TAG.sub(" ", html).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
