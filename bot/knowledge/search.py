"""Question answering over the knowledge base: Dutch normalisation, an inverted index and
rapidfuzz scoring, with region awareness. Built once per knowledge-base load; no Telegram.

A question goes through: accent folding and lower case → typo correction against the
knowledge base's own vocabulary (rapidfuzz) → synonyms, abbreviations and region names to
canonical tokens → stop words out → Dutch stemming → compound splitting. Entries are scored by
IDF-weighted token overlap (recall-leaning F-score) blended with rapidfuzz's token-set ratio,
then nudged towards the region the question names (or the asker's own region).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from rapidfuzz import fuzz, process

from bot.knowledge.base import Entry, KnowledgeBase

# Anything longer is not a question; cutting it keeps every search within its time bound.
MAX_QUESTION_CHARS = 400
ANSWER_THRESHOLD = 46.0
SUGGEST_THRESHOLD = 40.0
SUGGEST_COVERAGE = 0.25
# Two entries this close are a coin toss: ask "bedoelde je…?" instead of guessing.
AMBIGUITY_MARGIN = 1.0
MAX_SUGGESTIONS = 3
CANDIDATE_LIMIT = 40
REGION_TOKEN = "@regio:"
MUNICIPALITY_TOKEN = "@gemeente:"
# The share of a question's content (region names aside) that must be recognised before
# anything is answered.
MIN_COVERAGE = 0.3
ANSWER_WORD_WEIGHT = 0.5
# Recall weighs twice precision: questions carry words their entry's phrasings lack.
BETA2 = 4.0
UNKNOWN_WORD_WEIGHT = 1.5
W_OVERLAP, W_TOKENS, W_WORDING = 0.7, 0.15, 0.15

_STOP_TEXT = """
de het een en of van in op aan te ten ter voor met bij naar om over uit door tot als dan
dat die dit deze der des is zijn ben bent was waren wordt worden werd word geworden
heb hebt heeft hebben had hadden kan kun kunnen kunt mag mogen moet moeten zal zullen
zou zouden wil willen ik je jij u wij we ze zij hij hem haar hun mijn jouw uw ons onze
er hier daar ook nog al wel maar want dus toch even eens graag alsjeblieft
aub svp hoe wat welk welke waar hoor zo heel erg echt iets iemand
men mn jullie eigenlijk precies houdt houd betekent betekenen betekenis uitleg uitleggen
bedoelen bedoeld bedoelt bedoel afkorting afkortingen noemen noemt noem heet heten staat
the a an and or of in on at to for with by from about is are was were be been being
do does did have has had can could may might must shall should will would i you he she
it we they my your our their this that these those what which whom how there here please
me us tell know mean means meaning explain explained
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
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

    def as_json(self) -> dict:
        return {
            "question": self.question,
            "found": self.found,
            "answer": self.entry.answer if self.found and self.entry else None,
            "entry_id": self.entry.id if self.entry else None,
            "score": round(self.score, 1),
            "region": self.region,
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
    """A rough guess, good enough to pick `answer_en` when an entry has one."""
    found = words(text)
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
    # "regio's" and "cliënt's" lose their apostrophe-s before splitting.
    return _WORD.findall(fold(text).replace("'s", "s").replace("’s", "s"))


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
class Ranked:
    score: float
    entry: Entry
    coverage: float  # share of the question's content the entry recognises


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
    _idf: dict[str, float] = field(default_factory=dict)
    _docs: list[_Doc] = field(default_factory=list)
    _postings: dict[str, list[int]] = field(default_factory=dict)
    _entry_docs: list[list[int]] = field(default_factory=list)
    _entry_tokens: list[frozenset[str]] = field(default_factory=list)
    _entry_texts: list[list[str]] = field(default_factory=list)
    _answer_tokens: list[frozenset[str]] = field(default_factory=list)

    # --- building ---------------------------------------------------------------------------

    @classmethod
    def build(cls, kb: KnowledgeBase) -> SearchIndex:
        index = cls(kb=kb)
        index._build_phrases()
        # Each text is split once; everything below works on its words.
        raw_texts = [
            (i, words(text)) for i, entry in enumerate(kb.entries) for text in _entry_texts(entry)
        ]
        index._known_words = {w for _, found in raw_texts for w in found}
        index._known_words |= {
            w for group in kb.synonyms for member in group for w in words(member)
        }
        index.vocabulary = sorted(w for w in index._known_words if len(w) >= 4)
        index._entry_docs = [[] for _ in kb.entries]
        index._entry_texts = [[] for _ in kb.entries]
        for entry_index, found in raw_texts:
            index._entry_texts[entry_index].append(" ".join(found))
            tokens = set(index._tokens_of(found, correct=False))
            entry = kb.entries[entry_index]
            if entry.region:
                tokens.add(REGION_TOKEN + entry.region)
            if not tokens:
                continue
            index._entry_docs[entry_index].append(len(index._docs))
            index._docs.append(_Doc(entry_index, frozenset(tokens), " ".join(sorted(tokens))))
        index._entry_tokens = [
            frozenset(t for d in doc_ids for t in index._docs[d].tokens)
            for doc_ids in index._entry_docs
        ]
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
        postings: dict[str, set[int]] = defaultdict(set)
        for doc in index._docs:
            doc.weight = sum(index._idf[t] for t in doc.tokens)
        for i in range(len(kb.entries)):
            for token in index._entry_tokens[i] | index._answer_tokens[i]:
                postings[token].add(i)
        index._postings = {t: sorted(ids) for t, ids in postings.items()}
        return index

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
            names = [region.id.replace("-", " "), region.name, *region.aliases]
            for municipality in region.municipalities:
                for name in (municipality.name, *municipality.aliases):
                    names.append(name)
                    municipalities.setdefault(_stems(name), municipality.id)
            for name in names:
                key = _stems(name)
                if key and key not in phrases:
                    phrases[key] = REGION_TOKEN + region.id
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
        if correct:
            raw = [self._correct(w) for w in raw]
        stems = [stem(w) for w in raw]
        if correct:
            stems = [self._english_fallback(w, st) for w, st in zip(raw, stems, strict=True)]
        phrases, starts, places = self._phrases, self._phrase_starts, self._municipalities
        known = self._known_words
        tokens: list[str] = []
        i, count = 0, len(raw)
        while i < count:
            word, word_stem = raw[i], stems[i]
            size, canonical = 1, None
            if word_stem in starts:
                for size in range(min(self._max_phrase, count - i), 1, -1):
                    canonical = phrases.get(tuple(stems[i : i + size]))
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
                if size == 1 and self._keeps_own_word(word_stem, canonical, correct):
                    tokens.append(word_stem)
                i += size
                continue
            i += 1
            if word in STOP_WORDS and word not in _KEEP:
                continue
            if len(word) < 8 or word in known:
                tokens.append(word_stem)  # the common case, kept quick for index builds
                continue
            parts = [phrases.get((stem(part),), stem(part)) for part in self._compound_parts(word)]
            if not (correct and parts and word_stem not in self._idf):
                tokens.append(word_stem)
            tokens.extend(parts)
        return tokens

    def _keeps_own_word(self, own: str, canonical: str, question: bool) -> bool:
        """Beside its synonym group, a rare word stays itself: "pact" is more than any
        agreement. In a question only when it is clearly rarer than the group."""
        if own == canonical or canonical.startswith(REGION_TOKEN):
            return False
        return not question or self._idf.get(own, 0) > self._idf.get(canonical, 0) + 1

    def _english_fallback(self, word: str, dutch_stem: str) -> str:
        """'joined' → 'join' when the Dutch stem means nothing here and the English one does."""
        if dutch_stem in self._idf or (dutch_stem,) in self._phrases:
            return dutch_stem
        english = stem(_ENGLISH.stemWord(word))
        return english if english in self._idf or (english,) in self._phrases else dutch_stem

    def _correct(self, word: str) -> str:
        return _correct_word(word, self._vocabulary_key)

    @property
    def _vocabulary_key(self) -> _Vocabulary:
        cached = self.__dict__.get("_vocab_cache")
        if cached is None:
            cached = _Vocabulary(
                tuple(self.vocabulary),
                frozenset(self._known_words),
                frozenset(stem(w) for w in self._known_words),
            )
            self.__dict__["_vocab_cache"] = cached
        return cached

    def _compound_parts(self, word: str) -> list[str]:
        """'huurschulden' → ['huur', 'schulden'] when both halves are words of the base;
        'hoofddoel' → ['doel'] when only the tail is (a Dutch compound is a kind of its tail)."""
        if len(word) < 8 or word in self._known_words:
            return []
        tail_only: list[str] = []
        for cut in range(4, len(word) - 3):
            head, tail = word[:cut], word[cut:]
            if tail in self._known_words:
                if head in self._known_words:
                    return [head, tail]
                # A short tail only when it is a word the synonyms know ("hoofd|doel").
                if len(tail) >= max(5, len(word) // 2) or (stem(tail),) in self._phrases:
                    tail_only = tail_only or [tail]
        return tail_only

    # --- searching ----------------------------------------------------------------------------

    def search(self, question: str, *, region: str | None = None) -> SearchResult:
        """Answer `question`; `region` is the asker's own region, if known. Never raises."""
        text = question.strip()[:MAX_QUESTION_CHARS]
        ranked, asked_region, unknown_share = self.rank(text, region=region)
        if not ranked:
            return SearchResult(text, False, None, 0.0, asked_region)
        best = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        # An agreement of one region is no answer for another: it may only be suggested, with
        # its region in view, unless the question or the asker is about that region.
        foreign = best.entry.region is not None and best.entry.region != asked_region
        confident = (
            not foreign
            and best.score >= ANSWER_THRESHOLD
            and best.coverage >= MIN_COVERAGE
            and best.score - runner_up >= AMBIGUITY_MARGIN
        )
        if confident:
            return SearchResult(text, True, best.entry, best.score, asked_region)
        # Only plausible suggestions: a question about the weather gets no "bedoelde je…?".
        suggestions = tuple(
            Suggestion(r.entry.id, r.entry.question)
            for r in ranked[:MAX_SUGGESTIONS]
            if r.score >= SUGGEST_THRESHOLD
            and (
                r.coverage >= SUGGEST_COVERAGE
                # "doet Neder-Betuwe mee": only the place is recognised, but nothing is foreign
                or (r.entry.region == asked_region is not None and unknown_share == 0)
            )
        )
        top = best.entry if suggestions else None
        return SearchResult(text, False, top, best.score, asked_region, suggestions)

    def rank(
        self, question: str, *, region: str | None = None
    ) -> tuple[list[Ranked], str | None, float]:
        """Entries for `question`, best first; the region it is about; and the share of its
        content the knowledge base has never seen (1.0: a question about something else)."""
        tokens = self._tokens(question[:MAX_QUESTION_CHARS], correct=True)
        named = [t[len(REGION_TOKEN) :] for t in tokens if t.startswith(REGION_TOKEN)]
        places = [t[len(MUNICIPALITY_TOKEN) :] for t in tokens if t.startswith(MUNICIPALITY_TOKEN)]
        asked_region = named[0] if named else region
        # Municipality tokens steer (below); they are not words to match.
        query = {t for t in tokens if not t.startswith(MUNICIPALITY_TOKEN)}
        # A word the knowledge base has never seen weighs more than its rarest own word: a
        # question made mostly of such words is about something else.
        unknown_weight = UNKNOWN_WORD_WEIGHT * max(self._idf.values(), default=1.0)
        weights = {t: self._idf.get(t, unknown_weight) for t in query}
        total = sum(weights.values())
        content = [t for t in query if not t.startswith(REGION_TOKEN)]
        content_weight = sum(weights[t] for t in content)
        unknown = sum(weights[t] for t in content if t not in self._idf)
        unknown_share = unknown / content_weight if content_weight else 0.0
        if not query or total == 0:
            return [], asked_region, unknown_share
        raw_question = " ".join(words(question))
        scored = self._score(
            query,
            weights,
            total,
            named[0] if named else None,
            region,
            raw_question,
            set(places),
        )
        ranked = [Ranked(score, self.kb.entries[i], cov) for score, i, cov in scored]
        return ranked, asked_region, unknown_share

    def _score(
        self,
        query: set[str],
        weights: dict[str, float],
        total: float,
        named_region: str | None,
        own_region: str | None,
        raw_question: str,
        named_places: set[str],
    ) -> list[tuple[float, int, float]]:
        candidates: dict[int, float] = defaultdict(float)
        for token in query:
            for entry_index in self._postings.get(token, ()):
                candidates[entry_index] += weights[token]
        if not candidates:
            return []
        top = sorted(candidates, key=candidates.__getitem__, reverse=True)[:CANDIDATE_LIMIT]
        query_text = " ".join(sorted(query))
        content = {t for t in query if not t.startswith(REGION_TOKEN)}
        content_total = sum(weights[t] for t in content) or 1.0
        results = []
        for entry_index in top:
            own, said = self._entry_tokens[entry_index], self._answer_tokens[entry_index]
            in_question = sum(weights[t] for t in query if t in own)
            in_answer = sum(weights[t] for t in query if t in said)
            recall = (in_question + ANSWER_WORD_WEIGHT * in_answer) / total
            coverage = (
                sum(weights[t] for t in content if t in own)
                + ANSWER_WORD_WEIGHT * sum(weights[t] for t in content if t in said)
            ) / content_total
            precision, similarity = 0.0, 0.0
            for doc_id in self._entry_docs[entry_index]:
                doc = self._docs[doc_id]
                matched = sum(weights[t] for t in query if t in doc.tokens)
                if doc.weight and matched / doc.weight > precision:
                    precision = matched / doc.weight
                    similarity = fuzz.token_set_ratio(query_text, doc.text) / 100
            if recall == 0:
                continue
            overlap = (
                (1 + BETA2) * precision * recall / (BETA2 * precision + recall)
                if precision
                else recall / 2
            )
            wording = (
                max(
                    (
                        fuzz.token_sort_ratio(raw_question, t)
                        for t in self._entry_texts[entry_index]
                    ),
                    default=0.0,
                )
                / 100
            )
            best = 100 * (W_OVERLAP * overlap + W_TOKENS * similarity + W_WORDING * wording)
            entry_region = self.kb.entries[entry_index].region
            if "begrip" in self.kb.entries[entry_index].tags:
                # A definition answers "what is X"; a question that says much more than X is
                # about something else.
                best *= 0.7 + 0.3 * min(1.0, in_question / total)
            if named_region and entry_region and entry_region != named_region:
                continue  # the question names another region: this answer is not about it
            place = self.kb.entries[entry_index].municipality
            if place and named_places and place not in named_places:
                continue  # about Haarlem, asked about Velsen
            if named_region and entry_region:
                best += 6
            elif own_region and entry_region == own_region:
                best += 3
            results.append((min(best, 100.0), entry_index, coverage))
        results.sort(key=lambda r: (-r[0], self.kb.entries[r[1]].id))
        return results


@dataclass(frozen=True, eq=False)  # hashed by identity: one per index
class _Vocabulary:
    words: tuple[str, ...]
    known: frozenset[str]
    stems: frozenset[str]


@lru_cache(maxsize=16384)
def _correct_word(word: str, vocabulary: _Vocabulary) -> str:
    """The nearest word of the knowledge base for a likely typo; the word itself otherwise."""
    if word in vocabulary.known or len(word) < 5 or word.isdigit() or word in STOP_WORDS:
        return word
    if stem(word) in vocabulary.stems:
        return word  # another form of a known word, not a typo
    cutoff = 86 if len(word) < 9 else 82
    match = process.extractOne(word, vocabulary.words, scorer=fuzz.ratio, score_cutoff=cutoff)
    # Typos rarely hit the first letter; demanding it avoids "betaalt" → "bestaat".
    return match[0] if match and match[0][0] == word[0] else word


def _stems(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(text))


def _entry_texts(entry: Entry) -> list[str]:
    return [entry.question, *entry.alternates]


_TAG = re.compile(r"<[^>]+>")


def _plain(html: str) -> str:
    return _TAG.sub(" ", html).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
