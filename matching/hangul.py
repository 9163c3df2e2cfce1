"""Hangul -> Latin romanisations, built on jamo decomposition.

Libraries give Revised Romanization only ("gim jeong eun"), while OFAC/UN/EU/UK
lists print North Korean names in McCune-Reischauer as the DPRK uses it
("KIM JONG UN"). Each Hangul word is romanised syllable by syllable, syllables
separated by spaces, as lists print given names ("RI Pyong Chol"); each syllable
is written in its word-initial form, which is what lists do too.
"""

from __future__ import annotations

from functools import lru_cache

_S_BASE = 0xAC00
_S_LAST = 0xD7A3

# Jamo order of the Unicode syllable block.
# initials: ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ
# vowels:   ㅏ ㅐ ㅑ ㅒ ㅓ ㅔ ㅕ ㅖ ㅗ ㅘ ㅙ ㅚ ㅛ ㅜ ㅝ ㅞ ㅟ ㅠ ㅡ ㅢ ㅣ
# finals:   - ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅁ ㅂ ㅄ ㅅ ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ

# MR as the lists print it: no breves, no aspiration apostrophes, and ㅈ as J
# (JONG, not strict MR's CHONG) while ㅊ is CH (CHOE, CHOL) -- the DPRK's own
# habit, which OFAC/UN/EU/UK copy.
_MR_INITIAL = ("k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch",
               "k", "t", "p", "h")  # fmt: skip
_MR_MARKED_INITIAL = ("k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "ch", "tch",
                      "ch'", "k'", "t'", "p'", "h")  # fmt: skip
_DPRK_INITIAL = ("k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch",
                 "kh", "th", "ph", "h")  # fmt: skip
_RR_INITIAL = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
               "k", "t", "p", "h")  # fmt: skip

_MR_VOWEL = ("a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u",
             "wo", "we", "wi", "yu", "u", "ui", "i")  # fmt: skip
_MR_MARKED_VOWEL = ("a", "ae", "ya", "yae", "o'", "e", "yo'", "ye", "o", "wa", "wae", "oe", "yo",
                    "u", "wo'", "we", "wi", "yu", "u'", "u'i", "i")  # fmt: skip
_RR_VOWEL = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
             "wo", "we", "wi", "yu", "eu", "ui", "i")  # fmt: skip

# Finals are written by their pronunciation at the end of a word, in every system.
_FINAL = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m",
          "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t")  # fmt: skip

_SCHEMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "mr": (_MR_INITIAL, _MR_VOWEL),
    "mr_marked": (_MR_MARKED_INITIAL, _MR_MARKED_VOWEL),
    "dprk": (_DPRK_INITIAL, _MR_VOWEL),
    "rr": (_RR_INITIAL, _RR_VOWEL),
}

# Two-syllable surnames, only taken as such when the name has 4 syllables
# (남궁민 is more likely 남 + 궁민 than a given name of one syllable).
COMPOUND_SURNAMES = frozenset(("남궁", "황보", "제갈", "선우", "독고", "사공", "서문"))

_I_Y_VOWELS = frozenset((2, 3, 6, 7, 12, 17, 20))  # ㅑ ㅒ ㅕ ㅖ ㅛ ㅠ ㅣ
_L_RIEUL, _L_NIEUN, _L_IEUNG = 5, 2, 11
_N_FROM_R = frozenset("노나뇌누")


def is_hangul_syllable(ch: str) -> bool:
    return len(ch) == 1 and _S_BASE <= ord(ch) <= _S_LAST


def decompose(syllable: str) -> tuple[int, int, int]:
    """(initial, vowel, final) jamo indices of one precomposed Hangul syllable."""
    code = ord(syllable) - _S_BASE
    if not 0 <= code <= _S_LAST - _S_BASE:
        raise ValueError(f"not a Hangul syllable: {syllable!r}")
    return code // 588, (code % 588) // 28, code % 28


def _compose(initial: int, vowel: int, final: int) -> str:
    return chr(_S_BASE + initial * 588 + vowel * 28 + final)


def initial_law_alternate(syllable: str) -> str | None:
    """The other spelling of a syllable under the initial-sound law, or None.

    South: 리->이, 림->임, 량->양, 류->유, 로->노 (ㄹ before i/y drops, else becomes ㄴ;
    ㄴ before i/y drops). North keeps ㄹ/ㄴ, so the reverse is given too:
    이->리, 임->림, 양->량, 유->류, 노->로. ㅇ+i/y is mapped back to ㄹ, the
    commoner origin in surnames (이 李, 임 林, 양 梁, 유 柳, 여 呂).
    """
    if not is_hangul_syllable(syllable):
        return None
    ini, vow, fin = decompose(syllable)
    if ini == _L_RIEUL:
        return _compose(_L_IEUNG if vow in _I_Y_VOWELS else _L_NIEUN, vow, fin)
    if ini == _L_NIEUN:
        if vow in _I_Y_VOWELS:
            return _compose(_L_IEUNG, vow, fin)
        # ㄴ->ㄹ only where a ㄹ origin is common (노/로 盧, 나/라 羅); 남 or 남궁 never were ㄹ.
        return _compose(_L_RIEUL, vow, fin) if syllable in _N_FROM_R else None
    if ini == _L_IEUNG and vow in _I_Y_VOWELS:
        return _compose(_L_RIEUL, vow, fin)
    return None


@lru_cache(maxsize=16384)
def romanize_syllable(syllable: str, scheme: str = "mr") -> str:
    """One Hangul syllable in its word-initial form in `scheme` (mr, mr_marked, dprk, rr)."""
    initials, vowels = _SCHEMES[scheme]
    ini, vow, fin = decompose(syllable)
    return initials[ini] + vowels[vow] + _FINAL[fin]


def _words(text: str) -> list[tuple[bool, str]]:
    """Split into maximal runs of Hangul syllables (True) and other text (False)."""
    out: list[tuple[bool, str]] = []
    buf: list[str] = []
    cur: bool | None = None
    for ch in text:
        h = is_hangul_syllable(ch)
        if cur is not None and h != cur:
            out.append((cur, "".join(buf)))
            buf = []
        buf.append(ch)
        cur = h
    if buf and cur is not None:
        out.append((cur, "".join(buf)))
    return out


def _romanize(text: str, scheme: str, law_first: bool) -> str:
    parts: list[str] = []
    first_word = True
    for is_h, run in _words(text):
        if not is_h:
            parts.append(run.lower())
            continue
        syllables = list(run)
        if first_word and law_first:
            alt = initial_law_alternate(syllables[0])
            if alt is not None:
                syllables[0] = alt
        romans = [romanize_syllable(s, scheme) for s in syllables]
        if len(run) == 4 and run[:2] in COMPOUND_SURNAMES:
            romans = [romans[0] + romans[1], *romans[2:]]
        first_word = False
        parts.append(" ".join(romans))
    return "".join(parts)


@lru_cache(maxsize=32768)
def romanize_hangul(text: str) -> dict[str, str]:
    """Scheme -> lowercase Latin rendering; Hangul syllables space-separated.

    Schemes: mr (as on OFAC/UN lists: kim jong un), mr_marked (o' and p' marks:
    kang p'il hun), dprk (kh/th/ph aspirates, breves dropped as lists drop them),
    rr (gim jeong eun), and mr_law / rr_law: the first syllable (the surname) with
    the initial-sound law applied the other way (리<->이, 림<->임, 량<->양, 로<->노,
    류<->유). A compound surname (남궁, 황보, ...) of a 4-syllable name is one token.
    Renderings equal to an earlier one are dropped. Do not mutate the result (cached).
    """
    renders = [
        ("mr", _romanize(text, "mr", False)),
        ("mr_marked", _romanize(text, "mr_marked", False)),
        ("dprk", _romanize(text, "dprk", False)),
        ("rr", _romanize(text, "rr", False)),
        ("mr_law", _romanize(text, "mr", True)),
        ("rr_law", _romanize(text, "rr", True)),
    ]
    out: dict[str, str] = {}
    seen: set[str] = set()
    for scheme, value in renders:
        if value not in seen:
            seen.add(value)
            out[scheme] = value
    return out


# --- Korean key -------------------------------------------------------------
# The key merges what romanisations cannot keep apart (see matching.korean):
# plain/aspirated/tense and voiced/unvoiced stops (k g kk k'), r/l, and the
# back vowels ㅓㅗㅜㅡ (one class "o") and ㅕㅛㅠ (one class "yo").
_KEY_INITIAL = ("k", "k", "n", "t", "t", "r", "m", "p", "p", "s", "s", "", "c", "c", "c",
                "k", "t", "p", "h")  # fmt: skip
_KEY_VOWEL = ("a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "o",
              "wo", "we", "wi", "yo", "o", "i", "i")  # fmt: skip
_KEY_FINAL = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m",
              "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t")  # fmt: skip


def syllable_key(initial: str, vowel: str, final: str) -> str:
    """Key from class letters; applies the initial-sound law so 리/이/니 and 로/노 meet."""
    if initial in ("r", "n") and vowel[0] in "iy":
        initial = ""
    elif initial == "r":
        initial = "n"
    return initial + vowel + final


@lru_cache(maxsize=16384)
def hangul_syllable_key(syllable: str) -> str:
    """Canonical Korean key of one Hangul syllable: 김 -> "kim", 정 -> "cong", 리 -> "i"."""
    ini, vow, fin = decompose(syllable)
    return syllable_key(_KEY_INITIAL[ini], _KEY_VOWEL[vow], _KEY_FINAL[fin])
