"""Korean personal names written in Latin script: a romanisation-insensitive key.

The same Korean name reaches us as MR as lists print it (RI Pyong Chol), marked MR
(Cho'ng-Wo'n), DPRK official (Thaek), Revised Romanization (Lee Byeong-cheol) or
customary South Korean spellings (Park, Choi, Yoon). The "Korean key" of a syllable
keeps only what all of them preserve:

- initials: k (g k kk kh), t (d t tt th), p (b p pp ph p'), c (j ch jj tch ch'),
  s (s ss sh), h, m, n, r (r l rh), none. Lists mark aspiration inconsistently and
  RR writes voicing that MR does not, so those distinctions cannot be trusted.
- the initial-sound law is folded: r/l/n before i/y is dropped and r/l before
  other vowels becomes n, so 리/이/Lee/Ri/Li and 로/노/Roh/No meet.
- vowels: one class "o" for ㅓㅗㅜㅡ (ŏ eo o u ŭ eu oo ou) and one "yo" for ㅕㅛㅠ
  (yŏ yeo yo yu yoo you); wo (weo), oe (oi), i (i ee ui eui yi). Lists drop breves,
  so ŏ/o and ŭ/u cannot be told apart at all, and their aliases write ㅓ as u
  (KIM Young-Chul, AN Jong Hyuk, CHOE Chun-Sik for 철/혁/천), so o and u cannot be
  trusted either. Finals and the other vowels still separate Yong Chol from
  Yong Chun and Jong Un from Jong Il.
  ㅢ is merged with ㅣ because customary spellings write 희 as "Hee". ae and e stay
  apart: every system writes ㅐ as ae and ㅔ as e, so a difference there is real.
- finals: k, n, t, l, m, p, ng (as every system writes them at a word end).

Segmentation of glued given names (Jongun) is deterministic, see `korean_syllable_keys`.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from matching.hangul import hangul_syllable_key, syllable_key

# spelling -> key class; the parser tries every spelling, so order does not matter.
_INITIALS: dict[str, str] = {
    "": "", "g": "k", "k": "k", "kk": "k", "gg": "k", "kh": "k",
    "d": "t", "t": "t", "tt": "t", "th": "t", "dd": "t",
    "b": "p", "p": "p", "pp": "p", "ph": "p", "bb": "p",
    "j": "c", "ch": "c", "jj": "c", "tch": "c", "cch": "c", "dj": "c",  # dj/tch: French-style
    "s": "s", "ss": "s", "sh": "s",
    "h": "h", "m": "m", "n": "n", "r": "r", "l": "r", "rh": "r",
}  # fmt: skip
_VOWELS: dict[str, str] = {
    "a": "a", "ae": "ae", "ya": "ya", "yae": "yae",
    "eo": "o", "o": "o", "ou": "o", "e": "e", "ye": "ye",
    "yeo": "yo", "yo": "yo", "you": "yo",
    "wa": "wa", "wae": "wae", "oe": "oe", "oi": "oe", "we": "we", "wi": "wi",
    "wo": "wo", "weo": "wo",
    "u": "o", "oo": "o", "eu": "o", "yu": "yo", "yoo": "yo",
    "i": "i", "ee": "i", "ui": "i", "eui": "i", "yi": "i", "y": "i",
}  # fmt: skip
_FINALS: dict[str, str] = {"": "", "k": "k", "n": "n", "t": "t", "l": "l", "m": "m", "p": "p",
                           "ng": "ng"}  # fmt: skip

_MAX_INI = max(map(len, _INITIALS))
_MAX_VOW = max(map(len, _VOWELS))
_MAX_FIN = max(map(len, _FINALS))

# Frequent given-name syllables. Only used to break segmentation ties (Kyongae:
# kyong+ae rather than kyon+gae); a syllable absent here can still be read.
_COMMON_GIVEN = (
    "정은일철영남수호성민준현혁국광명룡학진혜희경순옥미숙자춘삼섭원홍무상용린길창욱범석택"
    "해선화향금송주종훈필태동근권재열식덕봉환문천웅기복만세평련란림운강산우연승의효인규찬한"
    "애실월녀님단분심례달윤청관백병익표훈지대형도래파건중군혜나리아유예서하은채빈상희사"
)
_COMMON_KEYS = frozenset(hangul_syllable_key(s) for s in _COMMON_GIVEN)

# Surnames by rough frequency, with customary spellings the regular parse cannot
# reach (Park, Choi, Lee, Oh...). Regular MR/RR/DPRK spellings are parsed.
_SURNAMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("김", ("kim", "gim")),
    ("이", ("lee", "yi", "rhee", "ri", "i", "li", "rhie", "yee", "rhi", "ree", "lie", "reeh")),
    ("박", ("park", "pak", "bak", "bahk", "pack", "parc")),
    ("최", ("choi", "choe", "chey", "choy", "chwe")),
    ("정", ("jung", "jeong", "chung", "jong", "chong", "cheong", "joung", "jeung")),
    ("강", ("kang", "gang", "khang")),
    ("조", ("cho", "jo", "joh", "zo", "chough", "joe")),
    ("윤", ("yoon", "yun", "youn")),
    ("장", ("jang", "chang", "jhang")),
    ("임", ("lim", "im", "rim", "yim", "leem", "rhim", "lym")),
    ("한", ("han", "hahn")),
    ("오", ("oh", "o")),
    ("서", ("seo", "so", "suh", "sur", "seoh")),
    ("신", ("shin", "sin", "shinn")),
    ("권", ("kwon", "gwon", "kwun", "kweon")),
    ("황", ("hwang", "whang", "hoang")),
    ("안", ("ahn", "an", "ann")),
    ("송", ("song", "soung")),
    ("류", ("ryu", "yoo", "yu", "ryoo", "rhyu", "rew", "lyu", "you")),
    ("전", ("jeon", "chon", "jon", "chun", "jun", "cheon")),
    ("홍", ("hong",)),
    ("고", ("ko", "go", "koh")),
    ("문", ("moon", "mun")),
    ("양", ("yang", "ryang", "lyang")),
    ("손", ("son", "sohn")),
    ("배", ("bae", "pae", "bai")),
    ("백", ("baek", "paek", "baik", "paik", "back")),
    ("허", ("heo", "ho", "huh", "hur")),
    ("남", ("nam",)),
    ("심", ("sim", "shim")),
    ("노", ("noh", "roh", "no", "ro", "rho")),
    ("하", ("ha", "hah")),
    ("곽", ("kwak", "gwak")),
    ("성", ("sung", "seong")),
    ("차", ("cha",)),
    ("주", ("joo", "ju", "chu", "choo")),
    ("우", ("woo", "u", "wu")),
    ("구", ("koo", "ku", "gu")),
    ("민", ("min",)),
    ("진", ("jin", "chin")),
    ("지", ("ji", "chi", "jee")),
    ("엄", ("eom", "um", "om")),
    ("채", ("chae", "chai")),
    ("원", ("won", "weon")),
    ("방", ("bang", "pang")),
    ("공", ("kong", "gong")),
    ("현", ("hyun", "hyeon", "hyon")),
    ("함", ("ham", "hahm")),
    ("변", ("byun", "byeon", "pyon", "pyun")),
    ("염", ("yeom", "yum", "ryom", "yom", "ryeom")),
    ("여", ("yeo", "yo", "ryo", "yuh")),
    ("추", ("chu", "choo")),
    ("도", ("do", "to", "doh")),
    ("소", ("so", "soh")),
    ("석", ("seok", "sok", "suk")),
    ("선", ("sun", "seon")),
    ("설", ("seol", "sol", "sul")),
    ("마", ("ma",)),
    ("길", ("gil", "kil")),
    ("연", ("yeon", "yon", "ryon")),
    ("위", ("wi", "wee")),
    ("표", ("pyo", "pyoh")),
    ("명", ("myung", "myeong", "myong")),
    ("기", ("ki", "gi")),
    ("반", ("ban", "pan")),
    ("라", ("ra", "na", "la")),
    ("왕", ("wang",)),
    ("금", ("keum", "kum", "geum")),
    ("옥", ("ok",)),
    ("육", ("yook", "yuk", "ryuk")),
    ("인", ("in",)),
    ("맹", ("maeng",)),
    ("제", ("je", "che")),
    ("모", ("mo",)),
    ("탁", ("tak",)),
    ("국", ("kook", "guk", "kuk")),
    ("어", ("eo",)),
    ("편", ("pyeon", "pyon")),
    ("용", ("yong", "ryong")),
    ("경", ("kyung", "gyeong", "kyong")),
    ("봉", ("bong", "pong")),
    ("태", ("tae",)),
    ("계", ("kye", "gye")),
    ("림", ()),
    ("리", ()),
    ("량", ()),
    ("로", ()),
    ("렴", ()),
    ("려", ()),
    ("룡", ()),
    ("팽", ("paeng",)),
    ("독", ("dok", "tok")),
    ("빈", ("bin", "pin")),
    ("동", ("dong", "tong")),
    ("승", ("seung", "sung")),
    ("간", ("gan", "kan")),
    ("남궁", ("namgung", "namkung", "namgoong")),
    ("황보", ("hwangbo", "hwangpo")),
    ("제갈", ("jegal", "chegal")),
    ("선우", ("seonu", "sunwoo", "sonu", "seonwoo")),
    ("독고", ("dokgo", "tokko", "dokko")),
    ("사공", ("sagong", "sakong")),
    ("서문", ("seomun", "somun")),
)


def _surname_key_of_hangul(surname: str) -> str:
    return "".join(hangul_syllable_key(s) for s in surname)


_SURNAME_BY_SPELLING: dict[str, str] = {}
_HANGUL_BY_SPELLING: dict[str, tuple[str, ...]] = {}
for _hangul, _spellings in _SURNAMES:
    _k = _surname_key_of_hangul(_hangul)
    for _sp in _spellings:
        _SURNAME_BY_SPELLING.setdefault(_sp, _k)
        _HANGUL_BY_SPELLING[_sp] = (*_HANGUL_BY_SPELLING.get(_sp, ()), _hangul)
_SINGLE_SURNAME_KEYS = frozenset(_surname_key_of_hangul(h) for h, _ in _SURNAMES if len(h) == 1)
# One-syllable surnames in Hangul, most frequent first (the order of the table above).
SURNAME_SYLLABLES_BY_FREQUENCY = "".join(h for h, _ in _SURNAMES if len(h) == 1)


def _surname_syllable_spellings() -> dict[str, str]:
    """Every regular one-syllable spelling whose key is a known surname's key.

    Precomputed so that the surname test, run on every list name at index time,
    is one dict lookup. Two-syllable surnames are matched by the table only.
    """
    out: dict[str, str] = {}
    for ini, ini_cls in _INITIALS.items():
        for vow, vow_cls in _VOWELS.items():
            for fin, fin_cls in _FINALS.items():
                if vow == "y" and (ini != "h" or fin):
                    continue
                key = syllable_key(ini_cls, vow_cls, fin_cls)
                if key in _SINGLE_SURNAME_KEYS:
                    out.setdefault(ini + vow + fin, key)
    return out


_SURNAME_SYLLABLES = _surname_syllable_spellings()

# Surname spellings that end a name in western order ("Jong Un Kim"). 이 only in
# its customary spellings: "ri"/"i" also end names as the given syllable 이.
_WESTERN_HINT = frozenset(("kim", "gim", "park", "pak", "bak", "choi", "choe", "lee", "rhee", "yi"))

_DROP_MARKS = str.maketrans("", "", "'’‘`ʼʻ´")
_ASCII_OK = frozenset("abcdefghijklmnopqrstuvwxyz-")


@lru_cache(maxsize=65536)
def _clean(token: str) -> str:
    """Lowercase ASCII letters and hyphens; breves and apostrophes dropped, else ""."""
    low = token.lower().translate(_DROP_MARKS)
    if not low.isascii():
        # o' / ŏ / ŭ marks: the key ignores what they distinguish
        low = "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))
    if not _ASCII_OK.issuperset(low):
        return ""  # digits, other scripts, punctuation: not a Korean syllable token
    return low


def _parses(seg: str) -> list[tuple[tuple[str, ...], tuple[int, ...]]]:
    """All readings of a glued segment: (keys, spelling lengths)."""
    n = len(seg)
    results: list[tuple[tuple[str, ...], tuple[int, ...]]] = []

    def walk(pos: int, prev_open: bool, keys: tuple[str, ...], lens: tuple[int, ...]) -> None:
        if pos == n:
            results.append((keys, lens))
            return
        if len(results) > 64:
            return  # pathological input; the best reading is among the first anyway
        for li in range(min(_MAX_INI, n - pos), -1, -1):
            ini = seg[pos : pos + li]
            if ini not in _INITIALS:
                continue
            p1 = pos + li
            for lv in range(min(_MAX_VOW, n - p1), 0, -1):
                vow = seg[p1 : p1 + lv]
                if vow not in _VOWELS:
                    continue
                if vow == "y" and not (ini == "h" and p1 + 1 == n):
                    continue  # only French-style "hy" for 희 (JANG Tcheul-hy)
                # A bare vowel right after an open syllable is a hiatus Korean
                # spellings avoid inside a word (they would write a hyphen);
                # refusing it keeps Maria or Daria from reading as Korean.
                if not ini and prev_open and vow[0] not in "wy":
                    continue
                p2 = p1 + lv
                for lf in range(min(_MAX_FIN, n - p2), -1, -1):
                    fin = seg[p2 : p2 + lf]
                    if fin not in _FINALS:
                        continue
                    key = syllable_key(_INITIALS[ini], _VOWELS[vow], _FINALS[fin])
                    walk(p2 + lf, not fin, (*keys, key), (*lens, li + lv + lf))

    walk(0, False, (), ())
    return results


# Letters no romanisation of Korean uses; c only occurs in ch.
_NOT_KOREAN = frozenset("fqvxz")


def _impossible(seg: str) -> bool:
    if not _NOT_KOREAN.isdisjoint(seg):
        return True
    pos = seg.find("c")
    while pos != -1:
        if not seg.startswith("ch", pos) and not seg.startswith("cch", pos):
            return True
        pos = seg.find("c", pos + 1)
    return False


@lru_cache(maxsize=65536)
def _best_parse(seg: str) -> tuple[tuple[str, ...], tuple[int, ...]] | None:
    if _impossible(seg):
        return None  # cheap exit: most list names are not Korean
    readings = _parses(seg)
    if not readings:
        return None

    # Fewest syllables, then most frequent given-name syllables, then the longest
    # first syllables (Jongun -> jong+un, Jongil -> jong+il: a final ng before a
    # vowel is the common case in names). Deterministic, so both sides agree.
    def cost(r: tuple[tuple[str, ...], tuple[int, ...]]) -> tuple[int, int, tuple[int, ...]]:
        keys, lens = r
        return (len(keys), sum(k not in _COMMON_KEYS for k in keys), tuple(-x for x in lens))

    return min(readings, key=cost)


@lru_cache(maxsize=65536)
def _parsed(token: str) -> tuple[tuple[str, tuple[tuple[str, ...], tuple[int, ...]]], ...] | None:
    """(segment, its best parse) per hyphen-separated segment; None if not Korean."""
    cleaned = _clean(token.replace(" ", "-"))
    if not cleaned:
        return None
    out = []
    for seg in cleaned.split("-"):
        if not seg:
            continue
        best = _best_parse(seg)
        if best is None:
            return None
        out.append((seg, best))
    return tuple(out)


@lru_cache(maxsize=65536)
def korean_syllable_spellings(token: str) -> tuple[str, ...] | None:
    """The syllables of one romanised token as written ("Jongun" -> jong, un), split
    exactly as `korean_syllable_keys` splits it; None if it is not Korean."""
    out: list[str] = []
    for seg, (_, lens) in _parsed(token) or ():
        pos = 0
        for n in lens:
            out.append(seg[pos : pos + n])
            pos += n
    return tuple(out) or None


def surname_hangul(spelling: str) -> tuple[str, ...]:
    """Hangul surnames a customary spelling stands for (Park -> 박, Lee -> 이)."""
    return _HANGUL_BY_SPELLING.get(spelling, ())


@lru_cache(maxsize=65536)
def korean_syllable_keys(token: str) -> list[str] | None:
    """Per-syllable Korean keys of one romanised token, or None if it is not Korean.

    Hyphens (and spaces) are syllable boundaries ("Byeong-cheol", "P'il-Hun");
    apostrophes are aspiration or breve marks and are ignored. A glued token is
    segmented deterministically ("Jongun" -> jong+un). Do not mutate the result.
    """
    keys: list[str] = []
    for _, (part, _) in _parsed(token) or ():
        keys.extend(part)
    return keys or None


@lru_cache(maxsize=65536)
def korean_surname_key(token: str) -> str | None:
    """One key for every spelling of a known Korean surname, else None.

    Kim/Gim, Lee/Yi/Rhee/Ri/I/Li, Park/Pak/Bak, Choi/Choe, Jung/Jeong/Chung/Jong,
    Ryu/Yoo/Yu, Im/Lim/Rim, Noh/Roh/No/Ro... The key is the Korean key of the
    Hangul surname, so it equals what a Hangul name gives after romanisation.
    """
    cleaned = _clean(token)
    if not cleaned or len(cleaned) > 9:
        return None  # the longest surname spelling is 8 letters (namgoong)
    flat = cleaned.replace("-", "")
    known = _SURNAME_BY_SPELLING.get(flat)
    if known is not None:
        return known
    return _SURNAME_SYLLABLES.get(flat)


def _tokens(name: str) -> list[str]:
    out = []
    for raw in name.replace(",", " ").split():
        tok = raw.strip('.;:()[]"')
        if tok:
            out.append(tok)
    return out


def _given_keys(tokens: list[str]) -> tuple[str, ...] | None:
    keys: list[str] = []
    for tok in tokens:
        part = korean_syllable_keys(tok)
        if part is None:
            return None
        keys.extend(part)
    if not 1 <= len(keys) <= 3:
        return None
    return tuple(keys)


def _is_caps(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


@lru_cache(maxsize=65536)
def korean_name_key_candidates(name: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every plausible (surname_key, given_keys) reading of `name`, best first."""
    out: list[tuple[str, tuple[str, ...]]] = []
    for sur, given in korean_name_splits(name):
        sk = korean_surname_key(sur)
        gk = _given_keys(list(given))
        if sk is not None and gk is not None and (sk, gk) not in out:
            out.append((sk, gk))
    return tuple(out)


@lru_cache(maxsize=65536)
def korean_name_splits(name: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every plausible (surname token, given tokens) split of `name`, best first."""
    if "," in name:
        head, _, tail = name.partition(",")
        head_toks, tail_toks = _tokens(head), _tokens(tail)
        # "RI, Pyong Chol": the part before the comma is the surname.
        if len(head_toks) == 1 and tail_toks:
            sk = korean_surname_key(head_toks[0])
            given = _given_keys(tail_toks)
            if sk is not None and given is not None:
                return ((head_toks[0], tuple(tail_toks)),)
            return ()
    toks = _tokens(name)
    if len(toks) < 2:
        return ()
    readings: list[tuple[int, str, tuple[str, ...]]] = []
    ends = [(idx, korean_surname_key(toks[idx])) for idx in (0, len(toks) - 1)]
    if ends[0][1] is None and ends[1][1] is None:
        return ()  # the common case: not a Korean name at all
    caps = [_is_caps(t) for t in toks]
    single_caps = sum(caps) == 1
    for idx, sk in ends:
        if sk is None:
            continue
        rest = toks[1:] if idx == 0 else toks[:-1]
        given = _given_keys(rest)
        if given is None:
            continue
        # Preference: a lone ALL-CAPS token is the surname (lists' "KIM Jong Un");
        # then western order when the last token is Kim/Park/Choi/Lee spelled as
        # a surname (those are almost never given-name syllables: "Jong Un Kim");
        # else East Asian order, which lists use and romanised Hangul always has.
        # General surname frequency is no guide: 송림 is SONG Rim, not RIM Song.
        western = (
            idx != 0
            and _clean(toks[-1]) in _WESTERN_HINT
            and (_clean(toks[0]) not in _WESTERN_HINT)
        )
        pref = (0 if single_caps and caps[idx] else 1) * 4 + (0 if western else 2)
        pref += 0 if idx == 0 else 1
        readings.append((pref, toks[idx], tuple(rest)))
    readings.sort()
    return tuple((sur, given) for _, sur, given in readings)


def korean_name_key(name: str) -> tuple[str, tuple[str, ...]] | None:
    """(surname_key, given-name syllable keys) of a Latin Korean personal name, or None.

    Accepts "RI, Pyong Chol", "Lee Byeong-cheol", "KIM Jong-un", "Kang P'il Hun",
    and western order ("Byeong-cheol Lee", "Jong Un KIM"). Requires a known surname
    at either end and 1-3 given syllables that all parse as Korean; "Sergey Kozlov",
    "John Smith" and "Maria Kim" give None. When both ends are surnames and no
    ALL-CAPS token says which, the first wins unless the last is Kim/Park/Choi/Lee
    ("Jong Un Kim"); `korean_name_key_candidates` gives every reading.
    """
    cands = korean_name_key_candidates(name)
    return cands[0] if cands else None
