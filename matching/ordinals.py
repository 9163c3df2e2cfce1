"""Ordinals written as words are their numbers in organisation names, as 33rd = 33-й = 33
already are: Десятый Подшипниковый Завод = Tenth Bearing Plant = 10th Bearing Plant.
A grammatical table (Russian and Ukrainian ordinal stems with every adjective ending,
English ordinal words), not vocabulary learned from the lists."""

from __future__ import annotations

import re
from functools import lru_cache

# Russian (and the Ukrainian spellings that differ) ordinal stems -> number.
_CYRILLIC_STEMS = {
    "перв": 1, "перш": 1, "втор": 2, "четверт": 4, "четвёрт": 4, "пят": 5, "шест": 6,
    "шост": 6, "седьм": 7, "сьом": 7, "восьм": 8, "девят": 9, "десят": 10,
    "одиннадцат": 11, "одинадцят": 11, "двенадцат": 12, "дванадцят": 12,
    "тринадцат": 13, "тринадцят": 13, "четырнадцат": 14, "чотирнадцят": 14,
    "пятнадцат": 15, "пятнадцят": 15, "шестнадцат": 16, "шістнадцят": 16,
    "семнадцат": 17, "сімнадцят": 17, "восемнадцат": 18, "вісімнадцят": 18,
    "девятнадцат": 19, "девятнадцят": 19, "двадцат": 20, "тридцат": 30, "тридцят": 30,
    "сороков": 40, "пятидесят": 50, "шестидесят": 60, "семидесят": 70,
    "восьмидесят": 80, "девяност": 90, "сот": 100,
}  # fmt: skip
_ADJECTIVE_ENDINGS = (
    "ый|ой|ий|ая|ое|ые|ого|ому|ым|ом|ую|ых|ыми|ей|ее|ие|его|ему|им|ем|их|ими|юю|яя"
    "|ій|ім"  # Ukrainian: перший, першій, першім
)
_CYRILLIC = re.compile(
    "^(" + "|".join(sorted(_CYRILLIC_STEMS, key=len, reverse=True)) + f")(?:{_ADJECTIVE_ENDINGS})$"
)
# третий declines with a soft sign (третья, третьего); Ukrainian третій.
_THIRD = re.compile(
    r"^трет(?:ий|ья|ье|ьи|ьего|ьему|ьим|ьем|ьих|ьей|ью|ьими|ій|я|є|і|ього|ьому|ім)$"
)
_ENGLISH = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17,
    "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40,
    "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90,
    "hundredth": 100,
}  # fmt: skip


@lru_cache(maxsize=65536)
def ordinal_number(word: str) -> str | None:
    """The number an ordinal word names ("десятый", "десятого", "tenth" -> "10"), for a
    lower-case word; None for any other word."""
    if word.isascii():
        n = _ENGLISH.get(word)
        return None if n is None else str(n)
    if _THIRD.match(word):
        return "3"
    m = _CYRILLIC.match(word)
    return None if m is None else str(_CYRILLIC_STEMS[m.group(1)])
