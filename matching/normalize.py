"""Turn raw names into clean token lists: case, quotes, punctuation, honorifics,
vessel prefixes and legal forms (across Russian, Ukrainian, Korean and English)."""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz.distance import OSA

# Quotes and apostrophes vanish (P'il -> pil, «Интеграл» -> интеграл); other punctuation splits.
_DROP = re.compile(r"[\"'`´‘’‚‛“”„‟«»‹›ʼʻʹ″′〈〉《》「」『』]")
_COMBINING = re.compile(r"[\u0300-\u036f]")
_SPLIT = re.compile(r"[^\w]+|_")
_KOREAN_PAREN_LEGAL = re.compile(r"\(\s*주\s*\)|㈜|\(\s*유\s*\)|㈲")


def _words(text: str) -> list[str]:
    return text.split()


HONORIFICS = frozenset(
    _words(
        "mr mrs ms miss mister dr doctor prof professor sir madam dame lord sheikh shaikh "
        "sheik haji hajji alhaji mullah maulana maulvi imam colonel col lieutenant lt admiral "
        "adm brigadier sgt rev reverend господин госпожа гражданин товарищ генерал полковник "
        "подполковник майор капитан лейтенант адмирал проф 씨 님 선생"
    )
)

_VESSEL_PREFIX = re.compile(
    r"^\s*(?:m\s*/\s*[vty]|m\.\s*[vty]\.?|mv|mt|my|ss|s\s*/\s*s|vessel|ship|tanker|"
    r"судно|теплоход|танкер|т/х|м/в)\b[\s.:]*",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _legal_table() -> dict[tuple[str, ...], str]:
    raw = json.loads(
        resources.files("matching").joinpath("data/legal_forms.json").read_text("utf-8")
    )
    table: dict[tuple[str, ...], str] = {}
    for code, phrases in raw.items():
        if code.startswith("_"):
            continue
        for phrase in phrases:
            toks = tuple(tokenize(phrase))
            if toks:
                table[toks] = code
    return table


@lru_cache(maxsize=1)
def _legal_starts() -> dict[str, int]:
    """First word of each legal-form phrase -> the longest phrase it starts."""
    out: dict[str, int] = {}
    for phrase in _legal_table():
        out[phrase[0]] = max(out.get(phrase[0], 0), len(phrase))
    return out


@lru_cache(maxsize=1)
def _legal_words() -> frozenset[str]:
    return frozenset(w for phrase in _legal_table() for w in phrase if len(w) >= 5)


@lru_cache(maxsize=65536)
def _legal_spellings(token: str) -> tuple[str, ...]:
    """The legal-form words a typo'd token may stand for ('limitde' -> 'limited'), else
    itself. Every candidate, in a fixed order: which one completes a phrase is decided
    by the phrase, never by set iteration order (that varied with PYTHONHASHSEED)."""
    if len(token) < 5 or token in _legal_words():
        return (token,)
    by_length = _legal_words_by_length()
    n = len(token)
    found = tuple(
        sorted(
            word
            for near in (n - 1, n, n + 1)
            for word in by_length.get(near, ())
            if OSA.distance(word, token, score_cutoff=1) <= 1
        )
    )
    return found or (token,)


@lru_cache(maxsize=1)
def _legal_words_by_length() -> dict[int, tuple[str, ...]]:
    """_legal_words by length: a word one edit away differs by one letter at most."""
    out: dict[int, list[str]] = {}
    for word in _legal_words():
        out.setdefault(len(word), []).append(word)
    return {n: tuple(words) for n, words in out.items()}


def clean(text: str) -> str:
    """NFKC, lower case, quotes dropped; keeps the script."""
    text = unicodedata.normalize("NFKC", text)
    # Stress marks (Вале́рий) survive NFKC as combining characters: drop them.
    text = _COMBINING.sub("", text)
    text = _KOREAN_PAREN_LEGAL.sub(" 주식회사 ", text)
    return _DROP.sub("", text).lower()


# Latin letters typed inside Cyrillic words ("Aкционерное Oбщество ‘Cаратовский"):
# read as the Cyrillic letters they look like.
_HOMOGLYPHS = str.maketrans("aceopxykmthbi", "асеорхукмтнві")
_CYR = re.compile(r"[\u0400-\u04ff]")
_LAT = re.compile(r"[a-z]")


def _homoglyphs(token: str, cyrillic_text: bool) -> str:
    if _LAT.search(token) and (_CYR.search(token) or (cyrillic_text and len(token) == 1)):
        return token.translate(_HOMOGLYPHS)
    return token


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens; hyphens, dots, commas and slashes separate tokens."""
    tokens = [t for t in _SPLIT.split(clean(text)) if t]
    if _CYR.search(text):
        # A lone Latin letter among Cyrillic words ("Общество C Ограниченной") is one too.
        cyrillic_text = len(_CYR.findall(text)) > 3 * len(_LAT.findall(text.lower()))
        tokens = [_homoglyphs(t, cyrillic_text) for t in tokens]
    return tokens


def strip_vessel_prefix(text: str) -> str:
    """'M/V LADY R' -> 'LADY R'; the name is kept whole when nothing would remain."""
    rest = _VESSEL_PREFIX.sub("", text, count=1)
    return rest if rest.strip() else text


def split_legal_forms(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Remove legal-form phrases anywhere in the name; returns (rest, canonical forms).
    If only legal forms would remain the tokens are kept (a company called 'AO')."""
    table = _legal_table()
    starts = _legal_starts()
    rest: list[str] = []
    forms: list[str] = []
    fixed = [_legal_spellings(t) for t in tokens]
    i = 0
    while i < len(tokens):
        # Only phrases that start with one of this token's spellings can match here.
        longest = max((starts.get(w, 0) for w in fixed[i]), default=0)
        for n in range(min(longest, len(tokens) - i), 0, -1):
            code = _phrase_code(table, fixed[i : i + n])
            if code is not None:
                forms.append(code)
                i += n
                break
        else:
            rest.append(tokens[i])
            i += 1
    if not rest:
        return list(tokens), []
    return rest, forms


def _phrase_code(
    table: dict[tuple[str, ...], str], spellings: list[tuple[str, ...]]
) -> str | None:
    if all(len(c) == 1 for c in spellings):
        return table.get(tuple(c[0] for c in spellings))
    for words in itertools.product(*spellings):
        code = table.get(words)
        if code is not None:
            return code
    return None


def strip_honorifics(tokens: list[str]) -> list[str]:
    rest = [t for t in tokens if t not in HONORIFICS]
    return rest or list(tokens)


# Function words of organisation names. "in" is missing on purpose: it is a Korean
# given-name syllable (KIM In Chol).
STOPWORDS = frozenset(
    [
        "of",
        "after",  # "named after" (имени)
        "the",
        "and",
        "for",
        "&",
        "и",
        "по",
        "для",
        "при",
        "de",
        "des",
        "du",
        "la",
        "le",
        "el",
        "al-",
    ]
)


def strip_stopwords(tokens: list[str]) -> list[str]:
    """Drop function words inside names of three tokens or more, never the first token
    (but a leading English article: "The Investigative Committee")."""
    if len(tokens) < 3:
        return tokens
    if tokens[0] == "the":
        tokens = tokens[1:]
    rest = tokens[:1] + [t for t in tokens[1:] if t not in STOPWORDS]
    return rest


@dataclass(frozen=True, slots=True)
class NameParts:
    tokens: tuple[str, ...]
    legal_forms: tuple[str, ...]


def normalize_name(text: str, schema: str | None = None) -> NameParts:
    """Clean tokens of one name. Legal forms are kept for persons (a person is never 'AO');
    honorifics are dropped unless the name is an organisation's; vessel prefixes for vessels
    and unknown schemas."""
    if schema in (None, "Vessel"):
        text = strip_vessel_prefix(text)
    tokens = tokenize(text)
    forms: list[str] = []
    if schema != "Person":
        tokens, forms = split_legal_forms(tokens)
    if schema in (None, "Person"):
        tokens = strip_honorifics(tokens)
    if schema != "Person":
        tokens = strip_stopwords(tokens)
    return NameParts(tuple(tokens), tuple(forms))
