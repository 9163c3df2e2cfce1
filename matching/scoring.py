"""Name scoring: align the tokens of a query form with a list name, weight them by
rarity (IDF over the loaded lists) and return a Dice-like score in [0, 1].

Korean personal names are compared on surname and given-syllable keys instead, so that
romanisation differences vanish but a different syllable (KIM JONG IL) never passes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import OSA

from matching.config import WEIGHTS
from matching.forms import Form, KoreanKey
from matching.glossary import is_concept
from matching.hangul_foreign import foreign_token_sim
from matching.korean import korean_syllable_keys
from matching.korean_syllables import Reading, best_alignment, name_readings

# Every weight is read from matching.config.WEIGHTS (one typed object, hashed onto each
# result). Short words joined spell too many things by chance (Ли Анна = vessel LIANA):
# join_min_length. A person's one-word alias ("SAMIR") met by one word of a fuller name
# is a namesake far more often than the person: one_word_alias_cap.


@dataclass(slots=True)
class ListName:
    """One list name in one form, ready for scoring."""

    entity: int
    text: str
    quality: str
    form: Form
    weights: tuple[float, ...]
    korean: KoreanKey | None
    miss: tuple[float, ...] = ()  # weight of each token when it finds no partner
    person: bool = False
    # A person's alias whose words are a strict subset of another of their names (a
    # given-name-only alias): met by a fuller query name, the rest must agree elsewhere.
    partial: bool = False


@dataclass(slots=True)
class NameScore:
    score: float
    pairs: list[tuple[str | None, str | None, float, float]]  # query, list, sim, weight
    korean: bool = False
    readings: tuple[str, ...] = ()  # Korean syllables as met: "병 ~ Pyong (MR)"


def max_edits(length: int) -> int:
    """Typos tolerated in a token of this length (the shorter of the two)."""
    if length <= 4:
        return 0
    if length <= 8:
        return 1
    return 2 if length <= 14 else 3


def fuzzy_sim(a: str, b: str) -> float:
    """1 - edits/length when the edits (transpositions count once) are few enough, else 0."""
    la, lb = len(a), len(b)
    # max_edits inlined, and lengths alone rule out most pairs (this runs for every
    # token pair a search brings up).
    short, diff = (la, lb - la) if la <= lb else (lb, la - lb)
    if short <= 4:
        # (the same length, or a vowel more in a 4-letter word: _short_vowel_sim)
        return _short_vowel_sim(a, b) if diff == 0 or (
            diff == 1 and short == VOWEL_DROP_MIN) else 0.0
    limit = 1 if short <= 8 else 2 if short <= 14 else 3
    if diff > limit:
        return 0.0
    d = OSA.distance(a, b, score_cutoff=limit)
    if d > limit:
        return 0.0
    return 1.0 - WEIGHTS.fuzzy_penalty * d / (la if la > lb else lb)


_VOWELS = frozenset("aeiouy")
VOWEL_DROP_MIN = 4  # letters of the shorter word (Rad / Raad, Ali / Alia: other names)


def _short_vowel_sim(a: str, b: str) -> float:
    """Short tokens take no typo, but a list's own spellings of a short name differ by
    one vowel after the first letter (Eli / Ely, Saed / Said, Asef / Asif): scored as
    one edit, and so does an inner vowel written or left out in a 4-letter word (Saqr / Saqar,
    Ohri / Oehri, Chin / Chein). Consonants and first letters still decide (Omar / Amar,
    Mark / Mary)."""
    la, lb = len(a), len(b)
    if la != lb:
        if la + lb != 2 * VOWEL_DROP_MIN + 1:  # (fuzzy_sim calls it only then)
            return 0.0
        short, long_ = (a, b) if la < lb else (b, a)
        # Inner letters only: a final vowel makes another name (Ivan / Ivana).
        for i in range(1, VOWEL_DROP_MIN):
            if long_[i] in _VOWELS and long_[:i] + long_[i + 1 :] == short:
                return 1.0 - WEIGHTS.fuzzy_penalty / (VOWEL_DROP_MIN + 1)
        return 0.0
    if la < 3:
        return 0.0
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) != 1 or diff[0] == 0 or a[diff[0]] not in _VOWELS or b[diff[0]] not in _VOWELS:
        return 0.0
    return 1.0 - WEIGHTS.fuzzy_penalty / len(a)


# Russian/Ukrainian adjective and case endings: Arzamasskiy ~ Arzamas, Omskiy ~ Omsk.
def _words(text: str) -> list[str]:
    return text.split()


_STEM_ENDINGS = frozenset(
    [
        "skii",
        "skiy",
        "sky",
        "skyi",
        "skij",
        "skaya",
        "skaia",
        "skoe",
        "skoye",
        "skogo",
        "skaja",
        "skoje",
        "iy",
        "ii",
        "yi",
        "ij",
        "ya",
        "ia",
    ]
)
_TOWN_ENDINGS = frozenset(["oe", "oye", "oie", "aya", "aia", "aja", "ogo", "om", "ikh", "ykh"])


def stem_sim(a: str, b: str) -> float:
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 4 or not long_.startswith(short[:-1]):
        return 0.0  # what every rule below needs (most token pairs fail it)
    if len(short) >= 4 and long_.startswith(short) and long_[len(short) :] in _STEM_ENDINGS:
        return WEIGHTS.stem_sim
    # A town in -sk and its adjective in any gender: Biysk ~ Biyskoe, Tomsk ~ Tomskaya.
    if len(short) >= 4 and short.endswith("sk") and long_.startswith(short) and (
        long_[len(short) :] in _TOWN_ENDINGS
    ):
        return WEIGHTS.stem_sim
    # An adjective may drop the noun's final vowel: Kama ~ Kamskii (Камский).
    if (
        len(short) >= 4
        and short[-1] in "aoe"
        and long_.startswith(short[:-1])
        and long_[len(short) - 1 :].startswith("sk")
        and long_[len(short) - 1 :] in _STEM_ENDINGS
    ):
        return WEIGHTS.stem_sim
    return 0.0


_HANGUL_WORD = re.compile("[\uac00-\ud7a3]+").fullmatch


@lru_cache(maxsize=1 << 20)
def token_sim(qt: str, qk: str, lt: str, lk: str) -> float:
    """Similarity of two tokens: 1 for the same key, WEIGHTS.initial_sim for an initial, graded
    edit similarity for a few typos, else 0."""
    if qt == lt:
        return 1.0
    if qk == lk:
        # Folded keys of very short tokens collide (LLC/LTS): trust them from 4 letters.
        return 1.0 if min(len(qt), len(lt)) >= 4 else 0.0
    if len(qt) == 1 or len(lt) == 1:
        if (len(qt) == 1 and lt.startswith(qt)) or (len(lt) == 1 and qt.startswith(lt)):
            return WEIGHTS.initial_sim
        return 0.0
    keys = fuzzy_sim(qk, lk)
    if qt == qk and lt == lk:
        tokens = keys  # plain Latin tokens are their own keys: it would repeat the first
    elif not qt.isascii() and lt.isascii() and _HANGUL_WORD(qt) is not None:
        # A Hangul word (a foreign-form token) and a Latin token share no character, and
        # fuzzy_sim is 0 for such a pair: test_speed_equivalence shows why.
        tokens = 0.0
    else:
        tokens = fuzzy_sim(qt, lt)
    # stem_sim needs the shorter token, of 4 letters or more, less its last letter to
    # begin the longer one: most pairs differ in their first three letters.
    stem = stem_sim(qt, lt) if qt[:3] == lt[:3] else 0.0
    return max(keys, tokens, stem)


@lru_cache(maxsize=1 << 16)
def same_korean_word(romanised: str, listed: str) -> bool:
    """A word romanised from Hangul meets a listed word written in another romanisation
    (단군: "tankun" syllable by syllable, TANGUN on the UN list, Dangun in RR)."""
    ours = korean_syllable_keys(romanised)
    return ours is not None and len(ours) > 1 and ours == korean_syllable_keys(listed)


_PATRONYMIC = re.compile(
    r"(?:ovich|evich|ovych|evych|ovitch|ovna|evna|ivna|ichna|ogly|oglu|kyzy|qizi)$"
)




def is_patronymic(token: str) -> bool:
    return len(token) > 6 and _PATRONYMIC.search(token) is not None


_is_patronymic = is_patronymic


def miss_weights(tokens: tuple[str, ...], weights: tuple[float, ...]) -> tuple[float, ...]:
    out = []
    for t, w in zip(tokens, weights, strict=True):
        if _is_patronymic(t):
            # Its weight as a common name's at most: a missing Afanasyevich (rare on the
            # lists) says no more than a missing Petrovich (capped as common), and at its
            # own rarity it sank "Yegor Borisov" below the threshold against Yegor
            # Afanasyevich BORISOV (0.79) while Ivan Petrovich IVANOV scored 0.92.
            w = min(w, WEIGHTS.common_token_weight) * WEIGHTS.missing_patronymic_factor
        elif is_concept(t):
            w *= WEIGHTS.missing_concept_factor
        out.append(w)
    return tuple(out)


def score_name(
    form: Form,
    qweights: tuple[float, ...],
    qmiss: tuple[float, ...],
    cand: ListName,
    qkorean: tuple[KoreanKey, ...],
    qreadings: tuple[Reading, ...] = (),
    lreadings: tuple[Reading, ...] | None = None,
) -> NameScore:
    """`lreadings`: the list name's `name_readings` when known (an engine keeps them)."""
    if qkorean and cand.korean is not None:
        if qreadings:
            # Graded syllables (matching.korean_syllables); keys only block candidates.
            if lreadings is None:
                lreadings = name_readings(cand.text, query=False)
            al = best_alignment(qreadings, lreadings) if lreadings else None
            if al is not None:
                return NameScore(al.score, list(al.pairs), korean=True, readings=al.readings)
        return max((_score_korean(k, cand) for k in qkorean), key=lambda ns: ns.score)
    ns = _score_tokens(form, qweights, qmiss, cand, korean_query=bool(qkorean))
    assert isinstance(ns, NameScore)
    return ns


def score_tokens_above(
    form: Form,
    qweights: tuple[float, ...],
    qmiss: tuple[float, ...],
    cand: ListName,
    qkorean: tuple[KoreanKey, ...],
    floor: float,
) -> NameScore | float:
    """The token alignment score of `score_name` (a list name without a Korean key), or,
    when the name cannot reach `floor`, a bound below it (a float) instead of the score:
    most candidates a search returns are far from any alert and need no alignment."""
    return _score_tokens(form, qweights, qmiss, cand, korean_query=bool(qkorean), floor=floor)


def _score_tokens(
    form: Form,
    qweights: tuple[float, ...],
    qmiss: tuple[float, ...],
    cand: ListName,
    *,
    korean_query: bool = False,
    floor: float = 0.0,
) -> NameScore | float:
    lf = cand.form
    nq, nl = len(form.tokens), len(lf.tokens)
    # Syllables romanised from Hangul are exact or different: no typo tolerance. A
    # Hangul-written foreign name is read back by the learned model instead.
    foreign = form.scheme.startswith("foreign")
    strict = form.script == "hangul" and not foreign
    plain = not (foreign or strict)
    scored: list[tuple[float, float, int, int]] = []
    ltokens, lkeys, lweights = lf.tokens, lf.keys, cand.weights
    qtokens, qkeys = form.tokens, form.keys
    person, initial, factor = cand.person, WEIGHTS.initial_sim, WEIGHTS.foreign_key_factor
    # An organisation word romanised or translated from another script that differs in
    # its first letter is another word (ГНИИмаш / NIIMASH, Нефтегазгеология /
    # OBNEFTEGAZGEOLOGIYA): romanisation keeps first letters. A name typed in Latin
    # script may carry a typo there (tHIPPING, UCLTURE, TEKLOVOLOKNO), so not for it.
    first_letter = not person and form.script != "latin"
    # For the bound (`_bound`): each list token's best similarity, query tokens met.
    best_l = [0.0] * nl
    has_q = [False] * nq
    for i in range(nq):
        qt, qk = qtokens[i], qkeys[i]
        for j in range(nl):
            lt = ltokens[j]
            s = token_sim(qt, qk, lt, lkeys[j])
            if s == 0.0 and plain:
                continue  # most pairs (the lines below would drop it too)
            if s < 1.0:
                if foreign:
                    # The reading's key met by typo tolerance stacks two guesses
                    # (붐인 read bumin, then bumin ~ BUSHMIN): it counts a little less
                    # than the learned model's own reading.
                    read, s = foreign_token_sim(qt, lt), s * factor
                    if read >= s:  # (max(), without its call)
                        s = read
                elif strict:
                    # Syllables romanised from Hangul are exact or other syllables, joined
                    # ones too (태준 taechun is not TAECHIN); romanisations differ by key.
                    if not same_korean_word(qt, lt):
                        continue
                    s = 1.0
                if s == 0.0:
                    continue
                if s < 1.0 and first_letter and qk[:1] != lkeys[j][:1]:
                    continue
            if s == initial and not person:
                continue  # initials stand for personal names only
            scored.append((s * lweights[j], s, i, j))
            has_q[i] = True
            if s > best_l[j]:
                best_l[j] = s
    matched: list[tuple[int, int, float]] = []
    if scored:
        scored.sort(reverse=True)
        used_q = [False] * nq
        used_l = [False] * nl
        for _mass, s, i, j in scored:
            if used_q[i] or used_l[j]:
                continue
            used_q[i] = used_l[j] = True
            matched.append((i, j, s))
    if floor > 0.0:
        # No token pair at all: nothing to add up (the bound's own answer).
        bound = _bound(qweights, qmiss, cand, best_l, has_q) if scored else 0.0
        # The margin covers rounding in either sum.
        if bound < floor - 1e-9 and not _may_join(form, cand, matched):
            return bound
    best = _tally(form, qweights, qmiss, cand, matched, strict, korean_query)
    fuzzy = [m for m in matched if m[2] < 1.0]
    if fuzzy and (len(matched) < nq or len(matched) < nl):
        # A letter moved across a space ("YahiaD jouadi") pairs the halves badly:
        # also try those tokens joined, and keep the better reading.
        exact = [m for m in matched if m[2] >= 1.0]
        alt = _tally(form, qweights, qmiss, cand, exact, strict, korean_query)
        if alt.score > best.score:
            best = alt
    if cand.person and nl == 1 and nq > 1 and best.score > WEIGHTS.one_word_alias_cap:
        best = NameScore(WEIGHTS.one_word_alias_cap, best.pairs, best.korean)
    conflict_cap = WEIGHTS.name_conflict_cap
    if cand.person and best.score > conflict_cap and _names_conflict(best, cand.partial):
        best = NameScore(WEIGHTS.name_conflict_cap, best.pairs, best.korean)
    if not cand.person and best.score > WEIGHTS.one_word_alias_cap and _one_generic_word(best):
        best = NameScore(WEIGHTS.one_word_alias_cap, best.pairs, best.korean)
    return best


# Concepts that say what an organisation is part of or where, not what it does: a name
# that adds only these is the same party (СибАнтрацит = SIBANTHRACITE GROUP).
_FRAME_CONCEPTS = frozenset(
    _words(
        "group holding company corporation concern organization enterprise international "
        "russia korea national state federal general main"
    )
)


def _one_generic_word(ns: NameScore) -> bool:
    """An organisation matched on one word alone while either name keeps another
    word that is not a mere frame like "Group" (Julia Novak / NOVAK OOO, Урал / URAL
    AIRLINES, Dongbang / DONGBANG BANK), or
    on names whose descriptors differ (Dongbang Trading / Dongbang Bank): a shared
    place or common word, not the party. Distinctive words must carry the score."""
    matched = [(q, li) for q, li, s, _ in ns.pairs if q is not None and li is not None and s > 0]
    left_q = [q for q, li, _, _ in ns.pairs if li is None and q is not None and len(q) > 1]
    left_l = [li for q, li, _, _ in ns.pairs if q is None and li is not None and len(li) > 1]
    left = left_q + left_l
    if len(matched) == 1 and " " not in (matched[0][0] or "") and any(
        t not in _FRAME_CONCEPTS for t in left
    ):
        return True
    return any(is_concept(t) for t in left_q) and any(is_concept(t) for t in left_l)


def _distinct_word(token: str) -> bool:
    return len(token) > 1 and not _is_patronymic(token) and not is_concept(token)


def _names_conflict(ns: NameScore, partial: bool) -> bool:
    """Both names keep a word the other lacks (Petrov vs Kozlov: another family name),
    or a partial (given-name-only) alias meets a query with more words."""
    if not any(q is not None and li is not None for q, li, _, _ in ns.pairs):
        return False
    left_q = any(li is None and q is not None and _distinct_word(q) for q, li, _, _ in ns.pairs)
    left_l = any(q is None and li is not None and _distinct_word(li) for q, li, _, _ in ns.pairs)
    return left_q and (left_l or partial)


def _bound(
    qweights: tuple[float, ...],
    qmiss: tuple[float, ...],
    cand: ListName,
    best_l: list[float],
    has_q: list[bool],
) -> float:
    """An upper bound of what `_tally` and the caps can make of this alignment unless
    either tally joins leftover tokens (`_may_join`), from each list token's best
    similarity (`best_l`) and whether each query token has any partner (`has_q`).
    Without a join, each list token adds at most its best similarity times its weight to
    the numerator and its weight to both denominators when matched; a token of either
    side with no partner at all is missing and adds at least its smaller missing weight.
    So 2 num / den <= 2A / (2A + Z)."""
    w, miss = cand.weights, cand.miss
    a = 0.0
    z = 0.0
    for j, best in enumerate(best_l):
        if best > 0.0:
            a += best * w[j]
        else:
            z += min(miss[j], w[j])
    if a <= 0.0:
        return 0.0
    for i, met in enumerate(has_q):
        if not met:
            z += min(qmiss[i], qweights[i])
    return 2.0 * a / (2.0 * a + z)


def _may_join(form: Form, cand: ListName, matched: list[tuple[int, int, float]]) -> bool:
    """Whether either tally of `_score_tokens` would join leftover tokens."""
    qkeys, lkeys = form.keys, cand.form.keys
    if _joins_after(qkeys, lkeys, matched):
        return True
    n = len(matched)
    if matched and (n < len(qkeys) or n < len(lkeys)):
        exact = [m for m in matched if m[2] >= 1.0]
        return len(exact) < n and _joins_after(qkeys, lkeys, exact)
    return False


def _joins_after(
    qkeys: tuple[str, ...], lkeys: tuple[str, ...], tried: list[tuple[int, int, float]]
) -> bool:
    """`_join`'s answer for the tokens `tried` leaves over, from the lengths first (most
    leftovers are too short or too far apart), building the joined keys only then."""
    nq, nl = len(qkeys), len(lkeys)
    n_q, n_l = nq - len(tried), nl - len(tried)  # leftovers: a token is matched once
    if n_q < 1 or n_l < 1 or (n_q == 1 and n_l == 1):
        return False
    len_q, len_l = sum(map(len, qkeys)), sum(map(len, lkeys))
    for i, j, _ in tried:
        len_q -= len(qkeys[i])
        len_l -= len(lkeys[j])
    if not _join_lengths(len_q, len_l):
        return False
    done_q = {i for i, _, _ in tried}
    done_l = {j for _, j, _ in tried}
    qj = "".join(k for i, k in enumerate(qkeys) if i not in done_q)
    lj = "".join(k for j, k in enumerate(lkeys) if j not in done_l)
    return _joined_sim(qj, lj) is not None


def _join_lengths(nq: int, nl: int) -> bool:
    """Whether leftovers of these joined key lengths can be joined at all: most are
    too short or too far apart in length for fuzzy_sim (0.0, below any join floor)."""
    short = nq if nq < nl else nl
    if short < WEIGHTS.join_min_length:
        return False
    return nq == nl or abs(nq - nl) <= max_edits(short) or WEIGHTS.join_floor <= 0.0


def _join(
    form: Form, cand: ListName, left_q: list[int], left_l: list[int]
) -> float | None:
    """The similarity of the leftover tokens of both sides compared joined
    ("MohammedZuhair" / "Mohammed Zuhair"), or None when they are not joined."""
    if not (left_q and left_l and (len(left_q) > 1 or len(left_l) > 1)):
        return None
    lf = cand.form
    # From the lengths alone first: most leftovers are too short or too far apart in
    # length for fuzzy_sim (0.0, below any join floor) before a string is built.
    nq = sum(len(form.keys[i]) for i in left_q)
    nl = sum(len(lf.keys[j]) for j in left_l)
    if not _join_lengths(nq, nl):
        return None
    qj = "".join(form.keys[i] for i in left_q)
    lj = "".join(lf.keys[j] for j in left_l)
    return _joined_sim(qj, lj)


def _joined_sim(qj: str, lj: str) -> float | None:
    """The similarity of two joined leftovers, None below the join's floor."""
    s = fuzzy_sim(qj, lj) if qj != lj else 1.0
    if s >= WEIGHTS.join_floor and min(len(qj), len(lj)) >= WEIGHTS.join_min_length:
        return s
    return None


def _tally(
    form: Form,
    qweights: tuple[float, ...],
    qmiss: tuple[float, ...],
    cand: ListName,
    matched: list[tuple[int, int, float]],
    strict: bool,
    korean_query: bool,
) -> NameScore:
    """Dice-like score of one alignment; unmatched tokens on both sides are compared
    joined ("MohammedZuhair" / "Mohammed Zuhair") before they count as missing."""
    lf = cand.form
    nq, nl = len(form.tokens), len(lf.tokens)
    pairs: list[tuple[str | None, str | None, float, float]] = []
    num = qden = lden = 0.0
    for i, j, s in matched:
        w = cand.weights[j]
        num += s * w
        qden += w
        lden += w
        pairs.append((form.tokens[i], lf.tokens[j], s, w))
    done_q = {i for i, _, _ in matched}
    done_l = {j for _, j, _ in matched}
    left_q = [i for i in range(nq) if i not in done_q]
    left_l = [j for j in range(nl) if j not in done_l]
    s_join = _join(form, cand, left_q, left_l)
    if s_join is not None:
        s = s_join
        w = sum(cand.weights[j] for j in left_l)
        num += s * w
        qden += w
        lden += w
        pairs.append(
            (
                " ".join(form.tokens[i] for i in left_q),
                " ".join(lf.tokens[j] for j in left_l),
                s,
                w,
            )
        )
        left_q, left_l = [], []
    # A missing patronymic costs little against a multi-token (personal) name; two
    # different patronymics are a conflict and cost in full.
    conflict = any(_is_patronymic(form.tokens[i]) for i in left_q) and any(
        _is_patronymic(lf.tokens[j]) for j in left_l
    )
    q_miss = qmiss if nl > 1 and not conflict else qweights
    for i in left_q:
        qden += q_miss[i]
        pairs.append((form.tokens[i], None, 0.0, q_miss[i]))
    l_miss = cand.miss if nq > 1 and not conflict else cand.weights
    for j in left_l:
        lden += l_miss[j]
        pairs.append((None, lf.tokens[j], 0.0, l_miss[j]))
    den = qden + lden
    score = 2.0 * num / den if den > 0 else 0.0
    if num < WEIGHTS.min_evidence:
        score *= num / WEIGHTS.min_evidence
    if strict and (cand.person or korean_query) and (left_q or left_l):
        # A Korean name missing a syllable is another name (이동식 is not YI Tong).
        score = min(score, WEIGHTS.korean_mismatch_cap)
    return NameScore(min(score, 1.0), pairs)


def _score_korean(qkey: KoreanKey, cand: ListName) -> NameScore:
    """Surname and given syllables must match key for key; weights: surnames are
    common, given syllables decide."""
    (qs, qg), (ls, lg) = qkey, cand.korean or ("", ())
    pairs: list[tuple[str | None, str | None, float, float]] = []
    sw, gw = WEIGHTS.korean_surname_weight, WEIGHTS.korean_given_weight
    num = sw if qs == ls else 0.0
    pairs.append((qs, ls, 1.0 if qs == ls else 0.0, sw))
    for k in range(max(len(qg), len(lg))):
        a = qg[k] if k < len(qg) else None
        b = lg[k] if k < len(lg) else None
        ok = a is not None and a == b
        num += gw if ok else 0.0
        pairs.append((a, b, 1.0 if ok else 0.0, gw))
    den = sw + gw * len(qg) + sw + gw * len(lg)
    score = 2.0 * num / den
    if qs != ls or qg != lg:
        score = min(score, WEIGHTS.korean_mismatch_cap)
    return NameScore(score, pairs, korean=True)


def explain_tokens(ns: NameScore) -> list[dict[str, Any]]:
    return [
        {"query": q, "list": li, "score": round(s, 4), "weight": round(w, 3)}
        for q, li, s, w in ns.pairs
    ]
