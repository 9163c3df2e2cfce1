"""Rebuild matching/data/lexicon_general_ru_en.json: general Russian -> English words from
an outside dictionary, for organisation words the lists never pair with a translation
(подшипник = bearing, доброволец = volunteer, казачий = Cossack).

Source: V. K. Mueller's English-Russian Dictionary, 7th edition (Moscow 1961), electronic
version by S. Starostin (1996) and E. S. Cymbalyuk (1999), GNU GPL 2 or later, as Debian's
package `mueller7-dict` ships it (dictd format). Get it with

    apt-get download mueller7-dict && dpkg-deb -x mueller7-dict_*.deb /tmp/mueller
    .venv/bin/python bench/build_general_lexicon.py /tmp/mueller/usr/share/dictd/mueller7.dict.dz

(or no argument once the package is installed), with SCREENING_REAL_LISTS set.

Inversion: every English headword (one word) gives the Russian translations of its
nouns and adjectives (_n., _a.) in sense order; a translation counts only when it is one
Cyrillic word standing alone between commas or semicolons (not an example phrase, which
holds Latin). A Russian word
has several English headwords (подшипник: bearing, pillow, box): it keeps the one with
the highest n / (sense number^3 x place in the sense), n being how many TRAIN-split
organisations of the lists write that word in a Latin name (the split the mined lexicon
learns from, bench/build_lexicon.is_train; the held-out entities the eval reports on are
never read): an early sense counts most, and among early senses the word organisations
use (самолёт: aircraft, not aeroplane or machine). When no candidate occurs there, the
earliest one (the lowest sense number, then place, then the headword with fewer senses,
then alphabetically). A noun in -ец also gets its oblique stem (доброволец,
добровольцев). Words are keyed as the engine looks them up
(matching.lexicon.lexicon_key: Snowball stem, adjectives marked).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from build_lexicon import is_train, organisations  # noqa: E402

from matching.lexicon import lexicon_key  # noqa: E402
from matching.normalize import normalize_name  # noqa: E402

OUT = ROOT / "matching" / "data" / "lexicon_general_ru_en.json"
DEFAULT_SOURCE = Path("/usr/share/dictd/mueller7.dict.dz")
HEADWORD = re.compile(r"^[A-Za-z][a-z]+(?:-[a-z]+)?$")  # co-operation is cooperation
CYR_WORD = re.compile(r"^[а-яё]{4,}$")
SENSE = re.compile(r"(?:^|\s)(?:\d+\.|\d+\)|_[IVX]+)\s*")
LABEL = re.compile(r"_[^\s.]+\.?")  # _тех. _n. _attr. _pl.
POS = re.compile(r"_(n|a|v|adv|prep|cj|pron|int|num|pres-p|p-p)\.")  # part of speech
PAREN = re.compile(r"\([^()]*\)")
MAX_SENSE = 14  # a word found only deeper in an entry is a rare sense of it
# Grammar words of the dictionary's own notes, never a translation.
SKIP = frozenset(["противоп", "тж", "см", "от", "часто", "особ", "мн", "ед"])


def entries(text: str) -> dict[str, str]:
    """English headword -> its body, for headwords of one lower-case word."""
    out: dict[str, str] = {}
    head: str | None = None
    body: list[str] = []
    for line in text.splitlines():
        if line[:1].strip():
            if head is not None:
                out.setdefault(head, " ".join(body))
            head = line.strip().lower().replace("-", "") if HEADWORD.match(line.strip()) else None
            body = []
        elif head is not None:
            body.append(line.strip())
    if head is not None:
        out.setdefault(head, " ".join(body))
    return out


def translations(body: str) -> list[tuple[int, int, str]]:
    """(sense number, place in the sense, Russian word) of one entry's single-word
    translations."""
    body = PAREN.sub(" ", re.sub(r"\[[^\]]*\]", " ", body))
    out: list[tuple[int, int, str]] = []
    senses = [s for s in SENSE.split(body) if s.strip()]
    pos = "n"
    for n, sense in enumerate(senses, 1):
        marks = POS.findall(sense)
        pos = marks[-1] if marks else pos
        if pos not in ("n", "a"):
            continue  # verbs, adverbs...: no organisation's word
        place = 0
        for clause in re.split(r"[;,]", LABEL.sub(" ", sense)):
            words = clause.split()
            if len(words) != 1 or re.search(r"[a-z]", clause, re.I):
                if re.search(r"[a-z]", clause, re.I):
                    break  # an example phrase: what follows explains it
                continue
            w = words[0].lower().strip(".!?:")
            if CYR_WORD.match(w) and w not in SKIP:
                place += 1
                out.append((n, place, w))
    return out


def train_words(lists_dir: str) -> Counter[str]:
    """English word -> how many TRAIN organisations write it in a Latin name."""
    seen: Counter[str] = Counter()
    for e in organisations(lists_dir):
        if is_train(e):
            seen.update({
                t for n in (e.name, *e.aliases) if n.isascii()
                for t in normalize_name(n, e.schema).tokens
            })
    return seen


def build(text: str, prior: Counter[str]) -> dict[str, str]:
    best: dict[str, tuple[tuple[float, int, int, int, str], str]] = {}
    for head, body in entries(text).items():
        found = translations(body)
        senses = max((n for n, _, _ in found), default=0)
        for n, place, ru in found:
            if n > MAX_SENSE:
                continue
            rank = (-prior[head] / (n**3 * place), n, place, senses, head)
            for key in _keys(ru):
                if key not in best or rank < best[key][0]:
                    best[key] = (rank, head)
    return {k: head for k, (_, head) in sorted(best.items())}


def lemmas(text: str) -> dict[str, str]:
    """Noun key -> its dictionary form (the nominative singular), so that the engine can
    leave a noun standing in that form alone: in an organisation's name such a noun is
    mostly its proper name («Квант», «Звезда»), while words that describe it are
    adjectives or dependants in another case (союз добровольцев)."""
    out: dict[str, str] = {}
    for body in entries(text).values():
        for _, _, ru in translations(body):
            key = lexicon_key(ru)
            if not key.endswith("+a"):
                out.setdefault(key, ru)
    return out


def _keys(word: str) -> set[str]:
    """Lookup keys of a dictionary word: its own, and for a noun in -ец its oblique
    stem, whose vowel drops (доброволец -> добровольца, отец -> отца)."""
    key = lexicon_key(word)
    if not key.endswith("+a") and set(word[len(key):]) - set("аеёиоуыэюяйь"):
        return set()  # the stemmer cut a consonant (уран -> ура): it would meet урал
    keys = {key}
    if word.endswith("ец") and len(word) > 4 and word[-3] not in "аеёиоуыэюяй":
        oblique = word[:-2] + ("ь" if word[-3] == "л" else "") + "ца"
        keys.add(lexicon_key(oblique))
    return keys


def main() -> int:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    with gzip.open(src, "rt", encoding="utf-8") as f:
        raw = f.read()
    lists_dir = os.environ.get("SCREENING_REAL_LISTS", str(ROOT.parent / "shared/data/lists"))
    words = build(raw, train_words(lists_dir))
    nominative = sorted({v for k, v in lemmas(raw).items() if k in words})
    OUT.write_text(json.dumps({
        "_comment": "Snowball Russian stem (+a: of an adjective) -> English word, inverted "
                    "from Mueller's English-Russian Dictionary (7th ed., 1961; electronic "
                    "version S. Starostin 1996, E. S. Cymbalyuk 1999; GNU GPL 2 or later; "
                    "Debian package mueller7-dict) by bench/build_general_lexicon.py.",
        "_stats": {"words": len(words), "max_sense": MAX_SENSE},
        "words": words,
        "nominative": nominative,
    }, ensure_ascii=False, indent=0, sort_keys=False) + "\n", "utf-8")
    print(f"{len(words)} words -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
