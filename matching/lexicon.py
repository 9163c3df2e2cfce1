"""Russian/Ukrainian/Belarusian -> English organisation words, mined from the lists' own
parallel names (bench/build_lexicon.py rebuilds matching/data/lexicon_cyr_en.json).
Words are looked up by their Snowball Russian stem, so inflected forms meet one entry
(московский, московского -> moscow; Москвы -> moscow)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import snowballstemmer

DATA = "data/lexicon_cyr_en.json"


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("russian")


@lru_cache(maxsize=262144)
def stem(word: str) -> str:
    """Snowball Russian stem of a lower-case Cyrillic word (ё read as е)."""
    return str(_stemmer().stemWord(word.replace("ё", "е")))


@lru_cache(maxsize=1)
def lexicon() -> dict[str, tuple[str, ...]]:
    raw = json.loads(resources.files("matching").joinpath(DATA).read_text("utf-8"))
    return {k: tuple(v.split()) for k, v in raw["words"].items()}


@lru_cache(maxsize=65536)
def translate_word(word: str) -> tuple[str, ...] | None:
    """English tokens for a Cyrillic organisation word, or None when unknown."""
    return lexicon().get(stem(word))
