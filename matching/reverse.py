"""Reverse screening helpers: blocking keys shared by a record and a list entity, and a
fingerprint of what a list publishes about an entity.

Monitored records are indexed under the romanisation-insensitive token keys of every
form a query would get (`build_forms(query=True)`), their Korean name keys and their
identifiers. An added or changed list entity looks up the keys of its list-side forms:
a record that could score on a token alignment shares at least one exact key with it.
The candidates are then screened forwards by the ordinary engine, so an alert scores
exactly as a job would.

A foreign name written in Hangul (코즐로프 세르게이, 레이디 알) is indexed under the learned
Latin readings of `matching.hangul_foreign` (its "foreign" forms), and also under a
Hangul-folded key of each reading: Korean orthography writes r and l alike (ㄹ), b and v
(ㅂ), p and f (ㅍ), and vowels drift (레이디 is read "redi", listed LADY), so the fold
merges those letters and drops vowels (lady, redi -> rd). Only Hangul-written records
carry folded keys, so their postings stay small; every list token is looked up by its
fold too.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from matching.features import normalize_identifier
from matching.forms import KoreanKey, build_forms, token_key
from matching.hangul_foreign import readings as foreign_readings
from matching.model import Entity, Query

MIN_KEY_LENGTH = 2  # one-letter keys (initials) identify nobody
# A Hangul-written word's readings a record is indexed under: deeper than the query's
# search forms, which also reach a listed spelling by trigram similarity (인텔렉트 reads
# intelexant first, INTELLEKT fifth).
BLOCK_READINGS = 5
MIN_SKELETON_TOKEN = 5  # shorter tokens' consonant skeletons collide too much to block on
_VOWELS = frozenset("aeiouy")


def skeleton(key: str) -> str | None:
    """Consonants of a token key, doubles collapsed (kirilov, krylov -> krlv): lets a
    misspelt or differently spelt token still meet its listed form during blocking."""
    if len(key) < MIN_SKELETON_TOKEN or not key.isascii() or not key.isalpha():
        return None
    out: list[str] = []
    for ch in key:
        if ch not in _VOWELS and (not out or out[-1] != ch):
            out.append(ch)
    return "s:" + "".join(out) if len(out) >= 3 else None


_HANGUL_FOLD = str.maketrans({"l": "r", "v": "b", "f": "p"})


def hangul_fold(key: str) -> str | None:
    """What a token keeps once written in Hangul and read back: r=l, b=v, p=f, no vowels
    (lady, redi -> h:rd; kozlov, kosrop -> h:kzrb, h:ksrp)."""
    if not key.isascii() or not key.isalpha():
        return None
    out: list[str] = []
    for ch in key.translate(_HANGUL_FOLD):
        if ch not in _VOWELS and (not out or out[-1] != ch):
            out.append(ch)
    return "h:" + "".join(out) if len(out) >= MIN_KEY_LENGTH else None


def _token_keys(key: str, fold: bool = False) -> tuple[str, ...]:
    keys = ["t:" + key]
    if sk := skeleton(key):
        keys.append(sk)
    if fold and (hf := hangul_fold(key)):
        keys.append(hf)
    return tuple(keys)


def _korean(key: KoreanKey) -> str:
    return "k:" + key[0] + "|" + "-".join(key[1])


def _ident(value: str) -> str | None:
    norm = normalize_identifier(value)
    return "i:" + norm if len(norm) >= 5 else None


def record_keys(query: Query) -> set[str]:
    """Every blocking key of a record (as the engine would read it as a query)."""
    nf = build_forms(query.name, query.schema, query=True)
    keys = {t for f in nf.forms for k in f.keys if len(k) >= MIN_KEY_LENGTH
            for t in _token_keys(k, fold=f.scheme.startswith("foreign"))}
    words = {t for f in nf.forms if f.scheme.startswith("foreign") for t in f.tokens}
    for word in words:
        for reading, _ in foreign_readings(word, BLOCK_READINGS):
            if len(key := token_key(reading)) >= MIN_KEY_LENGTH:
                keys.update(_token_keys(key, fold=True))
    keys.update(_korean(k) for k in nf.korean)
    keys.update(i for v in query.identifiers if (i := _ident(v)))
    return keys


@dataclass(frozen=True, slots=True)
class EntityKeys:
    """What to look up for one entity: per name form, per token, its keys (a record must
    share a rare key, or common keys of two different tokens of one form), plus exact
    Korean and identifier keys."""

    forms: tuple[tuple[tuple[str, ...], ...], ...]
    exact: tuple[str, ...]


def entity_keys(entity: Entity) -> EntityKeys:
    forms: dict[tuple[tuple[str, ...], ...], None] = {}
    exact: dict[str, None] = {}
    for text, _quality in entity.all_names():
        if not text or not text.strip():
            continue
        nf = build_forms(text, entity.schema, query=False)
        for f in nf.forms:
            keys = tuple(_token_keys(k, fold=True) for k in dict.fromkeys(f.keys)
                         if len(k) >= MIN_KEY_LENGTH)
            if keys:
                forms[keys] = None
        for k in nf.korean:
            exact[_korean(k)] = None
    for ident in entity.identifiers:
        if i := _ident(ident.value):
            exact[i] = None
    return EntityKeys(tuple(forms), tuple(exact))


def entity_fingerprint(entity: Entity) -> str:
    """Changes when anything the engine scores on changes: names, schema, birth dates,
    countries, gender, identifiers (programmes and reasons do not move a score)."""
    data = [
        entity.schema,
        sorted(entity.all_names()),
        sorted(entity.birth_dates),
        sorted(entity.countries),
        entity.gender,
        sorted((i.kind, i.value) for i in entity.identifiers),
    ]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:16]
