"""Foreign names written in Hangul (세르게이 코즐로프, 인텔렉트 유한책임회사): read back into
Latin letters with a reverse mapping learned from real Wikidata English<->Hangul pairs.

Korean foreign-word orthography (외래어 표기법) adds ㅡ after consonants that have no
vowel (르, 스, 트), writes final -v/-ff as 프, merges r and l into ㄹ, b and v into ㅂ, p and
f into ㅍ. Read as Korean syllables, 세르게이 is "se ru ke i"; the learned table
(`data/hangul_foreign.json`, rebuilt by bench/build_hangul_foreign.py from the train split)
knows that 르 is mostly "r", a final 프 "v" or "f", 이 at a word end "y" or "i".

Two uses: `readings` gives the likeliest Latin spellings of a word (candidate search), and
`similarity` says how well a listed Latin word reads as the Hangul word, from the best
split of the Latin word into the chunks the table allows, relative to the best reading.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib import resources
from operator import itemgetter
from typing import Any

from unidecode import unidecode

from matching.config import WEIGHTS

MAX_CHUNK = 4
BEAM = 24
# A chunk the table never saw for a syllable still costs this much, not infinity: clerks
# and lists deviate (코즐롭, 알렉산더), and a zero would drop the whole word.
UNSEEN = 0.002

# Korean legal forms, before or after a company's name; (주)/(유) are expanded earlier.
LEGAL_FORMS_HANGUL = {
    "유한책임회사": "llc",
    "유한회사": "llc",
    "주식회사": "co_ltd",
    "합자회사": "lp",
    "합명회사": "gp",
    "유": "llc",
    "주": "co_ltd",
}


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(
        resources.files("matching").joinpath("data/hangul_foreign.json").read_text("utf-8")
    )
    return raw


def _table() -> dict[str, dict[str, float]]:
    units: dict[str, dict[str, float]] = _data()["units"]
    return units


def _rieul_pair(prev: str, cur: str) -> bool:
    """A final ㄹ followed by an initial ㄹ (일로, 텔레): one l in the original."""
    a, b = ord(prev) - 0xAC00, ord(cur) - 0xAC00
    return 0 <= a < 11172 and 0 <= b < 11172 and a % 28 == 8 and b // 588 == 5


def units(word: str) -> list[str]:
    """The model's units: each syllable, marked "<" after a final ㄹ if it starts with ㄹ
    and "$" at the end of the word."""
    out = []
    for i, h in enumerate(word):
        mark = "<" if i and _rieul_pair(word[i - 1], h) else ""
        out.append(h + mark + ("$" if i == len(word) - 1 else ""))
    return out


# A word-final row learned from few pairs (쿠진: 진$ saw mostly "Gene") is backed off to
# the syllable's row, as n-gram models back off to a shorter context: the final row
# weighs n / (n + FINAL_BACKOFF) for a unit seen in n training pairs (프$, seen in
# hundreds of -ov names, keeps its own row).
FINAL_BACKOFF = 20.0


def _counts() -> dict[str, int]:
    counts: dict[str, int] = _data().get("counts", {})
    return counts


@lru_cache(maxsize=16384)
def _row(unit: str) -> dict[str, float]:
    t = _table()
    key = unit if unit in t or "<" not in unit else unit.replace("<", "")
    row = t.get(key)
    if unit.endswith("$"):
        inner = t.get(unit[:-1]) or (t.get(unit[:-1].replace("<", "")) if "<" in unit else None)
        if row and inner:
            n = _counts().get(key, 0)
            row = _mix(row, inner, n / (n + FINAL_BACKOFF))
        else:
            row = row or inner
    if not row:
        return _unseen_row(unit[0])
    # Smoothed with the syllable's composed readings (its open syllable + the final's
    # letters, its plain vowel): rows learned from few pairs miss spellings the
    # parts spell (닉 saw nick and nix, not Reznik's nik; 율 not Yulia's yul).
    # A row learned from few pairs leans on them more (the unit's pair count, n): 막, seen
    # in 10 pairs, read "maxi" first (Maximilian) and Maksim hardly at all.
    # (Not a syllable after a final ㄹ, 료 in 알료신: its parts spell the ㄹ twice.)
    composed = _unseen_row(unit[0])
    total = sum(composed.values())
    smoothed = {c: p / total for c, p in composed.items()}
    share = WEIGHTS.foreign_row_smoothing
    if "<" not in unit:
        prior = WEIGHTS.foreign_row_prior
        share = max(share, prior / (_counts().get(key, 0) + prior))
    return _mix(row, smoothed, 1.0 - share)


def _mix(a: dict[str, float], b: dict[str, float], wa: float) -> dict[str, float]:
    out = {c: wa * p for c, p in a.items() if wa > 0.0}
    for c, p in b.items():
        out[c] = out.get(c, 0.0) + (1.0 - wa) * p
    return out


# Vowels written with a y-glide (ㅖ ㅒ ㅕ) -> the plain vowel (ㅔ ㅐ ㅓ): Russian
# palatalised ре/рё/тя is written 례/탸 by some clerks; the pairs rarely show those.
_PLAIN_VOWEL = {7: 5, 3: 1, 6: 4, 2: 0, 12: 8, 17: 13}


# Final consonants (batchim, by Unicode final index) as foreign names spell them: 줍코프 =
# Zubkov (ㅂ before a consonant), 렉 = lek.
_FINAL_LETTERS = {
    1: ("k", "g"), 4: ("n",), 7: ("d", "t"), 8: ("l", "r"), 16: ("m",), 17: ("b", "p"),
    19: ("s", "t"), 21: ("ng", "n"), 24: ("k",), 25: ("t",), 26: ("p", "f"),
}  # fmt: skip


@lru_cache(maxsize=4096)
def _unseen_row(syllable: str) -> dict[str, float]:
    """A syllable the pairs never showed (례 in 데그차례프, 줍 in 줍코프): its Korean readings
    (MR, RR), the row of the same syllable with the plain vowel for a y-glide vowel (례 ->
    레: re), and for a closed syllable the open syllable's row followed by the final's
    letters (줍 -> 주 + b: zub), so that one rare syllable does not leave the whole name
    unread (any other chunk still costs UNSEEN)."""
    from matching.hangul import romanize_syllable

    if not "\uac00" <= syllable <= "\ud7a3":
        return {}
    out = {romanize_syllable(syllable, s): 0.5 for s in ("mr", "rr")}
    code = ord(syllable) - 0xAC00
    ini, vow, fin = code // 588, (code % 588) // 28, code % 28
    table = _table()
    for v in (vow, _PLAIN_VOWEL.get(vow, vow)):
        base = 0xAC00 + ini * 588 + v * 28
        rows: list[tuple[dict[str, float], tuple[str, ...]]] = [
            (table.get(chr(base + fin), {}), ("",))
        ]
        if fin:
            rows.append((table.get(chr(base), {}), _FINAL_LETTERS.get(fin, ())))
        for row, finals in rows:
            for chunk, p in row.items():
                for letters in finals:
                    if len(chunk + letters) <= MAX_CHUNK:
                        out[chunk + letters] = max(out.get(chunk + letters, 0.0), p)
    return out


# Letters Hangul writes alike (ㄹ = r/l, ㅂ = b/v, ㅍ = p/f, ㅈ = j/z, ㅋ = k/c/ck). Which
# one a chunk uses says more about the training names' language (Russian 레 is mostly
# "re", English 닉 "nick") than about the Hangul; scoring pools them, so LADY meets 레이디
# as well as a Russian Redi would.
_MERGED = str.maketrans("lvfzcy", "rbpjki")


def _merged(chunk: str) -> str:
    return chunk.replace("ck", "k").translate(_MERGED)


@lru_cache(maxsize=16384)
def _pooled_row(unit: str) -> tuple[dict[str, float], float]:
    """The unit's row with each chunk given its class's total, and the row's maximum."""
    row = _row(unit)
    total: dict[str, float] = {}
    for chunk, p in row.items():
        key = _merged(chunk)
        total[key] = total.get(key, 0.0) + p
    pooled = {chunk: total[_merged(chunk)] for chunk in row}
    return pooled, max(pooled.values(), default=0.0)


_LOG_UNSEEN = math.log(UNSEEN)


@lru_cache(maxsize=16384)
def _log_pooled_row(unit: str) -> dict[str, float | None]:
    """`_pooled_row` in log space, computed once per unit (the Viterbi below took a log per
    step), keyed by the pooled spelling (`_merged`: a listed "by" meets 비's "bi" and "vi"
    though the pairs never wrote "by"); None where the chunk is impossible."""
    pooled, _ = _pooled_row(unit)
    return {_merged(chunk): math.log(p) if p > 0.0 else None for chunk, p in pooled.items()}


# What the Viterbi and the beam need of one unit: its pooled log row, top and top's log
# (`_word_model`), its row's chunks with their logs, as in the row and best first
# (`_readings`), and the pooled chunks cheaper than an unseen one with their deficit
# below the top, least first (`_read`'s bounds).
_UnitModel = tuple[
    dict[str, float | None],
    float,
    float,
    tuple[tuple[str, float], ...],
    tuple[tuple[str, float], ...],
    tuple[tuple[str, float], ...],
]


@lru_cache(maxsize=16384)
def _unit_model(unit: str) -> _UnitModel | None:
    """None when the unit has no reading at all (its `_row` is empty)."""
    row = _row(unit)
    if not row:
        return None
    _, top = _pooled_row(unit)
    log_top = math.log(top) if top > 0.0 else -math.inf
    logs = tuple((c, math.log(p)) for c, p in row.items())
    ranked = tuple(sorted(logs, key=lambda cl: -cl[1]))
    pooled = _log_pooled_row(unit)
    deficits = [(c, log_top - lp) for c, lp in pooled.items() if lp is not None]
    cheap = [cd for cd in deficits if cd[1] < log_top - _LOG_UNSEEN]
    return pooled, top, log_top, logs, ranked, tuple(sorted(cheap, key=itemgetter(1)))


@lru_cache(maxsize=1)
def _known_units() -> dict[str, _UnitModel | None]:
    """Every unit the table has a row for, derived once per process like the table itself
    (a data-table loader: the first query of a process does not pay for it, and a
    benchmark's cold pass, which empties the per-input caches, starts from it as a
    running worker does). Units outside the table (rare syllables) go through the
    per-input caches."""
    return {unit: _unit_model(unit) for unit in _table()}


def _model_of(unit: str) -> _UnitModel | None:
    known = _known_units()
    return known[unit] if unit in known else _unit_model(unit)


@lru_cache(maxsize=65536)
def readings(word: str, k: int = 3) -> tuple[tuple[str, float], ...]:
    """The k likeliest Latin spellings of one Hangul word that differ in their search key
    (kugene/cugene are one key: the next reading, kuzin, is kept instead), with
    log-probabilities."""
    from matching.forms import token_key  # forms imports this module

    found: list[tuple[str, float]] = []
    keys: set[str] = set()
    for raw, lp in _readings(word, 4 * k):
        text = _sounded_c(raw)
        key = token_key(text)
        if key not in keys:
            keys.add(key)
            found.append((text, lp))
            if len(found) == k:
                break  # no more are returned
    letter = LETTER_NAMES.get(word)
    return ((letter, 0.0), *found[: k - 1]) if letter else tuple(found[:k])


_C_SOFT = re.compile(r"c(?=[eiy])")
_C_HARD = re.compile(r"c(?!h)")


def _sounded_c(text: str) -> str:
    """A c the English-dominated pairs wrote for ㅅ or ㅋ, as the sound Hangul wrote: a
    reading's search key (센 reads "cen" first: 페센코 was searched as pecenko, and the
    list's FESENKO lost to other names)."""
    if "c" not in text:
        return text
    return _C_HARD.sub("k", _C_SOFT.sub("s", text.replace("ck", "k")))


@lru_cache(maxsize=65536)
def _readings(word: str, k: int) -> tuple[tuple[str, float], ...]:
    beam: list[tuple[float, str]] = [(0.0, "")]
    for unit in units(word):
        model = _model_of(unit)
        if model is None:
            return ()
        chunks = model[4]  # best first
        # A final ㄹ before an initial ㄹ (일리야, 알료신) writes an l or r: a reading that
        # drops it from both syllables (일 "" + 리 "i": iya for Ilya) is no reading.
        rieul = "<" in unit
        nxt: dict[str, float] = {}
        # A spelling scoring below `floor`, the BEAM-th best score found so far, cannot
        # enter the beam (scores only rise): the beam (best first) and each row (best
        # first) stop there.
        floor = -math.inf
        for done, (lp, text) in enumerate(beam, 1):
            if lp + chunks[0][1] < floor:
                break
            lr = rieul and not text.endswith(("l", "r"))
            for chunk, log_p in chunks:
                score = lp + log_p
                if score < floor:
                    break
                if lr and not chunk.startswith(("l", "r")):
                    continue
                cand = text + chunk
                if score > nxt.get(cand, -math.inf):
                    nxt[cand] = score
            if done & (done - 1) == 0 and len(nxt) >= BEAM:  # now and then: it costs a sort
                floor = sorted(nxt.values(), reverse=True)[BEAM - 1]
        # heapq.nlargest's result (documented as this); below `floor` are BEAM better.
        beam = sorted([(s, t) for t, s in nxt.items() if s >= floor], reverse=True)[:BEAM]
    return tuple((t, s) for s, t in beam[:k] if t)


def _latin(token: str) -> str:
    if token.isascii() and token.isalpha() and token.islower():
        return token  # list tokens are mostly lower-case Latin letters already
    return "".join(c for c in unidecode(token).lower() if c.isalpha())


# Russian sounds whose Latin spelling the English-dominated pairs rarely show, written as
# the letters Korean clerks hear: х (kh) is ㅎ by the orthography, ㅋ by many clerks
# (아노킨); the -ий/-ый ending (-iy, -ij, -ii, -yy) is a plain 이/리 (유리 = Yuriy);
# palatalised тя/тю (tya, tju) is 차/추 (데그차례프 = Degtyarev).
_KH = re.compile(r"kh")
_IY_END = re.compile(r"(?<=[a-z]{2})(?:iy|ij|ii|yy|yi|yj)$")
_TY = re.compile(r"t[yj](?=[aeiou])")
# Letters Korean spells out as the sounds they stand for (issue 8, cross-validation split):
# x is ㄱ+ㅅ across two syllables (막심 = Maksim, Maxim); щ (shch) is ㅅ (유셴코 =
# Yushchenko); dzh/dj is ㅈ (자파로프); a doubled consonant is one (필리프 = Philipp).
_SPELLED = (("x", "ks"), ("shch", "sh"), ("dzh", "j"), ("dj", "j"), ("pp", "p"), ("ff", "f"))
# ...and sounds as Korean hears them (issue 8, session 6, dev splits): any doubled
# consonant is one (시에라 = Sierra), and so is a doubled i (session 7: Даниил = Daniil is
# 다닐); ий after a consonant is one i (일리나 = Ilyina);
# Ukrainian в after a vowel and before a consonant is 우, as in 키이우 = Kyiv (예우헨 =
# Yevhen); German ei/ey before a consonant is 아이 (클라인 = Klein).
_SOUNDED = (
    (re.compile(r"([bdgiklmnrstz])\1"), r"\1"),
    (re.compile(r"(?<=[^aeiou])yi"), "i"),
    (re.compile(r"(?<=[aeiouy])v(?=[bcdfghjklmnpqrstwxz])"), "u"),
    (re.compile(r"e[iy](?=[bcdfghjklmnpqrstvwxz])"), "ai"),
)
# Any of the above in a token (each variant below starts from a pattern found in it; the
# doubled consonant's is the only group, so its \1 holds in the union).
_ANY_VARIANT = re.compile(
    "|".join([
        *(re.escape(p) for p, _ in _SPELLED), _KH.pattern, _IY_END.pattern, _TY.pattern,
        *(rx.pattern for rx, _ in _SOUNDED),
    ])
)


@lru_cache(maxsize=65536)
def latin_variants(latin: str) -> tuple[str, ...]:
    """`latin` and its spellings with Russian kh, -iy, ty+vowel and `_SPELLED` letters as
    Hangul hears them."""
    out = [latin]
    if not _ANY_VARIANT.search(latin):
        return (latin,)  # most tokens: one C scan instead of the nine below
    for pat, rep in _SPELLED:
        if pat in latin:
            out += [v.replace(pat, rep) for v in out]
    for rx, sub in _SOUNDED:
        if rx.search(latin):
            out += [rx.sub(sub, v) for v in out]
    for v in list(out):
        if "kh" in v:
            out += [_KH.sub("h", v), _KH.sub("k", v)]
    for v in list(out):
        if _IY_END.search(v):
            out += [_IY_END.sub("y", v), _IY_END.sub("i", v)]
    for v in list(out):
        if _TY.search(v):
            out.append(_TY.sub("ch", v))
    return tuple(dict.fromkeys(out))


def similarity(word: str, token: str) -> float:  # cached by its caller, foreign_token_sim
    """How well Latin `token` reads as Hangul `word`, in [0, 1]: the best split of the
    token into the word's syllable chunks, against the word's best reading, per syllable;
    a token that does not read fully as written is also tried in its Russian-sound
    variants (`latin_variants`). Chunks that differ only in letters Hangul writes alike
    share their probability."""
    spellings = _spellings(token)
    if not spellings:
        return 0.0
    plain = _read(word, spellings[0])
    if plain >= FULL_READING or len(spellings) == 1:  # (a full reading: variants add nothing)
        return plain
    return max(plain, *(_read(word, v) for v in spellings[1:]), 0.0)


@lru_cache(maxsize=65536)
def _spellings(token: str) -> tuple[str, ...]:
    """The token's letters in the rows' keys (`_merged`), then its `latin_variants`',
    each spelling once (a token meets many words: spelled once per token); empty when
    the token has no letter."""
    latin = _latin(token)
    if not latin:
        return ()
    return tuple(dict.fromkeys(_merged(v) for v in latin_variants(latin)))


# Per syllable: its pooled log row, its top's log, its cheap chunks with their deficit
# (`_UnitModel`) and an unseen chunk's deficit.
_Syllable = tuple[dict[str, float | None], float, tuple[tuple[str, float], ...], float]
# Rounding room for `_read`'s bounds: a path is dropped by them only when it ends at
# least this far below the threshold, which float sums (errors ~1e-14) cannot bridge.
_MARGIN = 1e-9


@lru_cache(maxsize=16384)
def _word_model(
    word: str,
) -> tuple[tuple[_Syllable, ...], float, tuple[str, ...] | None, tuple[str, ...] | None]:
    """Per syllable of `word`, its `_Syllable`; the best reading's log-probability; and
    the chunks the first syllable can start a token with, and the last end it with,
    within the word's budget (None when any start or end is: an unseen chunk or a silent
    syllable is affordable). Empty when a syllable has no reading at all."""
    models = [_model_of(u) for u in units(word)]
    found = [m for m in models if m is not None and m[1] > 0.0]
    if len(found) < len(models):
        return (), 0.0, None, None
    best = sum(m[2] for m in found)
    budget = _MARGIN - len(found) * _LOG_NO_READING

    def affordable(m: _UnitModel) -> tuple[str, ...] | None:
        good = tuple(c for c, d in m[5] if d <= budget)
        return None if m[2] - _LOG_UNSEEN <= budget or "" in good else good

    syllables = tuple((m[0], m[2], m[5], m[2] - _LOG_UNSEEN) for m in found)
    return syllables, best, affordable(found[0]), affordable(found[-1])


def _edge(logs: dict[str, float | None], latin: str, suffix: bool) -> dict[int, float]:
    """Where a syllable reading the token's first (or last) letters ends (or starts):
    position -> log-probability; a silent syllable ends (starts) at the edge."""
    n = len(latin)
    out: dict[int, float] = {}
    silent = logs.get("")
    if silent is not None:
        out[n if suffix else 0] = silent
    for k in range(1, min(MAX_CHUNK, n) + 1):
        lp = logs.get(latin[n - k :] if suffix else latin[:k], _LOG_UNSEEN)
        if lp is not None:
            out[n - k if suffix else k] = lp
    return out


def _similarity(word: str, latin: str) -> float:
    return _read(word, _merged(latin)) if latin else 0.0


def _read(word: str, latin: str) -> float:
    """`_similarity` of a token already spelled in the rows' keys (`_merged`)."""
    model, best, first, last = _word_model(word)
    if not model:
        return 0.0
    n, m = len(latin), len(model)
    if n > MAX_CHUNK * m:
        return 0.0
    # Viterbi over (syllables read, letters used) in log space: the best split's
    # log-probability, `final`, must come within NO_READING per syllable of the best
    # reading's, `best`, else the token reads as nothing (most list tokens). Each
    # syllable adds at most its row's top, so a path's shortfall below the tops
    # ("deficit") only grows: a path is dropped as soon as its deficit so far plus a
    # lower bound of the deficits still to come exceeds the budget.
    floor = m * _LOG_NO_READING
    if m == 1:
        logs, log_top, _, _ = model[0]
        final = logs.get(latin, _LOG_UNSEEN) if n <= MAX_CHUNK else None
        if final is None or final < log_top + floor or final - best < floor:
            return 0.0
        return min(1.0, math.exp((final - best) / m))
    # Most tokens start or end with letters the word's first or last syllable cannot
    # afford to read: two C calls rule them out.
    if (first is not None and not latin.startswith(first)) or (
        last is not None and not latin.endswith(last)
    ):
        return 0.0
    # Lower bounds of each syllable's deficit: its cheapest chunk that starts the token
    # (first syllable), ends it (last) or is found anywhere in it (the others), an unseen
    # chunk's deficit at most. Their sum over the budget rules the token out; `rest[s]`
    # (what the syllables after s still cost at least) prunes the Viterbi.
    budget = _MARGIN - floor
    lows = [0.0] * m
    _, _, chunks, low = model[0]  # (each chunk cheaper than `low`, least first)
    for chunk, d in chunks:
        if latin.startswith(chunk):
            low = d
            break
    lows[0] = total = low
    _, _, chunks, low = model[-1]
    for chunk, d in chunks:
        if latin.endswith(chunk):
            low = d
            break
    lows[-1] = low
    total += low
    if total > budget:
        return 0.0
    for s in range(1, m - 1):
        _, _, chunks, low = model[s]
        for chunk, d in chunks:
            if chunk in latin:
                low = d
                break
        total += low
        if total > budget:
            return 0.0
        lows[s] = low
    rest = [0.0] * m
    for s in range(m - 2, -1, -1):
        rest[s] = rest[s + 1] + lows[s + 1]
    (logs0, top0, _, _), (logs1, top1, _, _) = model[0], model[-1]
    heads, tails = _edge(logs0, latin, False), _edge(logs1, latin, True)
    spent = top0
    keep = (spent + floor) + max(0.0, rest[0] - _MARGIN)
    cells = [(i, v) for i, v in heads.items() if v >= keep]  # (letters used, log-p)
    for s in range(1, m - 1):
        if not cells:
            return 0.0
        logs, log_top, _, _ = model[s]
        spent += log_top
        # A cell from which even MAX_CHUNK letters per syllable left cannot reach the
        # token's end never adds to the last cell: it is skipped.
        start = n - MAX_CHUNK * (m - s)
        silent = logs.get("")  # a syllable read as no letter at all
        get = logs.get
        new = [-math.inf] * (n + 1)
        for i, here in cells:
            if i < start:
                continue
            if silent is not None:
                v = here + silent
                if v > new[i]:
                    new[i] = v
            for end in range(i + 1, min(i + MAX_CHUNK, n) + 1):
                lp = get(latin[i:end], _LOG_UNSEEN)
                if lp is not None:
                    v = here + lp
                    if v > new[end]:
                        new[end] = v
        keep = (spent + floor) + max(0.0, rest[s] - _MARGIN)
        cells = [(i, v) for i, v in enumerate(new) if v >= keep]
    # The last syllable reads the token's end: only the cells its `tails` start from.
    final = -math.inf
    for i, here in cells:
        lp = tails.get(i)
        if lp is not None and here + lp > final:
            final = here + lp
    if final < (spent + top1) + floor or final - best < floor:
        return 0.0
    return min(1.0, math.exp((final - best) / m))


def is_legal_form(word: str) -> bool:
    return word in LEGAL_FORMS_HANGUL


def strip_hangul_legal_form(word: str) -> str:
    """인텔렉트유한책임회사 -> 인텔렉트; 주식회사인텔렉트 -> 인텔렉트 (long forms only: a
    one-syllable 유 or 주 inside a word is a syllable of the name)."""
    for form in LEGAL_FORMS_HANGUL:
        if len(form) < 4 or len(word) < len(form) + 2:
            continue
        if word.endswith(form):
            return word[: -len(form)]
        if word.startswith(form):
            return word[len(form) :]
    return word


# Calibrated on the TRAIN split of the pairs (3,000 true pairs against the same Hangul
# word paired with another name of the same initial): 99.5% of wrong pairs score below
# NO_READING; FULL_READING is about the median of true pairs.
FULL_READING = 0.5
NO_READING = 0.16
_LOG_NO_READING = math.log(NO_READING)


# How Korean writes the names of Latin letters (LADY R = 레이디 알).
LETTER_NAMES = {
    "에이": "a", "비": "b", "씨": "c", "디": "d", "이": "e", "에프": "f", "지": "g",
    "에이치": "h", "아이": "i", "제이": "j", "케이": "k", "엘": "l", "엠": "m", "엔": "n",
    "오": "o", "피": "p", "큐": "q", "알": "r", "아르": "r", "에스": "s", "티": "t",
    "유": "u", "브이": "v", "더블유": "w", "엑스": "x", "와이": "y", "제트": "z",
}  # fmt: skip


@lru_cache(maxsize=262144)
def foreign_token_sim(word: str, token: str) -> float:
    """Token similarity for the alignment: 1 from FULL_READING up, 0 below NO_READING;
    a Latin letter meets the Hangul name of that letter."""
    if not word or not ("\uac00" <= word[0] <= "\ud7a3"):
        return 0.0
    if len(token) == 1:
        return 1.0 if LETTER_NAMES.get(word) == token.lower() else 0.0
    x = similarity(word, token)
    if x <= NO_READING:
        return 0.0
    return min(1.0, (x - NO_READING) / (FULL_READING - NO_READING))


def looks_foreign(word: str) -> bool:
    """A word only foreign-word orthography writes: a bare consonant given ㅡ (르, 스, 트,
    프, 즈) or ㅔ/ㅐ followed by 이 (세르게이, 레이디). Korean names and Sino-Korean company
    words almost never have either."""
    prev = -1
    for ch in word:
        code = ord(ch) - 0xAC00
        if not 0 <= code < 11172:
            return False
        ini, vow, fin = code // 588, (code % 588) // 28, code % 28
        if vow == 18 and fin == 0 and ini != 11:
            return True
        if ch == "이" and prev in (1, 5):
            return True
        prev = vow if fin == 0 else -1
    return False
