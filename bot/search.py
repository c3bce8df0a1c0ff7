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

from bot.knowledge import Entry, KnowledgeBase

# Anything longer is not a question; cutting it keeps every search within its time bound.
MAX_QUESTION_CHARS = 400
ANSWER_THRESHOLD = 62.0
SUGGEST_THRESHOLD = 40.0
# Two entries this close are a coin toss: ask "bedoelde je…?" instead of guessing.
AMBIGUITY_MARGIN = 4.0
MAX_SUGGESTIONS = 3
CANDIDATE_LIMIT = 40
REGION_TOKEN = "@regio:"
# The share of a question's content (region names aside) that must be recognised before
# anything is answered.
MIN_COVERAGE = 0.45
ANSWER_WORD_WEIGHT = 0.5
# Recall weighs twice precision: questions carry words their entry's phrasings lack.
BETA2 = 4.0

_STOP_TEXT = """
de het een en of van in op aan te ten ter voor met bij naar om over uit door tot als dan
dat die dit deze der des is zijn ben bent was waren wordt worden werd word geworden
heb hebt heeft hebben had hadden kan kun kunnen kunt mag mogen moet moeten zal zullen
zou zouden wil willen ik je jij u wij we ze zij hij hem haar hun mijn jouw uw ons onze
er hier daar ook nog al wel niet geen maar want dus toch even eens graag alsjeblieft
aub svp hoe wat welk welke wie waar waarom wanneer hoor zo heel erg echt iets iemand
men mn jullie eigenlijk precies houdt houd betekent betekenen betekenis uitleg uitleggen
the a an and or of in on at to for with by from about is are was were be been being
do does did have has had can could may might must shall should will would i you he she
it we they my your our their this that these those what which who whom how why when
where there here please me us tell know mean means meaning explain explained
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
# Words that carry the meaning of a how-many question: kept although they are common.
_KEEP = frozenset({"hoeveel", "many", "much"})
_WORD = re.compile(r"[a-z0-9]+")
_STEMMER = snowballstemmer.stemmer("dutch_porter")


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


def fold(text: str) -> str:
    """Lower case without accents: 'Cliënt' → 'client'."""
    decomposed = unicodedata.normalize("NFKD", text[:MAX_QUESTION_CHARS])
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


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
    _idf: dict[str, float] = field(default_factory=dict)
    _docs: list[_Doc] = field(default_factory=list)
    _postings: dict[str, list[int]] = field(default_factory=dict)
    _entry_docs: list[list[int]] = field(default_factory=list)
    _entry_tokens: list[frozenset[str]] = field(default_factory=list)
    _answer_tokens: list[frozenset[str]] = field(default_factory=list)

    # --- building ---------------------------------------------------------------------------

    @classmethod
    def build(cls, kb: KnowledgeBase) -> SearchIndex:
        index = cls(kb=kb)
        index._build_phrases()
        raw_texts = [
            (i, text) for i, entry in enumerate(kb.entries) for text in _entry_texts(entry)
        ]
        index._known_words = {w for _, text in raw_texts for w in words(text)}
        index._known_words |= {w for phrase in index._phrases for w in phrase}
        index.vocabulary = sorted(w for w in index._known_words if len(w) >= 4)
        index._entry_docs = [[] for _ in kb.entries]
        for entry_index, text in raw_texts:
            tokens = set(index._tokens(text, correct=False))
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
                key = tuple(words(member))
                if key:
                    phrases.setdefault(key, canonical)
        for abbreviation, term in self.kb.abbreviations.items():
            key = tuple(words(abbreviation))
            target = phrases.get(tuple(words(term)), "_".join(words(term)))
            if key:
                phrases[key] = target
        for region in self.kb.regions.values():
            names = [region.id.replace("-", " "), region.name, *region.aliases]
            for municipality in region.municipalities:
                names += [municipality.name, *municipality.aliases]
            for name in names:
                key = tuple(words(name))
                if key and key not in phrases:
                    phrases[key] = REGION_TOKEN + region.id
        self._phrases = phrases
        self._max_phrase = max((len(k) for k in phrases), default=1)

    # --- normalising --------------------------------------------------------------------------

    def _tokens(self, text: str, *, correct: bool) -> list[str]:
        raw = words(text)
        if correct:
            raw = [self._correct(w) for w in raw]
        tokens: list[str] = []
        i = 0
        while i < len(raw):
            for size in range(min(self._max_phrase, len(raw) - i), 0, -1):
                phrase = tuple(raw[i : i + size])
                canonical = self._phrases.get(phrase)
                if canonical is not None:
                    tokens.append(canonical)
                    if len(phrase) == 1 and not canonical.startswith(REGION_TOKEN):
                        # The exact word stays too: "pact" is more than any agreement.
                        word_stem = stem(phrase[0])
                        if word_stem != canonical:
                            tokens.append(word_stem)
                    i += size
                    break
            else:
                word = raw[i]
                i += 1
                if word in STOP_WORDS and word not in _KEEP:
                    continue
                tokens.append(stem(word))
                tokens.extend(stem(part) for part in self._compound_parts(word))
        return tokens

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
        """'huurschulden' → ['huur', 'schulden'] when both halves are words of the base."""
        if len(word) < 8:
            return []
        for cut in range(4, len(word) - 3):
            head, tail = word[:cut], word[cut:]
            if head in self._known_words and tail in self._known_words:
                return [head, tail]
        return []

    # --- searching ----------------------------------------------------------------------------

    def search(self, question: str, *, region: str | None = None) -> SearchResult:
        """Answer `question`; `region` is the asker's own region, if known. Never raises."""
        text = question.strip()[:MAX_QUESTION_CHARS]
        tokens = self._tokens(text, correct=True)
        named = [t[len(REGION_TOKEN) :] for t in tokens if t.startswith(REGION_TOKEN)]
        asked_region = named[0] if named else region
        query = set(tokens)
        unknown_weight = max(self._idf.values(), default=1.0)
        weights = {t: self._idf.get(t, unknown_weight) for t in query}
        total = sum(weights.values())
        if not query or total == 0:
            return SearchResult(text, False, None, 0.0, asked_region)
        scored = self._score(query, weights, total, named[0] if named else None, region)
        if not scored:
            return SearchResult(text, False, None, 0.0, asked_region)
        best_score, best_index, coverage = scored[0]
        best = self.kb.entries[best_index]
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        confident = (
            best_score >= ANSWER_THRESHOLD
            and coverage >= MIN_COVERAGE
            and best_score - runner_up >= AMBIGUITY_MARGIN
        )
        if confident:
            return SearchResult(text, True, best, best_score, asked_region)
        suggestions = tuple(
            Suggestion(self.kb.entries[i].id, self.kb.entries[i].question)
            for score, i, cov in scored[:MAX_SUGGESTIONS]
            if score >= SUGGEST_THRESHOLD and cov >= MIN_COVERAGE / 2
        )
        return SearchResult(
            text, False, best if suggestions else None, best_score, asked_region, suggestions
        )

    def _score(
        self,
        query: set[str],
        weights: dict[str, float],
        total: float,
        named_region: str | None,
        own_region: str | None,
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
            best = 100 * (0.8 * overlap + 0.2 * similarity)
            entry_region = self.kb.entries[entry_index].region
            if named_region and entry_region:
                best += 6 if entry_region == named_region else -25
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


def _entry_texts(entry: Entry) -> list[str]:
    return [entry.question, *entry.alternates]


_TAG = re.compile(r"<[^>]+>")


def _plain(html: str) -> str:
    return _TAG.sub(" ", html).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
