"""Graded Korean syllable matching: how well one written syllable reads as another.

Every syllable of a Korean personal name, whatever its script, becomes a *unit*: the
Hangul syllables it can be a reading of, each with a weight in (0, 1]. A Hangul syllable
is itself (weight 1). A Latin syllable ("Pyong", "Soo", "Jong") is each Hangul syllable
it can spell under McCune-Reischauer (marks dropped, as lists print it), the DPRK system,
Revised Romanization or customary practice; the weight is the lowest of the weights of
its initial, vowel and final spellings (`matching/data/korean_syllable_weights.json`:
official systems 1.0, customary spellings and rare merges by how often real names in the
Wikidata pairs use them, see bench/build_korean_weights.py). A spelling no table lists
(o for ㅡ after a consonant, dae for 태) is no reading at all.

Two units meet through their best common Hangul syllable (min of the two weights). Hangul
syllables are compared after the initial-sound law (리 = 이, 로 = 노) and with finals
reduced to the sound they have at a word end, as every romanisation writes them.

A name scores as its weakest syllable: one syllable read another way is another person
(김소현 is not KIM Soo Hyun), while names that differ only in system (RI Pyong Chol, Lee
Byeong-cheol, 리병철) score 1.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from matching.config import WEIGHTS
from matching.hangul import (
    COMPOUND_SURNAMES,
    initial_law_alternate,
    is_hangul_syllable,
    romanize_syllable,
)
from matching.korean import (
    _COMMON_GIVEN,
    _SURNAMES,
    SURNAME_SYLLABLES_BY_FREQUENCY,
    _clean,
    korean_name_splits,
    korean_syllable_spellings,
    surname_hangul,
)
from matching.korean_spellings import (
    FINAL_CLASS_OF_JAMO,
    FINAL_JAMO_OF_CLASS,
    FINALS,
    INITIALS,
    SYSTEMS,
    VOWELS,
)

Unit = dict[str, float]  # canonical Hangul syllable(s) -> weight of the reading

CUSTOMARY = 0.85  # a known customary spelling (Soo, Young) still alerts at the default 0.8


@dataclass(frozen=True, slots=True)
class Syllable:
    text: str  # as written: "병", "Pyong", "Lee"
    unit: tuple[tuple[str, float], ...]  # sorted (canonical Hangul, weight)
    script: str  # hangul, latin, cyrillic
    # Shown first among equal readings (Cyrillic Ын: 은, not 운; the key merges them).
    prefer: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Reading:
    """One reading of a name as a Korean personal name: surname + given syllables."""

    surname: Syllable
    given: tuple[Syllable, ...]


# --- weights ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def _weights() -> dict[str, dict[str, dict[str, float]]]:
    raw = json.loads(
        resources.files("matching").joinpath("data/korean_syllable_weights.json").read_text("utf-8")
    )
    return {
        t: {jid: {sp: float(v[0]) for sp, v in row.items()} for jid, row in raw[t].items()}
        for t in ("i", "v", "f")
    }


def _table(
    name: str, rows: dict[str, tuple[tuple[str, str], ...]]
) -> dict[str, list[tuple[str, float]]]:
    """spelling -> [(jamo id, weight)] over one jamo table."""
    learned = _weights()[name]
    out: dict[str, list[tuple[str, float]]] = {}
    for jid, spellings in rows.items():
        for sp, tag in spellings:
            w = 1.0 if tag in SYSTEMS else learned.get(jid, {}).get(sp, 0.0)
            if w > 0.0:
                out.setdefault(sp, []).append((jid, w))
    return out


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, list[tuple[str, float]]], ...]:
    return (
        _table("i", {str(i): row for i, row in enumerate(INITIALS)}),
        _table("v", {str(i): row for i, row in enumerate(VOWELS)}),
        _table("f", dict(FINALS)),
    )


# --- canonical Hangul ----------------------------------------------------------------

_I_Y = frozenset((2, 3, 6, 7, 12, 17, 20))  # ㅑ ㅒ ㅕ ㅖ ㅛ ㅠ ㅣ


def _compose(ini: int, vow: int, fin: int) -> str:
    return chr(0xAC00 + ini * 588 + vow * 28 + fin)


@lru_cache(maxsize=16384)
def canonical(syllable: str) -> str:
    """The syllable after the initial-sound law, its final as heard at a word end."""
    code = ord(syllable) - 0xAC00
    ini, vow, fin = code // 588, (code % 588) // 28, code % 28
    if ini in (5, 2) and vow in _I_Y:  # ㄹ/ㄴ before i/y -> ㅇ
        ini = 11
    elif ini == 5:  # ㄹ -> ㄴ
        ini = 2
    return _compose(ini, vow, FINAL_JAMO_OF_CLASS[FINAL_CLASS_OF_JAMO[fin]])


def _canonical_word(word: str) -> str:
    return "".join(canonical(c) for c in word)


# --- units ---------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def latin_unit(spelling: str) -> tuple[tuple[str, float], ...]:
    """Hangul syllables one Latin syllable can be a reading of, with weights."""
    ini_t, vow_t, fin_t = _tables()
    out: dict[str, float] = {}
    n = len(spelling)
    for a in range(0, min(n, 3) + 1):
        inis = ini_t.get(spelling[:a])
        if not inis:
            continue
        for b in range(a + 1, min(n, a + 4) + 1):
            vows = vow_t.get(spelling[a:b])
            fins = fin_t.get(spelling[b:])
            if not vows or not fins:
                continue
            for ij, iw in inis:
                for vj, vw in vows:
                    for fc, fw in fins:
                        h = canonical(_compose(int(ij), int(vj), FINAL_JAMO_OF_CLASS[fc]))
                        w = min(iw, vw, fw)
                        if w > out.get(h, 0.0):
                            out[h] = w
    return tuple(sorted(out.items()))


def _surname_unit(token: str) -> tuple[tuple[str, float], ...]:
    spelling = _clean(token).replace("-", "")
    out = dict(latin_unit(spelling))
    for h in surname_hangul(spelling):
        out[_canonical_word(h)] = 1.0  # Park, Choi, Lee, Rhee: the surname table
    return tuple(sorted(out.items()))


def meet(a: Syllable, b: Syllable) -> tuple[float, str]:
    """Best common reading of two syllables: (weight, canonical Hangul), or (0, "")."""
    small, big = (a.unit, b.unit) if len(a.unit) <= len(b.unit) else (b.unit, a.unit)
    if len(small) == 1:  # a Hangul syllable: one reading, found by a scan
        h = small[0][0]
        found = [hb for hb in big if hb[0] == h]
        if not found:
            return 0.0, ""
        other = dict(found)
    else:
        other = dict(big)
    best, where = (0.0, False, False), ""
    for h, w in small:
        v = other.get(h)
        if v is None:
            continue
        # Ties (철/절 for Chol ~ Cheol) are shown as the syllable the text spells, then
        # as the one names use most.
        rank = (min(w, v), h in a.prefer or h in b.prefer, h in _NAME_SYLLABLES)
        if rank > best:
            best, where = rank, h
    return best[0], where


_NAME_SYLLABLES = frozenset(canonical(c) for c in _COMMON_GIVEN + SURNAME_SYLLABLES_BY_FREQUENCY)


# --- readings of whole names ---------------------------------------------------------


def _hangul_syllable(h: str) -> Syllable:
    return Syllable(h, ((_canonical_word(h), 1.0),), "hangul")


def _hangul_readings(name: str, both_orders: bool) -> tuple[Reading, ...]:
    words = name.split()
    if not words or not all(all(is_hangul_syllable(c) for c in w) for w in words):
        return ()
    splits: list[tuple[str, str]] = []
    if len(words) == 1 and 2 <= len(words[0]) <= 4:
        w = words[0]
        cut = 2 if len(w) == 4 and w[:2] in COMPOUND_SURNAMES else 1
        splits.append((w[:cut], w[cut:]))
    elif len(words) == 2:
        a, b = words
        if len(a) <= 2 and 1 <= len(b) <= 3:
            splits.append((a, b))
        # Western form fields: given name first ("정은 김").
        if both_orders and is_hangul_surname(b) and 1 <= len(a) <= 3:
            splits.append((b, a))
    out = []
    for sur, given in splits:
        if len(sur) == 2 and sur not in COMPOUND_SURNAMES:
            continue
        out.append(Reading(_hangul_syllable(sur), tuple(_hangul_syllable(c) for c in given)))
    return tuple(out)


@lru_cache(maxsize=1)
def _hangul_surnames() -> frozenset[str]:
    return frozenset(h for h, _ in _SURNAMES)


def is_hangul_surname(word: str) -> bool:
    return word in _hangul_surnames()


def _latin_syllable(spelling: str) -> Syllable | None:
    unit = latin_unit(spelling)
    return Syllable(spelling.capitalize(), unit, "latin") if unit else None


def _latin_reading(sur: str, given: tuple[str, ...]) -> Reading | None:
    sunit = _surname_unit(sur)
    if not sunit:
        return None
    syls: list[Syllable] = []
    for tok in given:
        parts = korean_syllable_spellings(tok)
        if parts is None:
            return None
        for p in parts:
            s = _latin_syllable(p)
            if s is None:
                return None
            syls.append(s)
    if not 1 <= len(syls) <= 3:
        return None
    return Reading(Syllable(sur.capitalize(), sunit, "latin"), tuple(syls))


def _glued_readings(token: str) -> list[Reading]:
    """KIMJONGUN, ParkJihoon: a known surname spelling, then 1-2 given syllables."""
    flat = _clean(token).replace("-", "")
    out = []
    for cut in range(1, min(8, len(flat) - 1) + 1):
        head, rest = flat[:cut], flat[cut:]
        if not surname_hangul(head):
            continue
        r = _latin_reading(head, (rest,))
        if r is not None and len(r.given) == 2:
            out.append(r)
    return out


@lru_cache(maxsize=65536)
def name_readings(name: str, *, query: bool) -> tuple[Reading, ...]:
    """Readings of a name as a Korean personal name, best first.

    Lists keep their best reading; a query keeps every order (surname first or last, in
    Hangul, Latin or Cyrillic) and, for one glued Latin token, every known surname prefix.
    """
    text = " ".join(name.replace("·", " ").split())
    if any(is_hangul_syllable(c) for c in text):
        out = _hangul_readings(text, query)
    elif _has_cyrillic(text):
        out = _cyrillic_readings(text, query)
    else:
        out = tuple(
            r
            for sur, given in korean_name_splits(text)
            if (r := _latin_reading(sur, given)) is not None
        )
        toks = text.split()
        if query and not out and len(toks) == 1 and len(toks[0]) >= 5:
            out = tuple(_glued_readings(toks[0]))
    return out if query else out[:1]


def _has_cyrillic(text: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in text)


@lru_cache(maxsize=1)
def _hangul_by_key() -> dict[str, tuple[str, ...]]:
    from matching.hangul import hangul_syllable_key

    out: dict[str, set[str]] = {}
    for code in range(11172):
        h = chr(0xAC00 + code)
        out.setdefault(hangul_syllable_key(h), set()).add(canonical(h))
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _key_syllable(key: str, text: str) -> Syllable:
    # Kontsevich readings come as coarse keys (matching.korean_cyrillic): every Hangul
    # syllable with that key is a full reading, as before this model existed.
    unit = tuple((h, 1.0) for h in _hangul_by_key().get(key, ()))
    return Syllable(text, unit, "cyrillic", _cyrillic_spells(text.lower()))


@lru_cache(maxsize=16384)
def _cyrillic_spells(text: str) -> frozenset[str]:
    """Canonical Hangul syllables one Cyrillic syllable spells (Ын: 은, 읜...)."""
    from matching.korean_cyrillic import _segment

    parsed = _segment(text, False)
    if parsed is None or len(parsed) != 1:
        return frozenset()
    return frozenset(canonical(h) for _, h in parsed[0])


def _cyrillic_readings(text: str, query: bool) -> tuple[Reading, ...]:
    from matching.korean_cyrillic import (
        _surname_keys,
        glued_cyrillic_splits,
        korean_keys_from_cyrillic,
    )

    keys = korean_keys_from_cyrillic(text, 8 if query else 1)
    if query and not keys:  # КИМЧЕНЫН, read as КИМ ЧЕН ЫН
        return tuple(
            r
            for t in glued_cyrillic_splits(text)
            for r in _cyrillic_readings(t, True)
            if r.surname.text == t.split()[0]
        )
    words = [w.strip(",.") for w in text.split()]
    out = []
    for sk, given in keys:
        # Show the syllables as written when the tokens line up with the reading.
        shown = [*words[-1:], *words[:-1]] if sk not in _surname_keys(words[0].lower()) else words
        if len(shown) != 1 + len(given):
            shown = [sk, *given]
        units = tuple((_canonical_word(h), 1.0) for h in _surnames_by_key(sk))
        sur = Syllable(shown[0], units, "cyrillic")
        syls = tuple(_key_syllable(k, t) for k, t in zip(given, shown[1:], strict=True))
        out.append(Reading(sur, syls))
    return tuple(out)


@lru_cache(maxsize=4096)
def _surnames_by_key(key: str) -> tuple[str, ...]:
    from matching.hangul import hangul_syllable_key

    return tuple(h for h, _ in _SURNAMES if "".join(hangul_syllable_key(c) for c in h) == key)


# --- scoring -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Alignment:
    score: float
    pairs: tuple[tuple[str | None, str | None, float, float], ...]
    readings: tuple[str, ...]  # "정 ~ Jong (MR)" per aligned syllable


SURNAME_WEIGHT = 1.0
GIVEN_WEIGHT = 1.5


def align(q: Reading, li: Reading) -> Alignment:
    """Score one query reading against one list reading, syllable by syllable."""
    rows: list[tuple[Syllable | None, Syllable | None, float]] = [
        (q.surname, li.surname, SURNAME_WEIGHT)
    ]
    n = max(len(q.given), len(li.given))
    rows += [
        (
            q.given[k] if k < len(q.given) else None,
            li.given[k] if k < len(li.given) else None,
            GIVEN_WEIGHT,
        )
        for k in range(n)
    ]
    pairs = []
    notes = []
    hs: list[str] = []
    num = den = 0.0
    weakest = 1.0
    for a, b, w in rows:
        s, h = meet(a, b) if a is not None and b is not None else (0.0, "")
        hs.append(h)
        weakest = min(weakest, s)
        num += s * w
        den += w * ((a is not None) + (b is not None))
        pairs.append((a.text if a else None, b.text if b else None, round(s, 4), w))
        if a is not None and b is not None:
            notes.append(describe(a, b, h, s))
    dice = 2.0 * num / den if den else 0.0
    cap = WEIGHTS.korean_mismatch_cap if len(q.given) != len(li.given) else weakest
    score = min(dice, cap)
    if score > MIXED_SYSTEMS_CAP and (_mixed(q, li, hs) or _mixed(li, q, hs)):
        score = MIXED_SYSTEMS_CAP
        notes.append(f"systems mixed within one name: at most {MIXED_SYSTEMS_CAP}")
    return Alignment(score, tuple(pairs), tuple(notes))


# A name whose given syllables need two systems (Pyong MR/DPRK + Cheol RR: 병철 as "Pyong
# Cheol") is a little less likely the same writing of one name than one read under a
# single system (Pyong Chol, Byeong Cheol); it still alerts.
MIXED_SYSTEMS_CAP = 0.95
_SYSTEM_SCHEMES = ("mr", "dprk", "rr")


def _mixed(side: Reading, other: Reading, hs: list[str]) -> bool:
    """True if `side` is Latin and its given syllables, read as the Hangul they met, agree
    under no one system (MR as lists print it, DPRK, RR). Customary spellings (Soo,
    Young: no system writes them, their weight already says how usual they are) and
    syllables every system writes alike (Hwan) are left out."""
    if side.surname.script != "latin":
        return False
    common = set(_SYSTEM_SCHEMES)
    for k, syl in enumerate(side.given):
        h = hs[k + 1]
        if not h:
            return False
        theirs = other.given[k].text if other.given[k].script == "hangul" else ""
        found = systems_of(h, theirs, syl.text)
        if found:
            common &= found
    return not common


@lru_cache(maxsize=65536)
def systems_of(h: str, written_hangul: str, latin: str) -> frozenset[str]:
    """Systems that write one Hangul syllable as `latin`: the syllable as the other side
    wrote it (룡) or, between two Latin names, the canonical syllable they met and its
    initial-sound-law forms (용, 룡)."""
    low = _clean(latin).replace("-", "")
    options = {written_hangul} if written_hangul else {h}
    if not written_hangul and (alt := initial_law_alternate(h)) is not None:
        options.add(alt)
        if (back := initial_law_alternate(alt)) is not None:
            options.add(back)
    return frozenset(
        s for s in _SYSTEM_SCHEMES for o in options if romanize_syllable(o, s) == low
    )


def best_alignment(qs: tuple[Reading, ...], ls: tuple[Reading, ...]) -> Alignment | None:
    best: Alignment | None = None
    for q in qs:
        for li in ls:
            a = align(q, li)
            if best is None or a.score > best.score:
                best = a
    return best


_SCHEME_NAMES = (("mr", "MR"), ("dprk", "DPRK"), ("rr", "RR"))


@lru_cache(maxsize=65536)
def _systems(h: str, written: str) -> str:
    """Which systems write Hangul `h` as `written` (for explanations)."""
    low = _clean(written).replace("-", "")
    found = [
        label
        for scheme, label in _SCHEME_NAMES
        if all(is_hangul_syllable(c) for c in h)
        and "".join(romanize_syllable(c, scheme) for c in h) == low
    ]
    if found:
        return "/".join(found)
    target = _canonical_word(h)
    usual = any(w >= CUSTOMARY for hh, w in _unit_of(written) if hh == target)
    return "customary" if usual else "rare"


def _unit_of(written: str) -> tuple[tuple[str, float], ...]:
    low = _clean(written).replace("-", "")
    return _surname_unit(low) if surname_hangul(low) else latin_unit(low)


def describe(a: Syllable, b: Syllable, h: str, s: float) -> str:
    if not h:
        return f"{a.text} ≠ {b.text}"
    if a.script == "hangul" and b.script == "latin":
        return f"{a.text} ~ {b.text} ({_systems(a.text, b.text)})"
    if b.script == "hangul" and a.script == "latin":
        return f"{a.text} ~ {b.text} ({_systems(b.text, a.text)})"
    if a.script == "latin" and b.script == "latin":
        if _clean(a.text) == _clean(b.text):
            return f"{a.text} ~ {b.text} ({h})"
        return f"{a.text} ~ {b.text} ({h}: {_systems(h, a.text)} / {_systems(h, b.text)})"
    return f"{a.text} ~ {b.text} ({h})"
