"""Comparable forms of one name: every romanisation a list or passport might use,
plus a glossary-translated form for organisation names, all as canonical Latin tokens
with romanisation-insensitive keys."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from unidecode import unidecode

from matching.cyrillic import fold_latin, romanize_cyrillic
from matching.glossary import canonical_latin, segment_hangul, translate_cyrillic
from matching.hangul import romanize_hangul
from matching.korean import korean_name_key, korean_surname_key
from matching.normalize import normalize_name, split_legal_forms
from matching.scripts import primary_script

KoreanKey = tuple[str, tuple[str, ...]]

# Lists keep one romanisation per foreign-script name: keys fold the rest together.
LIST_CYRILLIC_SCHEME = "icao"
LIST_HANGUL_SCHEME = "mr"


@dataclass(frozen=True, slots=True)
class Form:
    text: str  # the romanised/translated text this form stands for
    script: str  # script of the original name
    scheme: str  # "original", a romanisation scheme, or "glossary+<scheme>"
    tokens: tuple[str, ...]  # canonical Latin tokens
    keys: tuple[str, ...]  # romanisation-insensitive key of each token


@dataclass(frozen=True, slots=True)
class NameForms:
    name: str
    script: str
    forms: tuple[Form, ...]
    korean: tuple[KoreanKey, ...]  # readings as a Korean personal name (query: both orders)
    legal_forms: tuple[str, ...]


_MARKS = str.maketrans("", "", "’ʹʺʼ'`´")


@lru_cache(maxsize=262144)
def token_key(token: str) -> str:
    """Romanisation-insensitive key of a Latin token (Sergey/Sergei/Sergej -> one key)."""
    if token_script(token) != "latin":
        return token
    key = fold_latin(token) if token.isalpha() else ""
    return key or unidecode(token)


@lru_cache(maxsize=65536)
def token_script(token: str) -> str:
    for ch in token:
        o = ord(ch)
        if 0x400 <= o <= 0x52F:
            return "cyrillic"
        if 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
            return "hangul"
    return "latin"


@lru_cache(maxsize=65536)
def _cyr(token: str) -> dict[str, str]:
    return romanize_cyrillic(token)


@lru_cache(maxsize=65536)
def _hangul(token: str) -> dict[str, str]:
    return romanize_hangul(token)


def _romanized(token: str, script: str, scheme: str | None, joined: bool) -> list[str]:
    variants = _cyr(token) if script == "cyrillic" else _hangul(token)
    text = variants.get(scheme or "", "") or next(iter(variants.values()), token)
    parts = [p for p in text.replace("-", " ").replace("'", "").split() if p]
    if joined and script == "hangul":
        return ["".join(parts)]
    return parts


def _finish(raw: list[str], schema: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    tokens: list[str] = []
    for t in raw:
        t = t.lower().translate(_MARKS)
        if not t:
            continue
        if t.isascii():
            tokens.extend(canonical_latin(t))
        else:
            tokens.append(t)
    if schema != "Person":
        tokens, _ = split_legal_forms(tokens)
    return tuple(tokens), tuple(token_key(t) for t in tokens)


def build_forms(name: str, schema: str | None = None, *, query: bool = True) -> NameForms:
    """All forms of `name`. Queries get every romanisation scheme; list names one per
    script (the keys make the schemes equivalent) plus their glossary translation."""
    parts = normalize_name(name, schema)
    toks = list(parts.tokens)
    scripts = [token_script(t) for t in toks]
    script = primary_script(name)
    foreign = [t for t, s in zip(toks, scripts, strict=True) if s != "latin"]
    variants: list[tuple[str, list[str]]] = []
    org = schema not in (None, "Person")
    if not foreign:
        variants.append(("original", toks))
    else:
        sample = foreign[0]
        s0 = token_script(sample)
        table = _cyr(sample) if s0 == "cyrillic" else _hangul(sample)
        if query:
            schemes: list[str] = list(table)
        else:
            schemes = [LIST_CYRILLIC_SCHEME if s0 == "cyrillic" else LIST_HANGUL_SCHEME]
        # Joined syllables ("kwangson") for organisation-like Hangul only: a joined
        # personal name ("kimjongun") only creates false neighbours.
        long_hangul = any(s == "hangul" and len(t) >= 4 for t, s in zip(toks, scripts, strict=True))
        joins = (False, True) if org or (schema is None and long_hangul) else (False,)
        for scheme in schemes:
            for joined in joins:
                out: list[str] = []
                for t, s in zip(toks, scripts, strict=True):
                    out.extend(
                        [t]
                        if s == "latin"
                        else _romanized(t, s, scheme if s == s0 else None, joined)
                    )
                variants.append((scheme + ("+joined" if joined else ""), out))
        if schema != "Person":
            variants.extend(_glossary_variants(toks, scripts, schemes if query else schemes[:1]))
    forms: list[Form] = []
    seen: set[tuple[str, ...]] = set()
    for scheme, raw in variants:
        tokens, keys = _finish(raw, schema)
        if not tokens or keys in seen:
            continue
        seen.add(keys)
        forms.append(Form(" ".join(tokens), script, scheme, tokens, keys))
    korean: tuple[KoreanKey, ...] = ()
    if schema in (None, "Person") and len(toks) <= 5:
        korean = _korean_keys(name, forms, both_orders=query)
    return NameForms(name, script, tuple(forms), korean, parts.legal_forms)


def _glossary_variants(
    toks: list[str], scripts: list[str], schemes: list[str]
) -> list[tuple[str, list[str]]]:
    hit = False
    out: list[tuple[str, list[str]]] = []
    for scheme in schemes:
        raw: list[str] = []
        for t, s in zip(toks, scripts, strict=True):
            if s == "cyrillic":
                concept = translate_cyrillic(t)
                if concept:
                    hit = True
                    raw.extend(concept)
                else:
                    raw.extend(_romanized(t, s, scheme, False))
            elif s == "hangul":
                for piece, concept in segment_hangul(t):
                    if concept:
                        hit = True
                        raw.extend(concept)
                    else:
                        raw.extend(_romanized(piece, s, scheme, True))
            else:
                raw.append(t)
        out.append(("glossary+" + scheme, raw))
    return out if hit else []


def _korean_keys(name: str, forms: list[Form], *, both_orders: bool) -> tuple[KoreanKey, ...]:
    """Korean name keys of `name`; with both_orders also the Western order
    ("Yeong-hyuk Lim" read as LIM, Yeong Hyuk)."""
    texts = [name]
    if forms and forms[0].script == "hangul":
        texts = [forms[0].text]
    if both_orders:
        words = texts[0].replace(",", " ").split()
        if len(words) >= 2 and "," not in texts[0] and korean_surname_key(words[-1]):
            texts.append(f"{words[-1]}, {' '.join(words[:-1])}")
    keys: list[KoreanKey] = []
    for text in texts:
        try:
            key = korean_name_key(text)
        except (ValueError, KeyError):
            key = None
        if key is not None and key not in keys:
            keys.append(key)
    return tuple(keys)
