"""Russian/Ukrainian/Belarusian -> English organisation words, mined from the lists' own
parallel names (bench/build_lexicon.py rebuilds matching/data/lexicon_cyr_en.json).
Words are looked up by their Snowball Russian stem, so inflected forms meet one entry
(московский, московского -> moscow; Москвы -> moscow), adjectives apart from nouns."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

import snowballstemmer

from matching.glossary import is_concept, translate_cyrillic

DATA = "data/lexicon_cyr_en.json"


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("russian")


@lru_cache(maxsize=262144)
def stem(word: str) -> str:
    """Snowball Russian stem of a lower-case Cyrillic word (ё read as е)."""
    return str(_stemmer().stemWord(word.replace("ё", "е")))


_ADJECTIVE = ("ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ого", "его", "ому",
              "ему", "ым", "им", "ых", "их", "ую", "юю", "ыми", "ими")
ADJECTIVE_MARK = "+a"


def lexicon_key(word: str) -> str:
    """The lexicon's key of a lower-case Cyrillic word: its stem, marked when the word
    reads as an adjective, since an adjective and its noun often share a stem with
    different translations (объединённая = united, объединение = association)."""
    s = stem(word)
    w = word.replace("ё", "е")
    if w.endswith(_ADJECTIVE) and not (w.endswith("ие") and w[-3:-2] in "нт"):
        return s + ADJECTIVE_MARK
    return s


@lru_cache(maxsize=1)
def lexicon() -> dict[str, tuple[str, ...]]:
    raw = json.loads(resources.files("matching").joinpath(DATA).read_text("utf-8"))
    return {k: tuple(v.split()) for k, v in raw["words"].items()}


_BE_LETTERS = str.maketrans({"і": "и", "ў": "в", "ї": "и", "є": "е", "ґ": "г"})
# Belarusian adjective endings -> the Russian ones the Snowball stemmer knows.
_BE_ENDINGS = (("ыя", "ые"), ("ая", "ая"), ("ае", "ое"), ("ага", "ого"), ("ых", "ых"))


def _russianised(word: str) -> str:
    """A Belarusian or Ukrainian spelling brought near the Russian one, for lookup only
    (цэнтральная -> центральная, беспілотныя -> беспилотные, унітарнае -> унитарное)."""
    w = word.translate(_BE_LETTERS)
    w = w[:1] + w[1:].replace("э", "е")
    for be, ru in _BE_ENDINGS:
        if w.endswith(be):
            return w[: -len(be)] + ru
    return w


@lru_cache(maxsize=65536)
def translate_word(word: str) -> tuple[str, ...] | None:
    """English tokens for a Cyrillic organisation word, or None when unknown; a word the
    lexicon lacks is tried again in its Russian-like spelling (Belarusian, Ukrainian)."""
    table = lexicon()
    found = _lookup(table, word)
    if found is None:
        alt = _russianised(word)
        if alt != word:
            found = _lookup(table, alt)
    if found is None and (russian := _be_uk_russian(word)) is not None:
        # лічбавага = цифрового = digital; тэлебачання = телевидения = television
        found = _lookup(table, russian) or translate_cyrillic(russian)
    if found and len(word) <= ACRONYM_MAX and not all(
        len(t) <= ACRONYM_MAX + 1 or is_concept(t) for t in found
    ):
        # A short word is often an acronym: it translates into an acronym (ЧВК = PMC) or
        # a known organisation word (сил = forces); anything else is a name its few pairs
        # happened to share (СМТ -> "ilogic", ЦС -> "zvyozdochka").
        return None
    return found


ACRONYM_MAX = 3


def _lookup(table: dict[str, tuple[str, ...]], word: str) -> tuple[str, ...] | None:
    """An adjective's own entry, else its stem's (a stem seen only as a noun)."""
    key = lexicon_key(word)
    found = table.get(key)
    if found is None and key.endswith(ADJECTIVE_MARK):
        found = table.get(key[: -len(ADJECTIVE_MARK)])
    return found


GENERAL = "data/lexicon_general_ru_en.json"
GENERAL_MIN = 5  # letters a word needs (a shorter one is often an acronym or a name part)
GENERAL_STEM_MIN = 5  # letters its stem needs (медиа and медь share мед)
# Adjective suffixes a relational adjective adds to its noun's stem (подшипник ->
# подшипниковый): tried when the adjective has no entry of its own.
_RELATIONAL = ("ов", "ев")


@lru_cache(maxsize=1)
def _general() -> tuple[dict[str, str], frozenset[str]]:
    """(key -> English word, the nouns' dictionary forms)."""
    raw = json.loads(resources.files("matching").joinpath(GENERAL).read_text("utf-8"))
    return dict(raw["words"]), frozenset(raw["nominative"])


@lru_cache(maxsize=65536)
def translate_general(word: str) -> str | None:
    """An English word for a Cyrillic word from a general dictionary (Mueller's; bench/
    build_general_lexicon.py), for organisation words the lists never pair with a
    translation (подшипниковый = bearing, добровольцев = volunteers); None when the
    dictionary lacks it, the word is short (a short word is often an acronym or a name
    part) or a noun in its dictionary form (a proper name: «Квант»)."""
    if len(word) < GENERAL_MIN:
        return None
    table, nominative = _general()
    word = _russianised(word)
    if word.replace("ё", "е") in nominative:
        # A noun in its dictionary form is mostly the name itself («Квант», «Звезда»);
        # the words that describe an organisation are adjectives or other cases.
        return None
    key = lexicon_key(word)
    if len(key.removesuffix(ADJECTIVE_MARK)) < GENERAL_STEM_MIN:
        return None  # short stems meet other words' (медиа and медь share мед)
    found = table.get(key) or table.get(key.removesuffix(ADJECTIVE_MARK))
    if found is None and key.endswith(ADJECTIVE_MARK):
        stem_ = key.removesuffix(ADJECTIVE_MARK)
        for suffix in _RELATIONAL:
            if stem_.endswith(suffix) and len(stem_) - len(suffix) >= GENERAL_MIN - 1:
                found = table.get(stem_[: -len(suffix)])
                if found is not None:
                    break
    # A Belarusian or Ukrainian noun in the nominative stays a name, as above.
    russian = _be_uk_russian(word) if found is None and word not in _be_uk()[1] else None
    if russian is not None:
        key = lexicon_key(russian)
        found = table.get(key) or table.get(key.removesuffix(ADJECTIVE_MARK))
    return found


BE_UK = "data/lexicon_be_uk_ru.json"


@lru_cache(maxsize=1)
def _be_uk() -> tuple[dict[str, str], frozenset[str]]:
    """(Belarusian/Ukrainian key -> Russian word, the nouns' dictionary forms), from
    Apertium's bilingual dictionaries (bench/build_be_uk_lexicon.py)."""
    raw = json.loads(resources.files("matching").joinpath(BE_UK).read_text("utf-8"))
    return dict(raw["words"]), frozenset(raw["nominative"])


def _be_uk_russian(word: str) -> str | None:
    """The Russian word a Belarusian or Ukrainian word translates (лічбавага -> цифровой),
    for a word the Russian tables lack; None when unknown."""
    table = _be_uk()[0]
    key = lexicon_key(_russianised(word))
    found = table.get(key)
    if found is None and key.endswith(ADJECTIVE_MARK):
        found = table.get(key.removesuffix(ADJECTIVE_MARK))
    return found


LOAN_STEM_MIN = 4  # letters before the ending: a shorter word is no clear loan
_ADJ = r"(?:ый|ий|ой|ая|яя|ое|ее|ые|ие|ого|его|ому|ему|ым|им|ых|их|ую|юю|ыми|ими)"
# Russian endings of words borrowed from English or Latin, and the English ending of the
# same word: программирования = programming, автоматизированный = automated,
# маркетинговая = marketing, космонавтики = cosmonautics, стратегических = strategic,
# организация = organization, технология = technology.
_LOAN_ENDINGS = tuple(
    (re.compile(f"(?<=[а-яё]{{{LOAN_STEM_MIN}}})(?:{ru})$"), en)
    for ru, en in (
        ("ировани(?:е|я|ю|ем|и)", "ing"),
        (f"ированн{_ADJ}", "ed"),
        (f"инг(?:ов{_ADJ}|а|у|ом|е)?", "ing"),
        ("тик(?:а|и|у|ой|е)", "tics"),
        (f"ическ{_ADJ}", "ic"),
        ("аци(?:я|и|ю|ей|ях|ям|ями|ий)", "ation"),
        ("логи(?:я|и|ю|ей|ях|ям|ями|ий)", "logy"),
    )
)
@lru_cache(maxsize=65536)
def loanword(word: str) -> tuple[str, str] | None:
    """(Cyrillic stem, English ending) of a lower-case word borrowed from English, for a
    word the lexicon lacks: программирования -> (программ, ing), read "programming" once
    the stem is romanised; None when no loan ending is found."""
    for ending, english in _LOAN_ENDINGS:
        m = ending.search(word)
        if m is not None:
            return word[: m.start()], english
    return None


@lru_cache(maxsize=1)
def _latin_stems() -> dict[str, tuple[str, ...]]:
    """Romanisation-insensitive key of each known Cyrillic stem (lexicon and glossary)
    -> its English words, so a Latin transliteration meets a translation
    (Wysokototschnye Kompleksy -> high precision systems)."""
    from matching.cyrillic import romanize_cyrillic
    from matching.forms import token_key
    from matching.glossary import glossary

    table: dict[str, tuple[str, ...]] = {}
    stems = [*lexicon().items(), *glossary().cyrillic_stems]
    for s, words in stems:
        s = s.removesuffix(ADJECTIVE_MARK)
        for variant in romanize_cyrillic(s).values():
            key = token_key(variant.lower())
            if len(key) >= LATIN_STEM_MIN:
                table.setdefault(key, words)
    return table


LATIN_STEM_MIN = 5  # shorter romanised stems meet too many unrelated words
LATIN_ENDING_MAX = 4  # letters a Latin word may have beyond the stem (an ending)


@lru_cache(maxsize=65536)
def translate_latin(token: str, key: str) -> tuple[str, ...] | None:
    """English words for a Latin word that transliterates a known Cyrillic stem plus an
    ending; None otherwise. `key` is the token's romanisation-insensitive key."""
    table = _latin_stems()
    for cut in range(len(key), max(LATIN_STEM_MIN, len(key) - LATIN_ENDING_MAX) - 1, -1):
        words = table.get(key[:cut])
        if words is not None:
            return None if token in words else words
    return None
