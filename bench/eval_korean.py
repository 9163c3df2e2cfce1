"""Korean part of `make eval` (issue 8), called from bench/evaluate.py.

Nothing here is produced by the code under test (matching/): negatives are real names of
real people, positives are written by someone else.

- ko_neg_hangul / ko_neg_latin: real unlisted South Korean names. Given names and their
  population ranks come from the PyPI package names-dataset (Facebook profiles of users
  in KR, Hangul and Latin); surnames from the same package (Latin, with ranks) and from
  Statistics Korea's 2015 census shares (Hangul). Drawn by frequency. A name is left out
  when a listed Korean person has exactly that name: its Hangul equals a listed Hangul
  name, or its McCune-Reischauer spelling equals a listed Latin name (matching/hangul.py).
  ko_neg_*_namesake (shown apart) are those that can still be the very Hangul name of a
  listed person, syllable for syllable under an official system or a customary spelling
  of matching/korean_spellings.py's hand-written table, never its learned weights:
  Kim Jeongeun = KIM Jong Un (김정은).
- ko_given_first: listed Korean persons written given name first, as Western form fields
  give them: their listed Hangul name ("영복 김"; Hangul names are removed from the lists)
  and their listed Latin name ("Yong Chol KIM" -> "Yong Chol Kim", "Yong-Chol Kim").
- ru_hangul: listed Russian, Ukrainian and Belarusian persons (country ru/ua/by or a
  Cyrillic alias; "SURNAME, Given ...") written in Hangul the way
  Wikidata editors wrote each token (../shared/data/translit/wd_korean_80.tsv). The
  surname's pair must be held back from training (crc32(token) % 5 == 0: DEV,
  == 1: REPORT, see in_split); the reverse mapping (bench/build_hangul_foreign.py) was
  learned on the other 60%. The listed name is "SURNAME, Given ..." or, without a comma,
  "Given [Patronymic] SURNAME" with exactly one all-capital word (the surname). Given
  names may be in any split (Sergey, Ivan: every Russian has one). Both orders.
- ru_hangul_neg: real Russians who are not listed, in Hangul: held-back Wikidata surnames
  (same halves) that Russian labels show as Russian (-ов, -ев, -ин, -ский...), with common
  Russian given names, both from the pairs; left out when a listed person has the name
  in Latin, or a surname the pairs write in the same Hangul (Kolvin, KOLBIN: 콜빈).
- Every category but the designees is split: `--split dev` (tuning) or `--split report`
  (the README's figures; the default). `--split dev2` cross-validates the Hangul-written
  Russians on fifth 2 with the reverse mapping retrained without it (`use_cv_table`).
  The report run also prints ru_hangul_r2 / ru_hangul_neg_r2: the same two categories on
  fifth 4, held out since session 7, with the mapping retrained without fifths 1 and 4
  (`report2_table`; see HELD_BACK). That is issue 8's report row; fifth 1 is worn.
- designees: the client's six designees as Korean banks hold them (issue 8) against the
  built-in kr-mofa list with its Hangul names removed, and five names that must not alert.
"""

from __future__ import annotations

import gzip
import os
import pickle
import random
import re
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from unidecode import unidecode

from matching import hangul_foreign
from matching.hangul import romanize_hangul
from matching.model import Entity, LoadedList, Query

POSITIVE = ("ko_given_first", "ru_hangul", "designees", "ru_hangul_r2")
NEGATIVE = (
    "ko_neg_hangul",
    "ko_neg_latin",
    "ko_neg_hangul_namesake",
    "ko_neg_latin_namesake",
    "ru_hangul_neg",
    "designees_neg",
    "ru_hangul_neg_r2",
)
TARGETS = {
    "hangul": (0.97, 0.0),
    "ko_given_first": (0.95, 0.0),
    "ru_hangul": (0.90, 0.0),
    "ru_hangul_r2": (0.90, 0.0),
    "designees": (1.0, 0.0),
}
HANGUL = re.compile(r"[\uac00-\ud7a3]+")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")

# Statistics Korea, 2015 census: share of the population (%), the 30 commonest surnames.
SURNAME_SHARES = {
    "김": 21.5, "이": 14.7, "박": 8.4, "최": 4.7, "정": 4.3, "강": 2.4, "조": 2.1, "윤": 2.1,
    "장": 2.0, "임": 1.7, "한": 1.5, "오": 1.5, "서": 1.5, "신": 1.4, "권": 1.4, "황": 1.4,
    "안": 1.4, "송": 1.4, "전": 1.3, "홍": 1.1, "유": 1.1, "고": 0.9, "문": 0.9, "양": 0.9,
    "손": 0.9, "배": 0.8, "백": 0.8, "허": 0.7, "노": 0.6, "남": 0.6,
}  # fmt: skip


@dataclass(slots=True)
class Case:
    category: str
    query: Query
    target: tuple[str, str] | None


def _words(text: str) -> list[str]:
    return text.split()


# Wikidata pair tokens (crc32(token) % 5) are split three ways, frozen in session 4 before
# any case of the new report split was looked at:
#   0 -> DEV: session 3's dev and report halves (looked at and tuned on);
#   1 -> REPORT: held back from every model that reads foreign names in Hangul
#        (bench/build_hangul_foreign.py trains on 2-4) and never looked at;
#   2-4 -> train. (bench/build_korean_weights.py, Korean syllables, trains on 1-4.)
# Cases drawn from the lists or names-dataset (never trained on) split in halves by crc32
# of a key: odd = report, even = dev.
#   "dev2" (session 5) is cross-validation: fifth 2 held back, the reverse mapping retrained
#   on 0 and 3-4 (`use_cv_table`), so that a tuning change can be checked on cases that
#   neither it nor the table has seen (dev 0 is worn: 0.956 on it, 0.847 on report).
#   It takes the dev half of the halved rows.
#   "report2" (session 7) is the fresh held-out split of the Hangul-written Russians, and
#   issue 8's report row from session 7 on. Fifth 1 had been run five times since it was
#   frozen, so its figure was worn. Designed and committed before any case of it was
#   screened:
#   - fifth 4 held back, and the reverse mapping retrained in the run on fifths 0, 2 and 3
#     (`build_hangul_foreign.HELD_BACK_R2`: fifth 1 stays out as well, so both held-out
#     fifths stay clean and the table trains on three fifths, as the shipped one and
#     dev2's do);
#   - `make eval` (the report run) prints it as its own rows, ru_hangul_r2 and
#     ru_hangul_neg_r2, after the main table. There is no `--split report2`, and its misses
#     are never printed;
#   - fifth 1 stays in the main table, marked worn.
#   Fifth 4 trained every shipped table until session 7, but no case of it was ever
#   screened, and none of its misses was ever looked at. (The Korean syllable weights,
#   build_korean_weights.py, still train on it, as they do on fifth 1. That table reads
#   Korean-looking tokens only.)
SPLIT = "report"
_SHIPPED_DATA = hangul_foreign._data
#   "dev3" (session 7) is a second cross-validation split, like dev2: fifth 3 held back,
#   the mapping retrained on 0, 2 and 4. dev and dev2 had been tuned to 0.98 while both
#   held-out fifths stood near 0.875, so their few misses no longer showed what fails.
HELD_BACK = {"dev": 0, "report": 1, "dev2": 2, "report2": 4, "dev3": 3}
HELD_OUT = ("ru_hangul", "ru_hangul_neg")  # their report misses are never printed
REPORT2 = {"ru_hangul": "ru_hangul_r2", "ru_hangul_neg": "ru_hangul_neg_r2"}


def in_split(key: str, held_back: bool = False) -> bool:
    c = zlib.crc32(key.encode("utf-8"))
    if held_back:
        return c % 5 == HELD_BACK[SPLIT]
    return (c % 2 == 0) == (SPLIT not in ("report", "report2"))


def _install_table(raw: dict | None) -> None:
    """Screen with the reverse mapping `raw` (None: the shipped table again)."""
    for name in dir(hangul_foreign):
        fn = getattr(hangul_foreign, name)
        if hasattr(fn, "cache_clear"):
            fn.cache_clear()
    if raw is None:
        hangul_foreign._data = _SHIPPED_DATA  # type: ignore[assignment]
    else:
        hangul_foreign._data = lambda: raw  # type: ignore[assignment]


def _retrained(pairs: Path, held_back: tuple[int, ...]) -> dict:
    import build_hangul_foreign as build

    data = build.load(pairs, held_back)
    table = build.em(data)
    units = {u: r for u, r in table.items() if r}
    return {"units": units, "counts": build.unit_counts(data, table)}


def use_cv_table(pairs: Path) -> None:
    """Screen with the reverse mapping retrained with this cross-validation split's fifth
    held back (dev2: 2; dev3: 3; the report fifth 1 is out of both)."""
    import build_hangul_foreign as build

    held = build.HELD_BACK_CV if SPLIT == "dev2" else (1, HELD_BACK[SPLIT])
    _install_table(_retrained(pairs, held))


@contextmanager
def report2_table(pairs: Path) -> Iterator[None]:
    """Within: SPLIT is "report2" and the reverse mapping is retrained without fifths 1
    and 4. After: the split and the shipped table are back."""
    import build_hangul_foreign as build

    old = SPLIT
    _install_table(_retrained(pairs, build.HELD_BACK_R2))
    globals()["SPLIT"] = "report2"
    try:
        yield
    finally:
        globals()["SPLIT"] = old
        _install_table(None)


def report2_cases(lists: Sequence[LoadedList], rng: random.Random, n: int) -> list[Case]:
    """The report2 rows (call within `report2_table`): ru_hangul cases of fifth 4."""
    assert SPLIT == "report2"
    return [
        Case(REPORT2[c.category], c.query, c.target) for c in russian_cases(lists, rng, n)
    ]


def _flat(text: str) -> str:
    return "".join(c for c in unidecode(text).lower() if c.isalpha())


# --- real Korean names (names-dataset) ------------------------------------------------------


def _names_dataset() -> tuple[dict, dict] | None:
    try:
        root = resources.files("names_dataset").joinpath("v3")
    except ModuleNotFoundError:
        return None
    with resources.as_file(root) as path:
        with gzip.open(Path(path) / "first_names.pkl.gz") as fh:
            first = pickle.load(fh)
        with gzip.open(Path(path) / "last_names.pkl.gz") as fh:
            last = pickle.load(fh)
    return first, last


def _ranked(table: dict, pattern: re.Pattern[str], limit: int) -> list[tuple[str, int]]:
    rows = [
        (name, attrs["rank"]["KR"])
        for name, attrs in table.items()
        if "KR" in attrs.get("rank", {}) and pattern.fullmatch(name)
    ]
    rows.sort(key=lambda r: r[1])
    return rows[:limit]


def _zipf_pick(rng: random.Random, rows: list[tuple[str, int]]) -> str:
    # Population ranks, not counts, are shipped: weight 1/rank (Zipf) is the usual proxy.
    return rng.choices([r[0] for r in rows], weights=[1.0 / r[1] for r in rows])[0]


def listed_korean(lists: Sequence[LoadedList]) -> tuple[set[str], set[str]]:
    """Listed persons' Hangul names and flat Latin names (for leaving out namesakes)."""
    hangul: set[str] = set()
    latin: set[str] = set()
    for lst in lists:
        for e in lst.entities:
            if e.schema != "Person":
                continue
            for nm, _ in e.all_names():
                runs = HANGUL.findall(nm)
                if runs:
                    hangul.add("".join(runs))
                else:
                    latin.add(_flat(nm))
    return hangul, latin


# --- namesakes: the same Hangul name, told from the spelling tables, not the weights --------

_STRICT_TAGS = frozenset(("mr", "dprk", "rr", "cust"))


@lru_cache(maxsize=65536)
def strict_readings(spelling: str) -> frozenset[str]:
    """Hangul syllables (initial-sound law applied) a Latin syllable spells under an
    official system or a customary spelling of matching/korean_spellings.py's hand-written
    table; its 'merge' rows (o for ㅜ) and the learned weights are not used."""
    from matching.korean_spellings import FINAL_JAMO_OF_CLASS, FINALS, INITIALS, VOWELS
    from matching.korean_syllables import canonical

    def rows(table: Sequence[tuple[tuple[str, str], ...]]) -> list[tuple[int, set[str]]]:
        return [(i, {sp for sp, tag in r if tag in _STRICT_TAGS}) for i, r in enumerate(table)]

    out: set[str] = set()
    for ii, isp in rows(INITIALS):
        for a in isp:
            if not spelling.startswith(a):
                continue
            for vi, vsp in rows(VOWELS):
                for v in vsp:
                    if not spelling.startswith(v, len(a)):
                        continue
                    rest = spelling[len(a) + len(v) :]
                    for cls, fsp in FINALS.items():
                        if any(rest == f for f, tag in fsp if tag in _STRICT_TAGS):
                            code = ii * 588 + vi * 28 + FINAL_JAMO_OF_CLASS[cls]
                            out.add(canonical(chr(0xAC00 + code)))
    return frozenset(out)


def _strict_units(reading: object) -> list[frozenset[str]]:
    from matching.korean import surname_hangul
    from matching.korean_syllables import canonical

    out = []
    for k, syl in enumerate([reading.surname, *reading.given]):  # type: ignore[attr-defined]
        if syl.script == "hangul":
            out.append(frozenset(canonical(c) for c in syl.text))
            continue
        low = _flat(syl.text)
        units = set(strict_readings(low))
        if k == 0:
            units |= {"".join(canonical(c) for c in h) for h in surname_hangul(low)}
        out.append(frozenset(units))
    return out


def namesake_of(name: str, listed: Sequence[list[list[frozenset[str]]]]) -> bool:
    """True if `name` can be the very Hangul name of a listed Korean person: syllable for
    syllable, one Hangul syllable that both spellings write (any order of the query)."""
    from matching.korean_syllables import name_readings

    mine = [_strict_units(r) for r in name_readings(name, query=True)]
    for q in mine:
        for lst_readings in listed:
            for li in lst_readings:
                if len(q) == len(li) and all(a & b for a, b in zip(q, li, strict=True)):
                    return True
    return False


def listed_korean_units(lists: Sequence[LoadedList]) -> list[list[list[frozenset[str]]]]:
    from matching.korean_syllables import name_readings

    out = []
    for lst in lists:
        for e in lst.entities:
            if e.schema != "Person":
                continue
            units = [
                _strict_units(r)
                for nm, _ in e.all_names()
                if not CYRILLIC.search(nm)
                for r in name_readings(nm, query=False)
            ]
            if units:
                out.append(units)
    return out


def korean_negatives(lists: Sequence[LoadedList], rng: random.Random, n: int) -> list[Case]:
    data = _names_dataset()
    if data is None:
        print("ko_neg_*: names-dataset is not installed (pip install -e '.[dev]'); skipped")
        return []
    first, last = data
    given_h = _ranked(first, re.compile(r"[\uac00-\ud7a3]{2}"), 3000)
    given_l = _ranked(first, re.compile(r"[A-Z][a-z]+(?:-[a-z]+)?"), 3000)
    sur_l = _ranked(last, re.compile(r"[A-Z][a-z]+"), 60)
    sur_h = list(SURNAME_SHARES)
    listed_h, listed_l = listed_korean(lists)
    listed_u = listed_korean_units(lists)
    out: list[Case] = []
    tries = 0
    while sum(c.category.startswith("ko_neg_hangul") for c in out) < n and tries < 50 * n:
        tries += 1
        sur = rng.choices(sur_h, weights=list(SURNAME_SHARES.values()))[0]
        name = sur + _zipf_pick(rng, given_h)
        if not in_split(name):
            continue
        if name in listed_h or any(_flat(v) in listed_l for v in romanize_hangul(name).values()):
            continue
        text = name if rng.random() < 0.8 else f"{name[1:]} {name[0]}"
        cat = "ko_neg_hangul_namesake" if namesake_of(text, listed_u) else "ko_neg_hangul"
        out.append(Case(cat, Query(name=text, schema="Person"), None))
    while sum(c.category.startswith("ko_neg_latin") for c in out) < n and tries < 100 * n:
        tries += 1
        sur, given = _zipf_pick(rng, sur_l), _zipf_pick(rng, given_l)
        if not in_split(_flat(sur + given)):
            continue
        if _flat(sur + given) in listed_l or _flat(given + sur) in listed_l:
            continue
        text = f"{sur} {given}" if rng.random() < 0.6 else f"{given} {sur}"
        cat = "ko_neg_latin_namesake" if namesake_of(text, listed_u) else "ko_neg_latin"
        out.append(Case(cat, Query(name=text, schema="Person"), None))
    return out


# --- given name first -----------------------------------------------------------------------


def _is_korean_person(e: Entity) -> bool:
    return e.schema == "Person" and ("kp" in e.countries or "kr" in e.countries)


def given_first_cases(lists: Sequence[LoadedList], rng: random.Random, n: int) -> list[Case]:
    out: list[Case] = []
    for lst in lists:
        for e in lst.entities:
            if not _is_korean_person(e) or not in_split(e.source_id):
                continue
            names = [e.name, *e.aliases]
            for nm in names:
                runs = HANGUL.findall(nm)
                if len(runs) == 1 and 3 <= len(runs[0]) <= 3:
                    h = runs[0]
                    q = f"{h[1:]} {h[0]}"
                    out.append(Case("ko_given_first", Query(name=q), (e.list, e.source_id)))
                    break
            for nm in names:
                m = re.fullmatch(r"([A-Z]{2,})[, ]+([A-Z][a-z]+)[ -]([A-Za-z][a-z]+)", nm)
                if m:
                    sur, g1, g2 = m.groups()
                    style = rng.randrange(3)
                    given = [f"{g1} {g2.lower()}", f"{g1}-{g2.lower()}", f"{g1}{g2.lower()}"][style]
                    q = f"{given} {sur.capitalize()}"
                    out.append(Case("ko_given_first", Query(name=q), (e.list, e.source_id)))
                    break
    rng.shuffle(out)
    return out[:n]


# --- Russian names in Hangul ----------------------------------------------------------------

SLAVIC = frozenset(("ru", "ua", "by"))  # Russian, Ukrainian and Belarusian people
_RU_SURNAME = re.compile(r".*(ов|ев|ёв|ин|ын|ский|цкий|ова|ева|ина|ская|енко|ук|юк)$")
RU_GIVEN = _words(
    "sergey aleksandr alexander dmitry andrei andrey alexei aleksey ivan mikhail nikolai "
    "vladimir pavel igor yuri oleg viktor boris anatoly yevgeny evgeny maxim roman denis "
    "olga natalia tatiana elena irina anna maria svetlana ekaterina galina lyudmila"
)


def _pairs(path: Path) -> dict[str, str]:
    """English token -> its commonest label (joined), from one pairs file."""
    best: dict[str, tuple[float, str]] = {}
    for line in path.read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 3:
            continue
        tok, label, freq = parts[0].lower(), parts[1].replace(" ", ""), float(parts[2])
        if tok not in best or freq > best[tok][0]:
            best[tok] = (freq, label)
    return {t: v[1] for t, v in best.items()}


def _translit_dir() -> Path:
    """The pairs beside the shared lists (SCREENING_REAL_LISTS), else ../shared."""
    lists = os.environ.get("SCREENING_REAL_LISTS")
    if lists:
        return Path(lists).resolve().parent / "translit"
    return Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "translit"


def surname_given(name: str) -> tuple[str, str] | None:
    """(surname, first given name), lower case, of a listed Latin name written
    "SURNAME, Given ..." or "Given [Patronymic] SURNAME" (one all-capital word)."""
    m = re.fullmatch(r"([A-Za-z-]+),\s*([A-Za-z]+)(?:\s.*)?", name)
    if m:
        return m.group(1).lower(), m.group(2).lower()
    words = name.split()
    if not 2 <= len(words) <= 4 or not all(re.fullmatch(r"[A-Za-z-]+", w) for w in words):
        return None
    caps = [w for w in words if len(w) >= 2 and w.isupper()]
    rest = [w for w in words if not w.isupper()]
    if len(caps) != 1 or len(rest) != len(words) - 1 or not all(w.istitle() for w in rest):
        return None
    return caps[0].lower(), rest[0].lower()


def russian_cases(lists: Sequence[LoadedList], rng: random.Random, n: int) -> list[Case]:
    tdir = _translit_dir()
    if not (tdir / "wd_korean_80.tsv").exists():
        print(f"ru_hangul*: {tdir} is missing; skipped")
        return []
    ko = _pairs(tdir / "wd_korean_80.tsv")
    ru = _pairs(tdir / "wd_russian_80.tsv")
    given_h = {g: ko[g] for g in RU_GIVEN if g in ko and HANGUL.fullmatch(ko[g])}
    pos: list[Case] = []
    listed: set[tuple[str, str]] = set()
    for lst in lists:
        for e in lst.entities:
            if e.schema != "Person":
                continue
            for nm, _ in e.all_names():
                toks = [_flat(t) for t in re.split(r"[\s,]+", nm) if t]
                # (surname, first 3 letters of a given name): Alexander/Aleksandr alike
                listed.update((a, b[:3]) for a in toks for b in toks if a != b)
            russian = bool(SLAVIC & set(e.countries)) or any(CYRILLIC.search(a) for a in e.aliases)
            for nm in [e.name, *e.aliases]:
                parsed = surname_given(nm)
                if parsed is None:
                    continue
                sur, given = parsed
                if not russian or not in_split(sur, held_back=True):
                    continue
                if sur not in ko or given not in ko:
                    continue
                hs, hg = ko[sur], ko[given]
                if not (HANGUL.fullmatch(hs) and HANGUL.fullmatch(hg)) or len(hs) < 2:
                    continue
                q = f"{hg} {hs}" if rng.random() < 0.5 else f"{hs} {hg}"
                pos.append(Case("ru_hangul", Query(name=q, schema="Person"), (e.list, e.source_id)))
                break
    rng.shuffle(pos)
    surnames = [
        t
        for t, label in ru.items()
        if in_split(t, held_back=True)
        and _RU_SURNAME.match(label)
        and t in ko
        and HANGUL.fullmatch(ko[t])
        and len(ko[t]) >= 2
    ]
    surnames.sort()
    # The same name in Hangul is a namesake too (Kolvin and KOLBIN are both 콜빈): listed
    # surnames as the pairs write them in Hangul.
    listed_h = {(ko[a], b) for a, b in listed if a in ko}
    neg: list[Case] = []
    for _ in range(20 * n):
        if len(neg) >= n or not surnames or not given_h:
            break
        sur, given = rng.choice(surnames), rng.choice(sorted(given_h))
        if (sur, given[:3]) in listed or (ko[sur], given[:3]) in listed_h:
            continue  # a listed namesake (any order, any spelling of the given name)
        q = f"{given_h[given]} {ko[sur]}"
        neg.append(Case("ru_hangul_neg", Query(name=q, schema="Person"), None))
    return pos[:n] + neg


# --- the client's designees -----------------------------------------------------------------

DESIGNEES = [
    ("세르게이 미하일로비치 코즐로프", "KR-MOFA-2024-004"),
    ("코즐로프 세르게이", "KR-MOFA-2024-004"),
    ("알렉산드르 표도로비치 판필로프", "KR-MOFA-2024-006"),
    ("인텔렉트 유한책임회사", "KR-MOFA-2024-003"),
    ("소데이스트비예", "KR-MOFA-2024-005"),
    ("레이디 알", "KR-MOFA-2024-001"),
    ("앙가라", "KR-MOFA-2024-002"),
    # clerk variants (issue 8)
    ("코즐롭 세르게이", "KR-MOFA-2024-004"),
    ("알렉산더 판필로프", "KR-MOFA-2024-006"),
    ("세르게이 미하이로비치 코즐로프", "KR-MOFA-2024-004"),
]
NOT_DESIGNEES = ["세르게이 코발료프", "미하일 코즐로프", "인텔 코리아", "레이디 로즈", "앙가르스크"]


def designee_cases() -> list[Case]:
    pos = [Case("designees", Query(name=q), ("kr-mofa", sid)) for q, sid in DESIGNEES]
    neg = [Case("designees_neg", Query(name=q), None) for q in NOT_DESIGNEES]
    return pos + neg


def korean_cases(lists: Sequence[LoadedList], rng: random.Random, n: int) -> list[Case]:
    """Every case of this module (the caller strips Hangul and Cyrillic names from the
    lists before screening, so Hangul queries must be found through Latin names)."""
    return (
        korean_negatives(lists, rng, n)
        + given_first_cases(lists, rng, n)
        + russian_cases(lists, rng, n)
        + designee_cases()
    )


def extra_lists() -> list[LoadedList]:
    """kr-mofa, the designees' list (its Hangul names are stripped like every list's)."""
    from matching.lists import load_spec

    return list(load_spec("kr-mofa"))
