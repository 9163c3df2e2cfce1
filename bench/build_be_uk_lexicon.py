"""Rebuild matching/data/lexicon_be_uk_ru.json: Belarusian and Ukrainian words -> the
Russian word they translate, so the mined lexicon and the general dictionary (both
Russian) reach Belarusian and Ukrainian organisation names (выбарчая камісія = избирательная
комиссия = election commission; лічбавага тэлебачання = цифрового телевидения = digital
television; виборча = избирательная).

Source: the bilingual dictionaries of Apertium's language pairs as Debian ships them
(packages apertium-bel-rus 0.2.1 and apertium-rus-ukr 0.2.1, GNU GPL 3 or later); their
compiled transducers are printed with lt-print (package lttoolbox-dev):

    apt-get install apertium-bel-rus apertium-rus-ukr lttoolbox-dev
    .venv/bin/python bench/build_be_uk_lexicon.py

Every path of the transducer is one lemma pair (лічбавы<adj> -> цифровой<adj>); nouns and
adjectives are kept. A word is keyed as the engine looks it up (its Russian-like spelling,
matching.lexicon._russianised, then matching.lexicon.lexicon_key: Snowball stem, +a for an
adjective), so inflected forms meet their lemma's key. Dropped: pairs whose key is the
Russian word's own key (the engine already finds those), pairs whose Russian word neither
the mined lexicon nor the general dictionary translates (of no use), keys given two Russian
words, and words that are also Russian words (pymorphy3 knows the Russian-like spelling): a
Russian name is never read through a Belarusian or Ukrainian entry. The nouns' dictionary
forms are listed, so that a noun in the nominative stays a name for the general dictionary,
as a Russian one does («Зорка»).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matching.glossary import translate_cyrillic  # noqa: E402
from matching.lexicon import (  # noqa: E402
    ADJECTIVE_MARK,
    _general,
    _lookup,
    _russianised,
    lexicon,
    lexicon_key,
)

OUT = ROOT / "matching" / "data" / "lexicon_be_uk_ru.json"
PAIRS = {
    "bel": Path("/usr/share/apertium/apertium-bel-rus/bel-rus.autobil.bin"),
    "ukr": Path("/usr/share/apertium/apertium-rus-ukr/ukr-rus.autobil.bin"),
}
# Input symbols kept: letters, apostrophes, hyphens, tags, epsilon. Digits and
# punctuation loop in the transducer (numbers, sentence ends) and are no words.
SYMBOL = re.compile(r"[\u0400-\u04ff'\u2019\-]|<[^>]+>|ε")
POS = ("<n>", "<adj>")
WORD = re.compile(r"^[а-яёіўїєґ'’\-]{4,}$")


def paths(att: str) -> list[tuple[str, str]]:
    """(input, output) of every path from state 0 to a final state of an ATT listing."""
    arcs: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    finals: set[int] = set()
    for line in att.splitlines():
        f = line.split("\t")
        if len(f) >= 4 and SYMBOL.fullmatch(f[2]):
            arcs[int(f[0])].append((int(f[1]), f[2].replace("ε", ""), f[3].replace("ε", "")))
        elif len(f) == 2 and f[0].isdigit():
            finals.add(int(f[0]))
    out = []
    stack = [(0, "", "")]
    while stack:
        s, i, o = stack.pop()
        if s in finals:
            out.append((i, o))
        for t, a, b in arcs[s]:
            stack.append((t, i + a, o + b))
    return out


def _lemma(analysis: str) -> tuple[str, str] | None:
    """(lemma, pos) of 'лічбавы<adj>' when it is a noun or an adjective."""
    m = re.match(r"^([^<]+)(<[^>]+>)", analysis)
    if m is None or m.group(2) not in POS:
        return None
    return m.group(1).lower(), m.group(2)


def _translatable(russian: str) -> bool:
    """True when the glossary, the mined lexicon or the general dictionary gives the
    Russian word an English one (the only use of an entry)."""
    key = lexicon_key(russian)
    general, _ = _general()
    return bool(_lookup(lexicon(), russian) or translate_cyrillic(russian)) or any(
        k in general for k in (key, key.removesuffix(ADJECTIVE_MARK)))


def build() -> tuple[dict[str, str], list[str]]:
    """(key -> Russian word, the nouns' dictionary forms in their Russian-like spelling)."""
    import pymorphy3

    morph = pymorphy3.MorphAnalyzer()
    found: dict[str, set[str]] = defaultdict(set)
    nominative: set[str] = set()
    for path in PAIRS.values():
        att = subprocess.run(["lt-print", str(path)], capture_output=True, text=True,
                             check=True).stdout
        for src, dst in paths(att):
            a, b = _lemma(src), _lemma(dst)
            if a is None or b is None or a[1] != b[1] or not WORD.match(a[0]):
                continue
            near = _russianised(a[0].replace("’", "'"))
            if morph.word_is_known(near):
                continue  # a Russian word too: its Russian reading stays
            key = lexicon_key(near).removesuffix(ADJECTIVE_MARK)
            if a[1] == "<adj>":
                key += ADJECTIVE_MARK
            ru_key = lexicon_key(b[0]).removesuffix(ADJECTIVE_MARK)
            if key.removesuffix(ADJECTIVE_MARK) != ru_key and _translatable(b[0]):
                found[key].add(b[0])
                if a[1] == "<n>":
                    nominative.add(near)
    # A key two Russian words share is ambiguous: kept only when one word is given.
    words = {k: next(iter(v)) for k, v in sorted(found.items()) if len(v) == 1}
    return words, sorted(nominative)


def main() -> int:
    words, nominative = build()
    OUT.write_text(json.dumps({
        "_comment": "Belarusian/Ukrainian key (Russian-like spelling, Snowball stem, +a: "
                    "adjective) -> Russian word; nominative: the nouns' dictionary forms; "
                    "from the bilingual dictionaries of Apertium's bel-rus and rus-ukr pairs "
                    "(Debian apertium-bel-rus, apertium-rus-ukr; GNU GPL 3 or later) by "
                    "bench/build_be_uk_lexicon.py.",
        "_stats": {"words": len(words)},
        "words": words,
        "nominative": nominative,
    }, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
