"""Words that recur in sanctioned organisations' names, Russian/Ukrainian <-> English and
Korean <-> English, so that a translated name (Главное разведывательное управление,
"Main Intelligence Directorate") can meet its original.

Every word maps to a concept written as canonical English tokens ("general bureau").
Hangul words mined from the lists (matching/data/lexicon_ko_en.json) fill in where the
hand entries have none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Glossary:
    latin: dict[str, tuple[str, ...]]
    cyrillic_exact: dict[str, tuple[str, ...]]
    cyrillic_stems: tuple[tuple[str, tuple[str, ...]], ...]  # longest stem first
    hangul: dict[str, tuple[str, ...]]
    hangul_max: int
    concepts: frozenset[str]
    # concept -> concepts that are part of it when they follow it (railways: roads)
    absorbs: dict[tuple[str, ...], frozenset[tuple[str, ...]]] = field(default_factory=dict)


@lru_cache(maxsize=1)
def glossary() -> Glossary:
    raw = json.loads(resources.files("matching").joinpath("data/glossary.json").read_text("utf-8"))
    latin: dict[str, tuple[str, ...]] = {}
    cyr: dict[str, tuple[str, ...]] = {}
    stems: list[tuple[str, tuple[str, ...]]] = []
    hangul: dict[str, tuple[str, ...]] = {}
    concepts: set[str] = set()
    for concept, words in raw.items():
        if concept.startswith("_"):
            continue
        target = tuple(concept.split())
        concepts.update(target)
        for w in target:
            latin.setdefault(w, (w,))
        for w in words.get("latin", []):
            latin.setdefault(w, target)
        for w in words.get("cyrillic", []):
            if w.endswith("*"):
                stems.append((w[:-1], target))
            else:
                cyr[w] = target
        for w in words.get("hangul", []):
            hangul[w] = target
    # Hangul words mined from the lists' parallel names (bench/build_lexicon_ko.py) fill
    # in where the hand glossary has no entry; the glossary's own reading wins.
    mined = json.loads(
        resources.files("matching").joinpath("data/lexicon_ko_en.json").read_text("utf-8")
    )
    for w, english in mined["words"].items():
        if w not in hangul:
            target = tuple(canonical_latin_of(latin, t) for t in english.split())
            hangul[w] = target
            concepts.update(target)
    stems.sort(key=lambda s: -len(s[0]))
    return Glossary(
        latin=latin,
        cyrillic_exact=cyr,
        cyrillic_stems=tuple(stems),
        hangul=hangul,
        hangul_max=max((len(w) for w in hangul), default=1),
        concepts=frozenset(concepts),
        absorbs={
            tuple(k.split()): frozenset(tuple(v.split()) for v in vs)
            for k, vs in raw.get("_absorbs", {}).items()
        },
    )


def canonical_latin_of(latin: dict[str, tuple[str, ...]], token: str) -> str:
    """The concept word an English word stands for in `latin` (corporation: itself)."""
    found = latin.get(token, (token,))
    return found[0] if len(found) == 1 else token


def absorbed(previous: tuple[str, ...] | None, concept: tuple[str, ...]) -> bool:
    """True if `concept` right after `previous` is part of it (железные дороги)."""
    return previous is not None and concept in glossary().absorbs.get(previous, frozenset())


def is_concept(token: str) -> bool:
    """True for canonical glossary words (bank, trading...): common, never distinctive alone."""
    return token in glossary().concepts


@lru_cache(maxsize=65536)
def canonical_latin(token: str) -> tuple[str, ...]:
    """English variant or Latin transliteration -> canonical concept tokens ('banking' -> bank)."""
    return glossary().latin.get(token, (token,))


@lru_cache(maxsize=65536)
def translate_cyrillic(token: str) -> tuple[str, ...] | None:
    """A lower-case Cyrillic word -> its concept, by exact form or stem; None if unknown."""
    g = glossary()
    token = token.replace("ё", "е")
    hit = g.cyrillic_exact.get(token)
    if hit is not None:
        return hit
    for stem, target in g.cyrillic_stems:
        if token.startswith(stem):
            return target
    return None


@lru_cache(maxsize=65536)
def segment_hangul(token: str) -> tuple[tuple[str, tuple[str, ...] | None], ...]:
    """Split a Hangul compound into (piece, concept-or-None): 조선광선은행 ->
    (조선, korea), (광선, None), (은행, bank). Words of two or more syllables are found
    anywhere (longest first); one-syllable words (사, 국, 부...) only as the suffix of a
    word of four syllables or more, since they are common syllables of names (전지부)."""
    g = glossary()
    out: list[tuple[str, tuple[str, ...] | None]] = []
    buf = ""
    i = 0
    n = len(token)
    while i < n:
        found = None
        for size in range(min(g.hangul_max, n - i), 1, -1):
            piece = token[i : i + size]
            if piece in g.hangul:
                found = piece
                break
        if found is None and i == n - 1 and n >= 4 and token[i] in g.hangul:
            found = token[i]
        if found is None:
            buf += token[i]
            i += 1
            continue
        if buf:
            out.append((buf, None))
            buf = ""
        out.append((found, g.hangul[found]))
        i += len(found)
    if buf:
        out.append((buf, None))
    return tuple(out)
