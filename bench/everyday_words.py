"""Regenerate `bot/data/everyday_nl.tsv`: how common each Dutch word is in everyday language.

Not a benchmark: the search weighs a question's words by it (`bot/knowledge/commonness.py`),
and this script is how the table is made. It needs wordfreq (`pip install 'wordfreq>=3.1,<4'`),
which the bot itself does not: the table is small, the library's data is 57 MB.

    python bench/everyday_words.py            # writes the table
    python bench/everyday_words.py --check    # exits 1 when the table is not what it makes

The figures are Zipf frequencies (log10 of occurrences per billion words; 6 is "de"-like
common, 3 is rare); only words of at least MIN_ZIPF are kept, as the search treats rarer
words alike. The words from 3 to 3.5 are there so that rarer real words (financier, beoordeelt)
are no typos of the entries' words; the band holds some English and interjections too.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TABLE = REPO / "bot" / "data" / "everyday_nl.tsv"
MIN_ZIPF = 3.0
HEADER = (
    "# Zipf frequency of Dutch words, from wordfreq {version} (https://github.com/rspeer/wordfreq),\n"
    "# whose data is licensed CC BY-SA 4.0 (see LICENSE-wordfreq); regenerate with\n"
    "# `python bench/everyday_words.py`. Words of Zipf {min_zipf} and up, folded to a-z.\n"
)


def table() -> str:
    import importlib.metadata
    import unicodedata

    import wordfreq

    best: dict[str, float] = {}
    for word in wordfreq.get_frequency_dict("nl"):
        zipf = wordfreq.zipf_frequency(word, "nl")
        if zipf < MIN_ZIPF:
            break  # the list is in order of frequency
        folded = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()
        if folded.isalpha() and folded.isascii():
            best[folded] = max(best.get(folded, 0.0), zipf)
    lines = [f"{word}\t{zipf:.2f}" for word, zipf in sorted(best.items())]
    version = importlib.metadata.version("wordfreq")
    header = HEADER.format(version=version, min_zipf=MIN_ZIPF)
    return header + "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    made = table()
    if args.check:
        same = TABLE.exists() and TABLE.read_text(encoding="utf-8") == made
        print("up to date" if same else f"{TABLE} differs from what wordfreq gives")
        sys.exit(0 if same else 1)
    TABLE.write_text(made, encoding="utf-8")
    print(f"{TABLE}: {sum(not line.startswith('#') for line in made.splitlines())} words")


if __name__ == "__main__":
    main()
