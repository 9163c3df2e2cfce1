"""Rebuild matching/data/lexicon_cyr_en.json: a Cyrillic -> English organisation-word
lexicon mined from the lists' parallel names (UK ConList, EU Official Journal and
OpenSanctions carry Russian/Ukrainian/Belarusian originals beside English names).

Model: each organisation with a Cyrillic and a Latin name is one sentence pair; words
are Snowball-stemmed on the Cyrillic side, adjectives marked apart from nouns
(matching.lexicon.lexicon_key). Transliterations stay in the model (they
explain their Latin word away) but are not written to the lexicon.
A word-alignment model (IBM Model 1, trained by EM) gives p(English word | stem); each
stem keeps its most probable English word (see mine()).

Only TRAIN entities are used (is_train: a stable hash of list and id, 80%); bench/
eval_alerts.py reports organisation recall on the other 20% (held-out entities).

    SCREENING_REAL_LISTS=../shared/data/lists .venv/bin/python bench/build_lexicon.py
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matching.cyrillic import romanize_cyrillic  # noqa: E402
from matching.forms import token_key  # noqa: E402
from matching.lexicon import lexicon_key  # noqa: E402
from matching.lists import load_spec  # noqa: E402
from matching.model import Entity  # noqa: E402
from matching.normalize import normalize_name  # noqa: E402

OUT = ROOT / "matching" / "data" / "lexicon_cyr_en.json"
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
MIN_PAIRS = 2
MIN_PROB = 0.25
MAX_WORDS = 2
SECOND_SHARE = 0.65
ITERATIONS = 10
NULL = "<null>"
DEV_SHARE = 5  # one entity in five is held out


def _digest(entity: Entity) -> bytes:
    return hashlib.sha256(f"{entity.list}\x00{entity.source_id}".encode()).digest()


def is_train(entity: Entity) -> bool:
    return _digest(entity)[0] % DEV_SHARE != 0


def held_out_split(entity: Entity) -> str:
    """'train' (the lexicon's), or one half of the held-out entities: 'dev' (what the
    matching is tuned on) or 'report' (what the figures are reported on)."""
    digest = _digest(entity)
    if digest[0] % DEV_SHARE != 0:
        return "train"
    return "dev" if digest[1] % 2 == 0 else "report"


def organisations(lists_dir: str) -> Iterable[Entity]:
    for lst in load_spec(lists_dir):
        for e in lst.entities:
            if e.schema not in ("Person", "Vessel", "Airplane"):
                yield e


def _words(name: str, schema: str) -> list[str]:
    return [t for t in normalize_name(name, schema).tokens if t.isalpha() and len(t) > 1]


def pair_words(entity: Entity) -> tuple[set[str], set[str], dict[str, set[str]]] | None:
    """(stems, English words, stem -> transliteration keys) of one organisation."""
    names = [entity.name, *entity.aliases]
    cyr = [n for n in names if CYRILLIC.search(n)]
    lat = [n for n in names if not CYRILLIC.search(n)]
    if not cyr or not lat:
        return None
    cyr_words = {w for n in cyr for w in _words(n, entity.schema) if CYRILLIC.search(w)}
    translit = {
        lexicon_key(w): {
            token_key(p) for v in romanize_cyrillic(w).values() for p in v.lower().split()
        }
        for w in cyr_words
    }
    english = {w for n in lat for w in _words(n, entity.schema) if w.isascii()}
    if not translit or not english:
        return None
    return set(translit), english, translit


Pairs = list[tuple[list[str], list[str]]]


def model1(
    pairs: Pairs, iterations: int = ITERATIONS
) -> tuple[Counter[tuple[str, str]], dict[tuple[str, str], float]]:
    """IBM Model 1 trained by EM over (source words, English words) pairs: how often each
    (source, English) pair was seen together, and p(English | source)."""
    together: Counter[tuple[str, str]] = Counter(
        (s, t) for source, english in pairs for s in source for t in english
    )
    prob: dict[tuple[str, str], float] = dict.fromkeys(together, 1.0)
    for _ in range(iterations):
        count: Counter[tuple[str, str]] = Counter()
        total: Counter[str] = Counter()
        for source, english in pairs:
            for t in english:
                z = sum(prob[(s, t)] for s in source)
                for s in source:
                    c = prob[(s, t)] / z
                    count[(s, t)] += c
                    total[s] += c
        prob = {k: count[k] / total[k[0]] for k in together}
    return together, prob


def mine(entities: Iterable[Entity]) -> tuple[dict[str, str], dict[str, int]]:
    """IBM Model 1 (EM, English given Cyrillic, with a NULL word) over the pairs; each
    stem keeps its most probable English word when p >= MIN_PROB and the two were seen
    together in >= MIN_PAIRS entities."""
    pairs: Pairs = []
    translit: dict[str, set[str]] = {}
    for e in entities:
        found = pair_words(e)
        if found is not None:
            pairs.append(([*sorted(found[0]), NULL], sorted(found[1])))
            for s, keys in found[2].items():
                translit.setdefault(s, set()).update(keys)
    together, prob = model1(pairs)
    best: dict[str, list[tuple[float, str]]] = {}
    for (s, t), p in prob.items():
        if s != NULL and together[(s, t)] >= MIN_PAIRS and p >= MIN_PROB:
            best.setdefault(s, []).append((p, t))
    words: dict[str, str] = {}
    for s, found in sorted(best.items()):
        # Up to MAX_WORDS English words per stem (высокоточн- -> high precision); a stem
        # aligned with its own transliteration (банк/bank) needs no entry: the romanised
        # forms already meet it.
        # A further word needs a probability near the first's: else it is the next word
        # of a compound (судостроительный завод = shipyard), not part of this one.
        ranked = sorted(found, reverse=True)[:MAX_WORDS]
        top = [t for p, t in ranked if p >= SECOND_SHARE * ranked[0][0]]
        if top and token_key(top[0]) not in translit[s]:
            words[s] = " ".join(t for t in top if token_key(t) not in translit[s])
    return words, {"entities": len(pairs), "stems": len({s for s, _ in together})}


def main() -> int:
    lists_dir = os.environ.get("SCREENING_REAL_LISTS", str(ROOT.parent / "shared/data/lists"))
    train = [e for e in organisations(lists_dir) if is_train(e)]
    words, stats = mine(train)
    OUT.write_text(
        json.dumps(
            {
                "_comment": "Snowball Russian stem (+a: of an adjective) -> English word(s); "
                "rebuilt by bench/build_lexicon.py from the TRAIN split (is_train) of the lists' "
                "organisations with Cyrillic and Latin names.",
                "_stats": {**stats, "min_pairs": MIN_PAIRS, "min_prob": MIN_PROB,
                           "iterations": ITERATIONS, "max_words": MAX_WORDS,
                           "second_share": SECOND_SHARE,
                           "dev_share": f"1/{DEV_SHARE}"},
                "words": words,
            },
            ensure_ascii=False,
            indent=0,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(words)} words from {stats['entities']} train organisations -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
