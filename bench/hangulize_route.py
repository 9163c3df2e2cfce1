"""The other route for Russian names written in Hangul, measured beside the engine (issue 8).

The engine reads a Hangul word back into Latin letters (matching/hangul_foreign.py, learned
from the Wikidata pairs). The forward route transcribes each list name into Hangul and
compares in jamo space: here with hangulize 0.0.9 (PyPI, BSD, Heungsub Lee; its Russian
rules follow the official 외래어 표기법), which reads Cyrillic only, so only listed persons
with a Cyrillic name (their own, or that of an entry with the same Latin name on another
list) can be found this way (the coverage line says how many targets have one).
Jamo similarity: rapidfuzz's normalised Indel similarity over NFD jamo, per token, each
query token matched to its best unused list token, averaged over the query's tokens.

ROUTE_THRESHOLD was chosen on the DEV split (the lowest cut at which <= 1% of unlisted
Russians alert); the report split reuses it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from typing import Protocol

from rapidfuzz import fuzz, process

from matching.model import LoadedList

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
HANGUL = re.compile(r"[\uac00-\ud7a3]+")
ROUTE_THRESHOLD = 0.85
TOP_TOKENS = 40


class CaseLike(Protocol):
    category: str
    target: tuple[str, str] | None

    @property
    def query(self) -> object: ...


def available() -> bool:
    try:
        import hangulize  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def _hangulize(token: str) -> str:
    from hangulize import hangulize

    try:
        return "".join(HANGUL.findall(hangulize(token, "rus")))
    except Exception:  # its rules raise on odd input: such a token is unread
        return ""


def _jamo(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _flat(name: str) -> str:
    return "".join(sorted(t.lower() for t in re.split(r"[\s,.-]+", name) if t))


def _person_tokens(lists: Sequence[LoadedList]) -> dict[tuple[str, str], list[list[str]]]:
    """(list, source_id) -> each Cyrillic name of a listed person as Hangul jamo tokens.
    A person listed in Latin only (OFAC) borrows the Cyrillic names of an entry on another
    list that has one of its Latin names exactly (same words, any order): the party's
    original spelling, as the forward route would take it."""
    own: dict[tuple[str, str], list[str]] = {}
    by_latin: dict[str, set[str]] = {}
    latin_of: dict[tuple[str, str], set[str]] = {}
    for lst in lists:
        for e in lst.entities:
            if e.schema != "Person":
                continue
            key = (e.list, e.source_id)
            names = [nm for nm, _ in e.all_names()]
            cyr = [nm for nm in names if CYRILLIC.search(nm)]
            lat = {_flat(nm) for nm in names if nm.isascii()}
            own.setdefault(key, []).extend(cyr)
            latin_of.setdefault(key, set()).update(lat)
            for f in lat:
                by_latin.setdefault(f, set()).update(cyr)
    out: dict[tuple[str, str], list[list[str]]] = {}
    for key, cyr in own.items():
        names = set(cyr) | {c for f in latin_of[key] for c in by_latin.get(f, ())}
        for nm in sorted(names):
            toks = [_hangulize(t) for t in re.split(r"[\s,.]+", nm) if CYRILLIC.search(t)]
            jamo = [_jamo(t) for t in toks if t]
            if jamo:
                out.setdefault(key, []).append(jamo)
    return out


def _name_score(q: list[str], name: list[str], sim: dict[tuple[str, str], float]) -> float:
    free = list(name)
    total = 0.0
    for t in q:
        best, at = 0.0, -1
        for k, u in enumerate(free):
            s = sim.get((t, u), 0.0)
            if s > best:
                best, at = s, k
        if at >= 0:
            free.pop(at)
        total += best
    return total / len(q) if q else 0.0


def route_scores(
    lists: Sequence[LoadedList], cases: Sequence[CaseLike], categories: Sequence[str]
) -> tuple[dict[int, tuple[float, float]], int, int]:
    """(case index -> (target score, best score)) for the given categories, and how many
    positive targets have a Cyrillic name (coverage) out of how many."""
    names = _person_tokens(lists)
    vocab = sorted({t for ns in names.values() for n in ns for t in n})
    by_token: dict[str, set[tuple[str, str]]] = {}
    for owner, ns in names.items():
        for n in ns:
            for t in n:
                by_token.setdefault(t, set()).add(owner)
    out: dict[int, tuple[float, float]] = {}
    covered = total = 0
    for i, c in enumerate(cases):
        if c.category not in categories:
            continue
        qtext = str(getattr(c.query, "name", ""))
        q = [_jamo(t) for t in HANGUL.findall(qtext)]
        sim: dict[tuple[str, str], float] = {}
        owners: set[tuple[str, str]] = set()
        for t in q:
            for u, s, _ in process.extract(t, vocab, scorer=fuzz.ratio, limit=TOP_TOKENS):
                sim[(t, u)] = s / 100.0
                owners |= by_token[u]
        if c.target is not None:
            total += 1
            covered += c.target in names
        scores = {o: max(_name_score(q, n, sim) for n in names[o]) for o in owners}
        best = max(scores.values(), default=0.0)
        tgt = scores.get(c.target, 0.0) if c.target is not None else 0.0
        out[i] = (tgt, best)
    return out, covered, total
