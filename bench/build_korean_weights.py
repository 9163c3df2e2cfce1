"""Rebuild matching/data/korean_syllable_weights.json from the shared Wikidata pairs.

    python bench/build_korean_weights.py [--pairs ../shared/data/translit/wd_korean_80.tsv]

Each English token whose Hangul label has 1-4 syllables and looks Korean
(`korean_looking`) is aligned syllable by syllable
with the spellings of matching/korean_spellings.py (every split the tables allow; a
token with no split is not a romanised Korean name: John, Robert). Each spelling of a
jamo is counted (weighted by the pair's frequency, shared between the splits). Only the
TRAIN split is used: a token is in the dev split when crc32(token) % 5 == 0 (bench/
eval_korean.py reports on that split only).

Weight of a spelling: 1.0 for the official systems (MR, DPRK, RR); otherwise its share
of the jamo's readings, r = count / (total + SMOOTH), scaled so that a share of FULL_SHARE
or more is a normal reading (1.0); customary spellings keep at least CUSTOM_FLOOR
(they are documented practice even where the pairs are sparse), merges (o for ㅜ)
at most MERGE_CAP: even when some labels show them, they are another syllable's letters.
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matching.korean import _COMMON_GIVEN, SURNAME_SYLLABLES_BY_FREQUENCY  # noqa: E402
from matching.korean_spellings import (  # noqa: E402
    FINAL_CLASS_OF_JAMO,
    FINALS,
    INITIALS,
    SYSTEMS,
    VOWELS,
)

SMOOTH = 5.0
FULL_SHARE = 0.05
CUSTOM_FLOOR = 0.85  # = matching.korean_syllables.CUSTOMARY: still alerts at 0.8
MERGE_CAP = 0.5  # another syllable's vowel or consonant is never a normal reading
OUT = ROOT / "matching" / "data" / "korean_syllable_weights.json"


def is_dev(token: str) -> bool:
    return zlib.crc32(token.encode("utf-8")) % 5 == 0


def jamo(syllable: str) -> tuple[int, int, str] | None:
    code = ord(syllable) - 0xAC00
    if not 0 <= code < 11172:
        return None
    return code // 588, (code % 588) // 28, FINAL_CLASS_OF_JAMO[code % 28]


_FOREIGN_LETTERS = frozenset("fqvxz")


# Syllables of Korean names (given-name syllables and surnames, matching.korean): most
# Japanese and Western names in Hangul use others (키, 토, 카, 스).
_NAME_SYLLABLES = frozenset(_COMMON_GIVEN + SURNAME_SYLLABLES_BY_FREQUENCY)


def korean_looking(token: str, hangul: list[str], sylls: list[tuple[int, int, str]]) -> bool:
    """Most Hangul labels are of foreign people (Mario, Dominic): keep only tokens that
    could be a romanised Korean name. Foreign-word orthography inserts ㅡ after a bare
    consonant (스, 트, 르) and Korean names almost never have such a syllable; letters no
    romanisation of Korean uses (f, q, v, x, z, a c outside ch) mark foreign names."""
    if not _FOREIGN_LETTERS.isdisjoint(token):
        return False
    if token.replace("ch", "").count("c"):
        return False
    if any(vow == 18 and not fin and ini != 11 for ini, vow, fin in sylls):
        return False
    return len(hangul) >= 2 and all(h in _NAME_SYLLABLES for h in hangul)


Use = tuple[str, str, str]  # (table, jamo id, spelling)


def splits(token: str, sylls: list[tuple[int, int, str]]) -> list[list[Use]]:
    out: list[list[Use]] = []

    def walk(pos: int, k: int, acc: list[Use]) -> None:
        if len(out) > 32:
            return
        if k == len(sylls):
            if pos == len(token):
                out.append(list(acc))
            return
        ini, vow, fin = sylls[k]
        for isp, _ in INITIALS[ini]:
            if not token.startswith(isp, pos):
                continue
            p1 = pos + len(isp)
            for vsp, _ in VOWELS[vow]:
                if not token.startswith(vsp, p1):
                    continue
                p2 = p1 + len(vsp)
                for fsp, _ in FINALS[fin]:
                    if token.startswith(fsp, p2):
                        walk(
                            p2 + len(fsp),
                            k + 1,
                            [*acc, ("i", str(ini), isp), ("v", str(vow), vsp), ("f", fin, fsp)],
                        )

    walk(0, 0, [])
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pairs", default=str(ROOT.parent / "shared/data/translit/wd_korean_80.tsv"))
    args = ap.parse_args()
    counts: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    used = 0
    for line in Path(args.pairs).read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 3 or is_dev(parts[0]):
            continue
        token, hangul, freq = parts[0].lower(), parts[1].split(), float(parts[2])
        sylls = [jamo(h) for h in hangul]
        if not 1 <= len(sylls) <= 4 or any(s is None for s in sylls) or not token.isalpha():
            continue
        if not korean_looking(token, hangul, [s for s in sylls if s is not None]):
            continue
        found = splits(token, [s for s in sylls if s is not None])
        if not found:
            continue
        used += 1
        share = freq / len(found)
        for split in found:
            for table, jid, sp in split:
                counts[(table, jid)][sp] += share
    tables = {"i": INITIALS, "v": VOWELS}
    out: dict[str, object] = {
        "_about": "Weights of Latin spellings per Hangul jamo; see bench/build_korean_weights.py",
        "_trained_on": f"{Path(args.pairs).name}, train split (crc32 % 5 != 0), {used} tokens",
    }
    for table in ("i", "v", "f"):
        rows: dict[str, dict[str, list[float]]] = {}
        ids = [str(n) for n in range(len(tables[table]))] if table in tables else list(FINALS)
        for jid in ids:
            spellings = tables[table][int(jid)] if table in tables else FINALS[jid]
            c = counts.get((table, jid), {})
            total = sum(c.values())
            row: dict[str, list[float]] = {}
            for sp, tag in spellings:
                n = c.get(sp, 0.0)
                share = n / (total + SMOOTH)
                w = min(1.0, share / FULL_SHARE)
                if tag in SYSTEMS:
                    w = 1.0
                elif tag == "cust":
                    w = max(w, CUSTOM_FLOOR)
                else:
                    w = min(w, MERGE_CAP)
                row[sp] = [round(w, 3), round(n, 1)]
            rows[jid] = row
        out[table] = rows
    OUT.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"{used} romanised Korean tokens used; wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
