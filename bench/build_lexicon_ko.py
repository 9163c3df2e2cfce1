"""Rebuild matching/data/lexicon_ko_en.json: a Korean (Hangul) -> English organisation-word
lexicon mined from the lists' parallel names, with the same word-alignment model as the
Cyrillic one (IBM Model 1, bench/build_lexicon.py).

Hangul organisation names are written solid (조선백호무역회사), so the Hangul side of a pair
is every piece of two to four syllables of its words; English words that are the piece's
own romanisation (백호 / Paekho) are names, not translations, and are never written.

What the lists hold is small: the organisations with a Hangul name and an English one are
counted and printed (in the lists of 2026: 11, all in the EU Official Journal's DPRK
annex), so every pair is used (no held-out split: there is nothing to report on) and the
mined words are checked against the hand glossary (matching/data/glossary.json), which
the engine uses; the mined file records what the lists alone support.

    SCREENING_REAL_LISTS=../shared/data/lists .venv/bin/python bench/build_lexicon_ko.py
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from build_lexicon import Pairs, model1  # noqa: E402  (bench/, beside this file)

from matching.forms import token_key  # noqa: E402
from matching.glossary import glossary  # noqa: E402
from matching.hangul import romanize_hangul  # noqa: E402
from matching.lists import load_spec  # noqa: E402
from matching.model import Entity  # noqa: E402

OUT = ROOT / "matching" / "data" / "lexicon_ko_en.json"
HANGUL = re.compile(r"[\uac00-\ud7a3]+")
LATIN_WORD = re.compile(r"[a-z]+")
MIN_PAIRS = 2
MIN_PROB = 0.25
ITERATIONS = 10
PIECE = (2, 4)  # syllables per Hangul piece
NULL = "<null>"
STOP = frozenset(["of", "the", "and", "for", "in", "aliases"])


def _romanised_keys(piece: str) -> set[str]:
    return {token_key(v.replace(" ", "").replace("-", "").lower())
            for v in romanize_hangul(piece).values()}


def pair_words(entity: Entity) -> tuple[set[str], set[str]] | None:
    """(Hangul pieces, English words) of one organisation with both, else None."""
    names = [entity.name, *entity.aliases, *entity.weak_aliases]
    hangul = [w for n in names for w in HANGUL.findall(n)]
    latin = [n for n in names if not HANGUL.search(n)]
    if not hangul or not latin:
        return None
    pieces = {
        w[i:i + size]
        for w in hangul
        for size in range(PIECE[0], PIECE[1] + 1)
        for i in range(len(w) - size + 1)
    }
    english = {t for n in latin for t in LATIN_WORD.findall(n.lower())
               if len(t) > 1 and t not in STOP}
    return (pieces, english) if pieces and english else None


def mine(entities: Iterable[Entity]) -> tuple[dict[str, str], dict[str, int]]:
    """IBM Model 1 (EM, English given Hangul, with a NULL word); each piece keeps its most
    probable English word when p >= MIN_PROB, the word is linked to it (Viterbi) in >=
    MIN_PAIRS organisations and is not the piece's own romanisation."""
    pairs: Pairs = []
    for e in entities:
        found = pair_words(e)
        if found is not None:
            pairs.append(([*sorted(found[0]), NULL], sorted(found[1])))
    together, prob = model1(pairs, ITERATIONS)
    # Viterbi links: in each pair, each English word goes to its single most probable
    # piece, so overlapping pieces (무역 / 역회 / 강무) do not all claim "trading".
    # Overlapping pieces share their contexts, so the link goes by the Dice coefficient of
    # the two first (무역 is in every pair "trading" is in; 역회 misses 무역총회사), then
    # by the model's probability.
    seen: Counter[str] = Counter(x for pieces, english in pairs for x in {*pieces, *english})

    def dice(p: str, t: str) -> float:
        return 2 * together[(p, t)] / (seen[p] + seen[t]) if p != NULL else 0.0

    links: Counter[tuple[str, str]] = Counter()
    for pieces, english in pairs:
        for t in english:
            s = max(pieces, key=lambda p: (round(dice(p, t), 6), prob[(p, t)], -len(p), p))
            if s != NULL:
                links[(s, t)] += 1
    best: dict[str, tuple[float, str]] = {}
    for (s, t), n in links.items():
        p = prob[(s, t)]
        if n < MIN_PAIRS or p < MIN_PROB or token_key(t) in _romanised_keys(s):
            continue
        if p > best.get(s, (0.0, ""))[0]:
            best[s] = (p, t)
    words: dict[str, str] = {}
    for s, (_p, t) in sorted(best.items(), key=lambda kv: (len(kv[0]), kv[0])):
        # A piece that only repeats a shorter piece's word adds nothing (무역회 -> trading).
        if any(sub in words and words[sub] == t for sub in _subpieces(s)):
            continue
        words[s] = t
    return words, {"organisations": len(pairs), "pieces": len({s for s, _ in together})}


def _subpieces(piece: str) -> set[str]:
    return {piece[i:i + n] for n in range(PIECE[0], len(piece))
            for i in range(len(piece) - n + 1)}


def main() -> int:
    lists_dir = os.environ.get("SCREENING_REAL_LISTS", str(ROOT.parent / "shared/data/lists"))
    orgs = [e for lst in load_spec(lists_dir) for e in lst.entities
            if e.schema not in ("Person", "Vessel", "Airplane")]
    words, stats = mine(orgs)
    known = glossary().hangul
    agrees = {h: w for h, w in words.items() if h in known}
    OUT.write_text(
        json.dumps(
            {
                "_comment": "Hangul piece -> English word; rebuilt by bench/build_lexicon_ko.py "
                "from every organisation in the lists with a Hangul and an English name "
                "(too few for a held-out split). '_in_glossary' lists the mined pieces the "
                "hand glossary also has, with the glossary's concept.",
                "_stats": {**stats, "min_pairs": MIN_PAIRS, "min_prob": MIN_PROB,
                           "iterations": ITERATIONS, "piece_syllables": list(PIECE)},
                "_in_glossary": {h: " ".join(known[h]) for h in sorted(agrees)},
                "words": words,
            },
            ensure_ascii=False,
            indent=0,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"{stats['organisations']} organisations with Hangul and English names; "
          f"{len(words)} words mined ({len(agrees)} also in the hand glossary) -> {OUT}")
    for h, w in words.items():
        print(f"  {h} -> {w}" + (f"   (glossary: {' '.join(known[h])})" if h in known else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
