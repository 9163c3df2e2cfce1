"""Korean personal names written in Cyrillic: the same key as matching.korean.

Russian lists and clients write Korean names in the Kontsevich system (Ли Чхан Хо,
Чхве Рён Хэ, СИН Гым Чхоль) or in customary forms (Ким Чен Ын, Ким Ир Сен, Цой, Тен).
Each Cyrillic syllable is read back into the Hangul syllables it can stand for; the
key is then `hangul_syllable_key` of those, so it equals `korean_name_key` of the
Latin list spelling and the key of the Hangul original.

Kontsevich loses what the key keeps in two places, so a syllable can have several
readings: final н is both ㄴ and ㅇ (정 = чон, 전 = чон) and customary е is ㅓ, ㅔ, ㅕ
or ㅐ (Чен, Пхеньян, Пек). Readings are ranked by how common the Hangul syllable is in
Korean given names (or surnames), then by how regular the spelling is; the best one
is `korean_key_from_cyrillic`, all plausible ones `korean_keys_from_cyrillic`.

Russian names of Russian Koreans ("Иван Ким", "Ким Сергей Николаевич") give None:
a glued multi-syllable given name is accepted only with a letter sequence Russian
names do not have (чх, пх, тх, кх, ы, ё, э, чж); Иван or Анна would otherwise read
as 이완 / 안나.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

from matching.hangul import hangul_syllable_key
from matching.korean import SURNAME_SYLLABLES_BY_FREQUENCY

KoreanKey = tuple[str, tuple[str, ...]]

# Jamo indices as in matching.hangul (initial, vowel, final order of the Unicode block).
_S_BASE = 0xAC00
_NO_ONSET = 11  # ㅇ as an initial

# spelling -> ((jamo index, penalty), ...). Penalty 0: Kontsevich; 1: customary
# Russian practice (aspiration dropped, Цой, Шин, Ли...).
_INITIALS: dict[str, tuple[tuple[int, int], ...]] = {
    "": ((_NO_ONSET, 0),),
    "к": ((0, 0), (15, 1)), "г": ((0, 0),), "кк": ((1, 0),), "кх": ((15, 0),),
    "н": ((2, 0),),
    "т": ((3, 0), (16, 1)), "д": ((3, 0),), "тт": ((4, 0),), "тх": ((16, 0),),
    "р": ((5, 0),), "л": ((5, 0),),
    "м": ((6, 0),),
    "п": ((7, 0), (17, 1)), "б": ((7, 0),), "пп": ((8, 0),), "пх": ((17, 0),),
    "с": ((9, 0), (10, 1)), "сс": ((10, 0),), "ш": ((9, 1),),
    "ч": ((12, 0), (14, 1)), "чж": ((12, 0),), "дж": ((12, 1),), "ж": ((12, 1),),
    "чч": ((13, 0),), "чх": ((14, 0),), "ц": ((14, 1), (12, 1)),
    "х": ((18, 0),),
}  # fmt: skip

# After a consonant. Kontsevich: ㅓ/ㅗ о, ㅕ/ㅛ ё, ㅐ э, ㅔ/ㅖ е, ㅚ/ㅞ ве, ㅢ ый.
# Customary е also stands for ㅓ (Чен, Сен), ㅕ (Пхеньян) and ㅐ (Пек); у for ㅡ (Кум).
_VOWELS: dict[str, tuple[tuple[int, int], ...]] = {
    "а": ((0, 0),), "я": ((2, 0),), "э": ((1, 0), (5, 1)),
    "е": ((5, 0), (7, 0), (4, 1), (6, 1), (1, 1)),
    "ё": ((6, 0), (12, 0)), "йо": ((12, 0), (6, 0)), "о": ((4, 0), (8, 0)),
    "у": ((13, 0), (18, 1)), "ы": ((18, 0),), "ю": ((17, 0),),
    "и": ((20, 0), (19, 1)), "ый": ((19, 0),), "йе": ((7, 0),), "йя": ((3, 0),),
    "ва": ((9, 0),), "вэ": ((10, 0), (11, 1)), "ве": ((11, 0), (15, 0)),
    "ви": ((16, 0),), "во": ((14, 0),), "ой": ((11, 1),),
}  # fmt: skip

# Without a consonant a bare е is йе (예) or, customarily, ㅕ (Ен for 영); э is ㅔ too.
_BARE_VOWELS: dict[str, tuple[tuple[int, int], ...]] = {
    **_VOWELS,
    "е": ((7, 0), (5, 0), (6, 1)),
    "э": ((1, 0), (5, 0)),
}

# Kontsevich writes both ㄴ and ㅇ as н (нъ before a vowel); ㄹ is ль, customarily р/л (Ир).
_FINALS: dict[str, tuple[tuple[int, int], ...]] = {
    "": ((0, 0),), "к": ((1, 0),), "н": ((4, 0), (21, 0)), "нъ": ((21, 0),),
    "нг": ((21, 1),), "ль": ((8, 0),), "л": ((8, 1),), "р": ((8, 1),),
    "м": ((16, 0),), "п": ((17, 0),), "т": ((19, 0),),
}  # fmt: skip

_MAX_INI = max(map(len, _INITIALS))
_MAX_VOW = max(map(len, _BARE_VOWELS))
_MAX_FIN = max(map(len, _FINALS))

# Given-name syllables, most common first (DPRK names on OFAC/UN/EU/UK lists, then
# general Korean usage). Only the order among same-spelled syllables matters:
# 정 before 전 (Чон), 성 before 선 (Сон), 영 before 연 (Ён), 천 before 청 (Чхон).
_GIVEN_BY_FREQUENCY = (
    "철영성정수일남광호혁희창경선동병평만은원명석봉상국삼진학환길옥민식건룡문세인용훈한락섭"
    "해주재화산태범복각도택현형연천열하배지림순춘준근금숙미애실향송종청충권혜빈기우윤운웅월"
    "자란련녀덕필표왕백휘군관의승흥강심교겸보홍전장조소서유이리나예아찬안"
)
_GIVEN_RANK: dict[str, int] = {}
for _i, _s in enumerate(_GIVEN_BY_FREQUENCY):
    _GIVEN_RANK.setdefault(_s, _i)

# Surnames by frequency, from matching.korean's table; 유 is 류 under the initial-sound
# law and is written apart in Cyrillic (Ю), so it ranks right after it.
_SURNAMES_BY_FREQUENCY = SURNAME_SYLLABLES_BY_FREQUENCY.replace("류", "류유")
_SURNAME_RANK: dict[str, int] = {}
for _i, _s in enumerate(_SURNAMES_BY_FREQUENCY):
    _SURNAME_RANK.setdefault(_s, _i)
_COMPOUND_SURNAMES = frozenset(("남궁", "황보", "제갈", "선우", "독고", "사공", "서문"))

# Koryo-saram spellings (Hamgyong palatalisation: ㅈ as т) no regular reading reaches.
_CUSTOMARY_SURNAMES: dict[str, str] = {"тен": "정", "тян": "장", "тё": "조", "тю": "주"}

# Surnames that end a name in western order ("Чен Ын Ким"); rarely given syllables.
_WESTERN_HINT = frozenset(("ким", "пак", "цой", "чхве", "ли"))

# Only such letter sequences let a glued multi-syllable token count as Korean.
_KOREAN_MARKERS = ("чх", "пх", "тх", "кх", "ы", "ё", "э", "чж")

# Forms of address before a name; normalize_name splits г-н into two tokens.
_HONORIFICS = frozenset(("г-н", "г-жа", "гн", "господин", "госпожа", "товарищ", "тов"))

_CYRILLIC_LETTERS = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
_UKRAINIAN_ONLY = frozenset("іїєґ")
# Ukrainian и is Russian ы (Кім Чен Ин); Belarusian і is и.
_UKRAINIAN = str.maketrans({"и": "ы", "і": "и", "ї": "и", "є": "е", "ґ": "г"})
_BELARUSIAN = str.maketrans({"і": "и", "ў": "у"})

Syllable = tuple[str, str, str]  # Cyrillic spellings of initial, vowel, final
Candidate = tuple[tuple[int, int, int], str]  # (cost, Hangul syllable)


def _compose(ini: int, vow: int, fin: int) -> str:
    return chr(_S_BASE + ini * 588 + vow * 28 + fin)


@lru_cache(maxsize=16384)
def _hangul_candidates(syl: Syllable, surname: bool) -> tuple[Candidate, ...]:
    """Hangul syllables one Cyrillic syllable can spell, best first.

    Cost: (not a common syllable, spelling penalty, frequency rank). Being common
    outranks regularity so that customary Чен reads 정 (ㅓ as е) and not 젠 (ㅔ).
    """
    ini, vow, fin = syl
    vowels = _BARE_VOWELS if not ini else _VOWELS
    rank = _SURNAME_RANK if surname else _GIVEN_RANK
    best: dict[str, tuple[int, int, int]] = {}
    for (i, pi), (v, pv), (f, pf) in itertools.product(_INITIALS[ini], vowels[vow], _FINALS[fin]):
        h = _compose(i, v, f)
        r = rank.get(h)
        cost = (0 if r is not None else 1, pi + pv + pf, r if r is not None else len(rank))
        if h not in best or cost < best[h]:
            best[h] = cost
    return tuple(sorted(((c, h) for h, c in best.items()), key=lambda ch: ch[0]))


def _parses(seg: str) -> list[tuple[Syllable, ...]]:
    """Every split of a glued Cyrillic segment into (initial, vowel, final) spellings."""
    n = len(seg)
    out: list[tuple[Syllable, ...]] = []

    def walk(pos: int, prev_open: bool, acc: tuple[Syllable, ...]) -> None:
        if pos == n:
            out.append(acc)
            return
        if len(out) > 64:
            return  # pathological input; the best split is among the first
        for li in range(min(_MAX_INI, n - pos), -1, -1):
            ini = seg[pos : pos + li]
            if ini not in _INITIALS:
                continue
            p1 = pos + li
            vowels = _VOWELS if ini else _BARE_VOWELS
            for lv in range(min(_MAX_VOW, n - p1), 0, -1):
                vow = seg[p1 : p1 + lv]
                if vow not in vowels:
                    continue
                # A bare non-iotated vowel after an open syllable is a hiatus
                # Korean spellings avoid inside a word (Мария, Даниил).
                if not ini and prev_open and vow[0] not in "яеёюйв":
                    continue
                p2 = p1 + lv
                for lf in range(min(_MAX_FIN, n - p2), -1, -1):
                    fin = seg[p2 : p2 + lf]
                    if fin in _FINALS:
                        walk(p2 + lf, not fin, (*acc, (ini, vow, fin)))

    walk(0, False, ())
    return out


@lru_cache(maxsize=65536)
def _segment(seg: str, surname: bool) -> tuple[tuple[Candidate, ...], ...] | None:
    """Ranked Hangul candidates per syllable of the best split of `seg`, or None.

    Best split: fewest syllables, then the cheapest sum of best candidates.
    """
    if not seg or len(seg) > 16 or not _CYRILLIC_LETTERS.issuperset(seg):
        return None
    best: tuple[tuple[int, int, int, int], tuple[tuple[Candidate, ...], ...]] | None = None
    for split in _parses(seg):
        cands = tuple(_hangul_candidates(s, surname) for s in split)
        if not all(cands):
            continue
        tops = [c[0][0] for c in cands]
        cost = (
            len(split),
            sum(t[0] for t in tops),
            sum(t[1] for t in tops),
            sum(t[2] for t in tops),
        )
        if best is None or cost < best[0]:
            best = (cost, cands)
    return best[1] if best else None


def _alternatives(cands: tuple[Candidate, ...], limit: int = 3) -> list[tuple[int, str]]:
    """Distinct keys of one syllable, best first: the best reading plus those of
    other common syllables (정/전 for Чон); rare syllables add only noise."""
    out: list[tuple[int, str]] = []
    seen: set[str] = set()
    for pos, (cost, h) in enumerate(cands):
        if pos and cost[0]:
            break
        key = hangul_syllable_key(h)
        if key not in seen:
            seen.add(key)
            out.append((pos, key))
        if len(out) == limit:
            break
    return out


@lru_cache(maxsize=65536)
def _surname_keys(token: str) -> tuple[str, ...]:
    """Keys of a Cyrillic surname token, best first; () if it is no Korean surname."""
    if token in _CUSTOMARY_SURNAMES:
        return (hangul_syllable_key(_CUSTOMARY_SURNAMES[token]),)
    sylls = _segment(token, True)
    if sylls is None:
        return ()
    if len(sylls) == 1:
        hs = [(c, h) for c, h in sylls[0] if h in _SURNAME_RANK]
        hs.sort(key=lambda ch: (ch[0][1], ch[0][2]))  # regular spelling, then frequency
        keys: list[str] = []
        for _, h in hs[:2]:
            k = hangul_syllable_key(h)
            if k not in keys:
                keys.append(k)
        return tuple(keys)
    if len(sylls) == 2:
        for (_, a), (_, b) in itertools.product(sylls[0], sylls[1]):
            if a + b in _COMPOUND_SURNAMES:
                return (hangul_syllable_key(a) + hangul_syllable_key(b),)
    return ()


@lru_cache(maxsize=65536)
def _given_token(token: str) -> tuple[tuple[Candidate, ...], ...] | None:
    """Syllable candidates of one given-name token (hyphens split syllables)."""
    out: list[tuple[Candidate, ...]] = []
    for seg in token.split("-"):
        if not seg:
            continue
        sylls = _segment(seg, False)
        if sylls is None:
            return None
        if len(sylls) > 1 and not any(m in seg for m in _KOREAN_MARKERS):
            return None  # Иван, Анна, Ирина: a Russian name, not glued Korean syllables
        out.extend(sylls)
    return tuple(out) or None


def _given_readings(tokens: list[str], limit: int) -> list[tuple[str, ...]] | None:
    if not 1 <= len(tokens) <= 3:
        return None  # at most three given syllables, so at most three tokens
    sylls: list[tuple[Candidate, ...]] = []
    for tok in tokens:
        part = _given_token(tok)
        if part is None:
            return None
        sylls.extend(part)
    if not 1 <= len(sylls) <= 3:
        return None
    alts = [_alternatives(c) for c in sylls]
    # Rank combinations by how many syllables leave their best reading.
    combos = sorted(itertools.product(*alts), key=lambda combo: sum(p for p, _ in combo))
    return [tuple(k for _, k in combo) for combo in combos[:limit]]


def _tokens(name: str) -> list[tuple[str, bool]]:
    """(lowercase token, written in capitals) pairs; [] if any token is not Cyrillic."""
    out: list[tuple[str, bool]] = []
    for raw in name.replace(",", " ").split():
        tok = raw.strip('.;:()[]"«»„“”')
        if not tok:
            continue
        low = tok.lower()
        letters = [c for c in low if c != "-"]
        if not letters or low in _HONORIFICS:
            continue
        if not all(c in _CYRILLIC_LETTERS or c in _UKRAINIAN_ONLY or c == "ў" for c in letters):
            return []
        caps = len(letters) > 1 and tok.isupper()
        out.append((low, caps))
    return out


def _script_fold(tokens: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    text = "".join(t for t, _ in tokens)
    if not _UKRAINIAN_ONLY.intersection(text) and "ў" not in text:
        return tokens
    table = _BELARUSIAN if "ы" in text or "ў" in text else _UKRAINIAN
    return [(t.translate(table), c) for t, c in tokens]


@lru_cache(maxsize=65536)
def korean_keys_from_cyrillic(name: str, limit: int = 8) -> tuple[KoreanKey, ...]:
    """Every plausible (surname key, given keys) reading of a Cyrillic name, best first.

    Surname first or last ("Ким Чен Ын", "Чен Ын Ким", "КИМ, Чен Ын"); 1-3 given
    syllables. When both ends are surnames, a lone capitalised token is the surname,
    then western order if the last token is Ким/Пак/Цой/Чхве/Ли and the first is
    not, else the first token. At most `limit` readings per order.
    """
    orders: list[tuple[int, list[str], list[str]]] = []
    if "," in name:
        head, _, tail = name.partition(",")
        head_toks = _script_fold(_tokens(head))
        tail_toks = _script_fold(_tokens(tail))
        if len(head_toks) != 1 or not tail_toks:
            return ()
        orders.append((0, [head_toks[0][0]], [t for t, _ in tail_toks]))
    else:
        toks = _script_fold(_tokens(name))
        if len(toks) < 2:
            return ()
        words = [t for t, _ in toks]
        caps = [c for _, c in toks]
        single_caps = sum(caps) == 1
        for idx in (0, len(toks) - 1):
            rest = words[1:] if idx == 0 else words[:-1]
            western = idx != 0 and words[-1] in _WESTERN_HINT and words[0] not in _WESTERN_HINT
            pref = (0 if single_caps and caps[idx] else 4) + (0 if western else 2)
            orders.append((pref + (0 if idx == 0 else 1), [words[idx]], rest))
    out: list[KoreanKey] = []
    for _, (surname_tok,), given_toks in sorted(orders, key=lambda o: o[0]):
        surnames = _surname_keys(surname_tok)
        if not surnames:
            continue
        given = _given_readings(given_toks, limit)
        if given is None:
            continue
        for sk, gk in itertools.islice(itertools.product(surnames, given), limit):
            if (sk, gk) not in out:
                out.append((sk, gk))
    return tuple(out)


@lru_cache(maxsize=16384)
def glued_cyrillic_splits(name: str) -> tuple[str, ...]:
    """One glued Cyrillic token (КИМЧЕНЫН, Липёнчхоль) written out as surname and two
    given syllables ("КИМ ЧЕН ЫН"), every split that reads as a Korean name, as for glued
    Latin (KIMJONGUN). A query form only: a lone word on a list is not read as a name."""
    toks = _tokens(name)
    if len(toks) != 1 or len(toks[0][0]) < 5 or "-" in toks[0][0]:
        return ()
    word = toks[0][0]
    raw = name.strip().strip('.;:()[]"«»„“”')
    shown = raw if raw.lower() == word else word  # keep the query's own letters
    out: list[str] = []
    for cut in range(2, min(5, len(word) - 2) + 1):
        if not _surname_keys(word[:cut]):
            continue
        for mid in range(cut + 1, len(word)):
            spaced = f"{shown[:cut].upper()} {shown[cut:mid]} {shown[mid:]}"
            if korean_keys_from_cyrillic(spaced, 1):
                out.append(spaced)
    return tuple(out)


def glued_keys_from_cyrillic(name: str, limit: int = 8) -> tuple[KoreanKey, ...]:
    out: list[KoreanKey] = []
    for spaced in glued_cyrillic_splits(name):
        out += [k for k in korean_keys_from_cyrillic(spaced, limit) if k not in out]
    return tuple(out[:limit])


def korean_key_from_cyrillic(name: str) -> KoreanKey | None:
    """(surname key, given syllable keys) of a Korean name in Cyrillic, or None.

    "Ким Чен Ын" gives korean_name_key("KIM Jong Un") and the key of 김정은;
    "Ли Чхан Хо" and "Ри Чхан Хо" both give that of RI CHANG HO. Russian names,
    also of Russian Koreans ("Иван Ким", "Ким Сергей Николаевич"), give None.
    """
    keys = korean_keys_from_cyrillic(name)
    return keys[0] if keys else None
