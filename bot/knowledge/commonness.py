"""How common a word is in everyday Dutch, and what that does to its weight in a question.

The knowledge base's own statistics cannot tell "vragen" from "omklapwoning": each is in a
handful of entries. Everyday Dutch can: a question that shares only "vragen", "stoppen" or
"bezig" with an entry is not about that entry, and a question about "eredivisie" (a word
the knowledge base never uses, and rare in everyday Dutch) is about something it does not
know.

The figures are Zipf frequencies from wordfreq (`bot/data/everyday_nl.tsv`, made by
`bench/everyday_words.py`): 6 is as common as "de", 3 is rare.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Callable
from functools import lru_cache

# A word the knowledge base knows weighs less the commoner it is in everyday Dutch: in full
# up to EVERYDAY_FROM, down to EVERYDAY_FLOOR of its weight at EVERYDAY_FULL and above.
EVERYDAY_FROM = 5.0
EVERYDAY_FULL = 6.0
EVERYDAY_FLOOR = 0.5
# A word the knowledge base does not know, and everyday Dutch rarely uses, weighs more: the
# question is about something else. Common words it does not know ("verdient") do not.
RARE_BELOW = 3.5
RARE_FACTOR = 1.5

TABLE = "data/everyday_nl.tsv"


@lru_cache(maxsize=1)
def everyday_zipf() -> dict[str, float]:
    """Word → Zipf frequency, for the words of everyday Dutch (read once per process)."""
    text = importlib.resources.files("bot").joinpath(TABLE).read_text(encoding="utf-8")
    table: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            word, _, zipf = line.partition("\t")
            table[word] = float(zipf)
    return table


@lru_cache(maxsize=4)
def zipf_by_stem(stem: Callable[[str], str]) -> dict[str, float]:
    """Stem → the Zipf frequency of its commonest word ("vrag" is as common as "vragen")."""
    by_stem: dict[str, float] = {}
    for word, zipf in everyday_zipf().items():
        key = stem(word)
        if zipf > by_stem.get(key, 0.0):
            by_stem[key] = zipf
    return by_stem


def known_factor(zipf: float) -> float:
    """What a known word's weight is multiplied by."""
    if zipf <= EVERYDAY_FROM:
        return 1.0
    share = min(1.0, (zipf - EVERYDAY_FROM) / (EVERYDAY_FULL - EVERYDAY_FROM))
    return 1.0 - (1.0 - EVERYDAY_FLOOR) * share


def unknown_factor(zipf: float) -> float:
    """What an unknown word's weight is multiplied by; `zipf` is 0.0 for a word everyday
    Dutch does not have at all."""
    return RARE_FACTOR if zipf < RARE_BELOW else 1.0
