"""Real company names for the evaluation's company negatives (neg_company, bank_file):

- Latin: the members of 20 stock indices (S&P 500 and 600, NASDAQ 100, DAX family, FTSE
  100, CAC 40, NIKKEI 225, IBEX 35, SMI, AEX, BEL 20, OMX...) as pytickersymbols ships
  them (MIT licence), 1,837 companies;
- Cyrillic: the organisation names (grammeme Orgn) of the OpenCorpora Russian dictionary
  as pymorphy3-dicts-ru ships it (CC BY-SA): Soviet and Russian enterprises, trusts and
  agencies (Мослифт, Татэнерго, Донречфлот), about 6,000, written as a bank's file holds
  them, inside a legal form (ООО «Татэнерго»).

A name is dropped when it is listed: when its words (less legal forms), in any
romanisation, are the words of a listed name. What stays are real companies that may
share words with listed ones (Bank, Trans, Neft): the generic-word discipline they test.
No real source of Hangul company names was found in a package; the Hangul company
negatives stay composed (KO_* word pools in evaluate.py) and are reported apart.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from functools import lru_cache

from matching.cyrillic import romanize_cyrillic
from matching.forms import token_key
from matching.model import LoadedList
from matching.normalize import split_legal_forms, tokenize

RU_LEGAL = ["ООО", "АО", "ПАО", "ЗАО", "ОАО", "ООО ТД", "ООО Группа компаний"]


@lru_cache(maxsize=1)
def latin_companies() -> tuple[str, ...]:
    from pytickersymbols import PyTickerSymbols

    names = {str(s["name"]).strip() for s in PyTickerSymbols().get_all_stocks()}
    return tuple(sorted(n for n in names if n))


@lru_cache(maxsize=1)
def cyrillic_companies() -> tuple[str, ...]:
    """Organisation names of the OpenCorpora dictionary, capitalised as written; one-word
    abbreviations (мк, чаэс: no vowel after the first letters) are skipped."""
    import pymorphy3

    morph = pymorphy3.MorphAnalyzer()
    out: set[str] = set()
    for _word, tag, normal, _para, _idx in morph.iter_known_word_parses(""):
        if "Orgn" not in str(tag) or "Abbr" in str(tag) or len(normal) < 5:
            continue
        out.add("-".join(p[:1].upper() + p[1:] for p in normal.split("-")))
    return tuple(sorted(out))


def _keys(tokens: Sequence[str]) -> frozenset[str]:
    kept, _ = split_legal_forms([t.lower() for t in tokens])
    return frozenset(token_key(t) for t in kept if t.isalnum())


def listed_keys(lists: Sequence[LoadedList]) -> set[frozenset[str]]:
    """The word keys (less legal forms) of every listed name."""
    return {_keys(tokenize(nm)) for lst in lists for e in lst.entities for nm, _ in e.all_names()}


def is_listed(name: str, listed: set[frozenset[str]]) -> bool:
    variants = [name, *romanize_cyrillic(name).values()] if not name.isascii() else [name]
    return any(_keys(tokenize(v)) in listed for v in variants)


def company_names(
    lists: Sequence[LoadedList], rng: random.Random, n: int
) -> list[str]:
    """n real, unlisted company names: half Latin, half Cyrillic in a legal form."""
    listed = listed_keys(lists)
    latin = [c for c in latin_companies() if not is_listed(c, listed)]
    cyr = [c for c in cyrillic_companies() if not is_listed(c, listed)]
    out = rng.sample(latin, min(n // 2, len(latin)))
    out += [f"{rng.choice(RU_LEGAL)} «{c}»" for c in rng.sample(cyr, min(n - len(out), len(cyr)))]
    return out
