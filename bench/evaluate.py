"""Development-set evaluation on the real lists (`make eval`). Deterministic (seeded).

Categories (query -> target entity):
- cyrillic: UK ConList Cyrillic names; every Cyrillic name is removed from every list,
  so the target group must be found through its Latin names.
- hangul: EU Official Journal (and UK) Hangul names; Hangul names removed likewise.
- korean_latin: listed Korean names (DPRK spellings) re-spelled the South Korean way
  (RR / customary: Ri -> Lee, Pak -> Park, Chol -> Cheol, hyphenated or joined).
- latin_typo: Latin names with one typo and, for persons, the tokens reordered.
- negatives (neg_russian, neg_korean): plausible names checked not to be listed; neg_company:
  real companies (bench/company_negatives.py), unlisted; neg_company_ko: composed Hangul ones;
  neg_western and neg_arabic likewise (no target: for information, since banks screen
  these names most).

For each category: recall (target found at score >= threshold, within the top 10) and,
for negatives, the share alerting (any match >= threshold); beside a naive baseline,
unidecode + rapidfuzz WRatio over every list name (alert at >= BASELINE_CUTOFF).
A threshold sweep of the engine's scores is printed to calibrate DEFAULT_THRESHOLD.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process, utils
from unidecode import unidecode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import eval_korean  # noqa: E402  (bench/, beside this file)
import eval_outside  # noqa: E402
from company_negatives import company_names  # noqa: E402

from matching.cyrillic import romanize_cyrillic  # noqa: E402
from matching.engine import DEFAULT_THRESHOLD, Engine  # noqa: E402
from matching.forms import build_forms, token_key  # noqa: E402
from matching.glossary import is_concept  # noqa: E402
from matching.hangul import romanize_hangul  # noqa: E402
from matching.korean import korean_name_key  # noqa: E402
from matching.lists import load_spec  # noqa: E402
from matching.model import Entity, LoadedList, Query  # noqa: E402
from matching.normalize import tokenize  # noqa: E402

SEED = 3
BASELINE_CUTOFF = 90.0
LIMIT = 10
SWEEP_FROM = 0.55  # screened at this threshold: every swept threshold sees the same engine
HANGUL = re.compile(r"[\uac00-\ud7a3]+")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
POSITIVE = (
    "cyrillic",
    "hangul",
    "korean_latin",
    "latin_typo",
    *eval_outside.POSITIVE,
    *eval_korean.POSITIVE,
)
NEGATIVE = (
    "neg_russian",
    *eval_outside.NEGATIVE,
    "neg_korean",
    "neg_company",
    "neg_company_ko",
    "neg_western",
    "neg_arabic",
    *eval_korean.NEGATIVE,
)
TARGETS = {"cyrillic": (0.98, 0.01), "hangul": (0.95, 0.01), "korean_latin": (0.95, 0.01)}
TARGETS.update(eval_korean.TARGETS)
TARGETS.update(eval_outside.TARGETS)


@dataclass(slots=True)
class Case:
    category: str
    query: Query
    target: tuple[str, str] | None  # (list, source_id); None for negatives


def lists_dir() -> Path:
    return Path(os.environ.get("SCREENING_REAL_LISTS", ROOT.parent / "shared" / "data" / "lists"))


def strip_names(lists: Sequence[LoadedList], drop: Callable[[str], bool]) -> list[LoadedList]:
    """Copies of the lists without the names `drop` selects (entities left nameless go)."""
    out = []
    for lst in lists:
        kept: list[Entity] = []
        for e in lst.entities:
            names = [n for n in [e.name, *e.aliases] if n and not drop(n)]
            weak = [n for n in e.weak_aliases if not drop(n)]
            if not names and not weak:
                continue
            primary = names[0] if names else weak.pop(0)
            kept.append(replace(e, name=primary, aliases=names[1:], weak_aliases=weak))
        out.append(LoadedList(lst.meta, kept))
    return out


# --- positives -----------------------------------------------------------------------


def cyrillic_cases(lists: Sequence[LoadedList], rng: random.Random, n: int) -> list[Case]:
    cases = []
    for lst in lists:
        if lst.meta.name != "uk_ofsi_conlist":
            continue
        for e in lst.entities:
            cyr = [a for a in [e.name, *e.aliases] if CYRILLIC.search(a)]
            latin = [a for a in [e.name, *e.aliases] if not CYRILLIC.search(a)]
            if cyr and latin:
                cases.append(Case("cyrillic", Query(name=cyr[0]), (e.list, e.source_id)))
    rng.shuffle(cases)
    return cases[:n]


def hangul_cases(lists: Sequence[LoadedList]) -> list[Case]:
    cases = []
    for lst in lists:
        for e in lst.entities:
            latin = [a for a in [e.name, *e.aliases] if not HANGUL.search(a)]
            if not eval_korean.in_split(e.source_id):
                continue
            for a in [e.name, *e.aliases, *e.weak_aliases]:
                runs = HANGUL.findall(a)
                if runs and latin:
                    # OJ cells may hold residue ("Korean:; Text of image; 김영복"): keep Hangul.
                    cases.append(Case("hangul", Query(name=" ".join(runs)), (e.list, e.source_id)))
                    break
    return cases


# Listed (MR/DPRK) syllable -> South Korean spellings seen in passports and the press.
RESPELL = {
    "kim": ["kim", "gim"],
    "ri": ["lee", "yi", "rhee"],
    "ryu": ["yoo", "yu"],
    "pak": ["park", "bak"],
    "choe": ["choi"],
    "jong": ["jeong", "jung", "chung"],
    "kang": ["kang", "gang"],
    "o": ["oh"],
    "sin": ["shin"],
    "yun": ["yoon"],
    "chon": ["jeon", "chun"],
    "rim": ["lim", "im"],
    "ryang": ["yang"],
    "mun": ["moon"],
    "ko": ["go", "koh"],
    "han": ["han"],
    "jang": ["jang", "chang"],
    "cho": ["jo", "cho"],
    "hwang": ["hwang"],
    "kye": ["gye"],
    "ho": ["ho"],
    "chol": ["cheol", "chul"],
    "song": ["seong", "sung"],
    "yong": ["young", "yeong"],
    "pyong": ["byeong", "pyeong", "byung"],
    "kyong": ["gyeong", "kyung"],
    "myong": ["myeong", "myung"],
    "hyon": ["hyeon", "hyun"],
    "hyok": ["hyeok", "hyuk"],
    "kwang": ["gwang"],
    "ryong": ["ryong", "yong"],
    "kum": ["geum", "keum"],
    "kil": ["gil"],
    "tok": ["deok", "duk"],
    "su": ["soo"],
    "un": ["eun"],
    "kon": ["geon", "gun"],
    "chun": ["chun", "jun"],
    "il": ["il"],
    "nam": ["nam"],
    "sok": ["seok", "suk"],
    "jun": ["jun", "joon"],
    "hak": ["hak"],
    "hun": ["hoon"],
    "chang": ["chang"],
    "ok": ["ok"],
    "thae": ["tae"],
    "tae": ["tae", "dae"],
    "pong": ["bong"],
    "pok": ["bok"],
    "kyu": ["gyu", "kyu"],
    "yon": ["yeon"],
    "sun": ["soon"],
    "chan": ["chan"],
    "hui": ["hee", "hui"],
    "dong": ["dong"],
    "kuk": ["guk", "kook"],
    "ki": ["gi", "ki"],
    "ung": ["eung"],
    "man": ["man"],
    "in": ["in"],
}


# Surname-only respellings (허 is Heo/Hur as a surname, 호 stays Ho in a given name).
SURNAME_RESPELL = {
    "ho": ["heo", "hur"],
    "kim": ["kim", "gim"],
    "o": ["oh"],
    "u": ["woo"],
    "ri": ["lee", "yi", "rhee"],
    "rim": ["lim", "im"],
    "ryu": ["yoo", "yu"],
}


def split_surname(name: str) -> tuple[str, list[str]] | None:
    """Listed Korean names: 'RI, Pyong Chol', 'KIM Jong Un', 'Il-Su KIM' (caps surname)."""
    if "," in name:
        head, _, tail = name.partition(",")
        sur, given = tokenize(head), tokenize(tail)
        return (sur[0], given) if len(sur) == 1 and given else None
    raw = name.replace("-", " ").split()
    caps = [i for i, t in enumerate(raw) if t.isupper() and len(t) > 1]
    toks = tokenize(name)
    if len(caps) == 1 and len(raw) == len(toks) and len(raw) > 1:
        i = caps[0]
        return toks[i], toks[:i] + toks[i + 1 :]
    return (toks[0], toks[1:]) if len(toks) > 1 else None


def respell(rng: random.Random, name: str) -> str | None:
    split = split_surname(name)
    if split is None:
        return None
    sur, given = split
    if not 1 <= len(given) <= 3 or sur not in RESPELL or not all(t in RESPELL for t in given):
        return None
    new_sur = rng.choice(SURNAME_RESPELL.get(sur, RESPELL[sur]))
    given = [rng.choice(RESPELL[t]) if t != "ho" else "ho" for t in given]
    surname = new_sur.capitalize()
    style = rng.randrange(3)
    if style == 0 or len(given) == 1:
        g = " ".join(x.capitalize() for x in given)
    elif style == 1:
        g = "-".join(given).capitalize()
    else:
        g = "".join(given).capitalize()
    return f"{g} {surname}" if rng.random() < 0.3 else f"{surname} {g}"


def korean_latin_cases(lists: Sequence[LoadedList], rng: random.Random, n: int) -> list[Case]:
    cases = []
    seen: set[str] = set()
    for lst in lists:
        for e in lst.entities:
            if e.schema != "Person" or (
                "kp" not in e.countries and not e.source_id.startswith("KP")
            ):
                continue
            for nm in [e.name, *e.aliases]:
                if nm.lower() in seen:
                    continue
                q = respell(rng, nm)
                if q:
                    seen.add(nm.lower())
                    cases.append(Case("korean_latin", Query(name=q), (e.list, e.source_id)))
                    break
    rng.shuffle(cases)
    return cases[:n]


def typo(rng: random.Random, text: str) -> str:
    i = rng.randrange(1, len(text) - 2)
    kind = rng.randrange(3)
    if kind == 0:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    return text[:i] + rng.choice("aeioulnrst") + text[i + 1 :]


def latin_cases(lists: Sequence[LoadedList], rng: random.Random, n: int) -> list[Case]:
    pool = [
        e
        for lst in lists
        for e in lst.entities
        if not CYRILLIC.search(e.name)
        and not HANGUL.search(e.name)
        and len(e.name) >= 10
        and len(tokenize(e.name)) >= 2
    ]
    cases = []
    for e in rng.sample(pool, min(n, len(pool))):
        name = typo(rng, e.name)
        if e.schema == "Person":
            toks = name.replace(",", " ").split()
            rng.shuffle(toks)
            name = " ".join(toks)
        cases.append(Case("latin_typo", Query(name=name), (e.list, e.source_id)))
    return cases


# --- negatives -----------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


RU_SURNAMES = _words(
    "Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов "
    "Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев "
    "Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв "
    "Сергеев Кузьмин Фролов Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов "
    "Поляков Сорокин Виноградов Ковалёв Белов Медведев Антонов Тарасов Жуков Баранов "
    "Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов Сидоров Матвеев Титов "
    "Марков Миронов Крылов Куликов Карпов Власов Мельников Денисов Гаврилов Тихонов "
    "Казаков Афанасьев Данилов Савельев Тимофеев Фомин Чернов Абрамов Мартынов Ефимов "
    "Федотов Щербаков Назаров Калинин Исаев Чернышёв Быков Маслов Родионов Коновалов "
    "Лазарев Воронин Климов Филатов Пономарёв Голубев Кудрявцев Прохоров Наумов Потапов "
    "Журавлёв Овчинников Трофимов Леонов Соболев Ермаков Колесников Гончаров Емельянов "
    "Никифоров Грачёв Котов Гришин Ефремов Архипов Громов Кириллов Малышев Панов Моисеев "
    "Румянцев Акимов Кондратьев Бирюков Горбунов Анисимов Ерёмин Тихомиров Галкин "
    "Лукьянов Михеев Скворцов Юдин"
)
RU_FIRST = _words(
    "Александр Сергей Андрей Дмитрий Алексей Максим Евгений Иван Михаил Артём Николай "
    "Владимир Павел Роман Денис Олег Игорь Юрий Виктор Константин Антон Вячеслав Григорий "
    "Леонид Тимур Кирилл Никита Егор Фёдор Станислав Вадим Аркадий Борис Геннадий "
    "Валентин Руслан Илья"
)
RU_PATRONYMIC = _words(
    "Александрович Сергеевич Андреевич Дмитриевич Алексеевич Евгеньевич Иванович "
    "Михайлович Николаевич Владимирович Павлович Романович Олегович Игоревич Юрьевич "
    "Викторович Константинович Антонович Вячеславович Григорьевич Леонидович Борисович "
    "Геннадьевич Петрович"
)
KO_SURNAMES = _words(
    "김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 전 "
    "홍 고 문 양 손 배 백 허 남 심 노 하 곽 성 차 주 우 구 민 진"
)
KO_GIVEN = _words(
    "민 서 준 지 현 우 도 하 윤 수 예 영 진 성 재 은 정 연 호 혜 승 태 경 "
    "동 상 석 훈 희 철 용 광 명 혁 남 일 국 학 선 미 숙 순 옥 "
    "향 림 금 춘 복 식 근 범 찬 원 환 규 기 덕 만 봉"
)
KO_COMPANY_TAIL = ["무역회사", "상사", "주식회사", "기술회사", "무역"]
WESTERN = (
    _words(
        "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William "
        "Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Hans Anna Pierre "
        "Marie Luca Giulia Jan Eva Lars Ingrid Peter Claire Martin Sophie Paul Laura"
    ),
    _words(
        "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez "
        "Hernandez Lopez Gonzalez Wilson Anderson Taylor Moore Jackson Martin Muller Schmidt "
        "Schneider Fischer Weber Meyer Dubois Rossi Jansen Nilsson Bernard Moreau Ricci"
    ),
)
ARABIC = (
    _words(
        "Mohammed Ahmed Ali Omar Youssef Ibrahim Hassan Khalid Mustafa Abdullah Fatima "
        "Aisha Mariam Layla Nour Karim Tariq Samir Walid Rami Hamza Bilal Yasmin Salma Zaid"
    ),
    _words(
        "Haddad Khoury Nasser Saleh Mansour Farouk Aziz Hamdan Qasim Rahman Sabbagh Tamimi "
        "Zaidi Bakri Darwish Fakhoury Halabi Jaber Kassem Masri Othman Shami Yassin Najjar"
    ),
)


def name_negatives(
    category: str,
    names: tuple[list[str], list[str]],
    pairs: set[tuple[str, str]],
    rng: random.Random,
    n: int,
) -> list[Case]:
    """First + last names whose pair of words stands in no listed name."""
    out: list[Case] = []
    for _ in range(100 * n):
        if len(out) >= n:
            break
        first, last = rng.choice(names[0]), rng.choice(names[1])
        if (token_key(first.lower()), token_key(last.lower())) in pairs:
            continue
        out.append(Case(category, Query(name=f"{first} {last}"), None))
    return out


def listed_pairs(lists: Sequence[LoadedList]) -> tuple[set[tuple[str, str]], set[str], set[tuple]]:
    """Pairs of token keys co-occurring in one person name, all token keys, Korean keys."""
    pairs: set[tuple[str, str]] = set()
    vocab: set[str] = set()
    kkeys: set[tuple] = set()
    for lst in lists:
        for e in lst.entities:
            for nm, _ in e.all_names():
                keys = {token_key(t) for t in tokenize(nm)}
                vocab |= keys
                pairs |= {(a, b) for a in keys for b in keys if a != b}
                if e.schema == "Person":
                    k = korean_name_key(nm)
                    if k:
                        kkeys.add(k)
    return pairs, vocab, kkeys


def negative_cases(lists: Sequence[LoadedList], rng: random.Random, n: int) -> list[Case]:
    pairs, vocab, kkeys = listed_pairs(lists)
    tries = 0
    ru: list[Case] = []
    while len(ru) < n and tries < 100 * n:
        tries += 1
        s, f, p = rng.choice(RU_SURNAMES), rng.choice(RU_FIRST), rng.choice(RU_PATRONYMIC)
        keys = [token_key(t) for t in romanize_cyrillic(f"{s} {f} {p}")["icao"].split()]
        if any((a, b) in pairs for a in keys for b in keys if a != b):
            continue
        order = rng.randrange(3)
        name = [f"{s} {f} {p}", f"{f} {p} {s}", f"{f} {s}"][order]
        ru.append(Case("neg_russian", Query(name=name), None))
    ko: list[Case] = []
    while len(ko) < n and tries < 200 * n:
        tries += 1
        name = rng.choice(KO_SURNAMES) + rng.choice(KO_GIVEN) + rng.choice(KO_GIVEN)
        roman = romanize_hangul(name)
        ko_keys = {korean_name_key(v) for v in roman.values()}
        if ko_keys & kkeys or any(
            {token_key(t) for t in v.split()} <= vocab
            and len(v.split()) == 3
            and all(
                (token_key(a), token_key(b)) in pairs
                for a in v.split()
                for b in v.split()
                if a != b
            )
            for v in roman.values()
        ):
            continue
        ko.append(Case("neg_korean", Query(name=name), None))
    # Company negatives are real companies (bench/company_negatives.py); no package holds
    # real Hangul company names, so those stay composed and are a category of their own.
    co = [Case("neg_company", Query(name=name), None)
          for name in company_names(lists, rng, n - n // 3)]
    while len(co) < n and tries < 300 * n:
        tries += 1
        word = "".join(rng.choice(KO_GIVEN) for _ in range(2))
        check = romanize_hangul(word).get("mr", "").replace(" ", "")
        if token_key(check.lower()) in vocab:
            continue
        co.append(Case("neg_company_ko", Query(name=word + rng.choice(KO_COMPANY_TAIL)), None))
    west = name_negatives("neg_western", WESTERN, pairs, rng, n)
    arab = name_negatives("neg_arabic", ARABIC, pairs, rng, n)
    return ru + ko + co + west + arab


def outside_cases(
    lists: Sequence[LoadedList], cases: Sequence[Case], split: str, n: int
) -> list[Case]:
    """bench/eval_outside.py's rows; the 600 `cyrillic` cases are their dev split."""
    dev = [c.target for c in cases if c.category == "cyrillic" and c.target]
    pairs, _, _ = listed_pairs(lists)
    wd = lists_dir().parent / "translit" / "wd_russian_80.tsv"
    out = (
        eval_outside.cyrillic_cases(lists, dev, n, split)
        + eval_outside.korean_list_cases(lists, split)
        + eval_outside.latin_variant_cases(
            lists, split, n, lambda e: e.schema == "Person" and eval_outside.is_korean(e)
        )
        + eval_outside.ru_wd_negatives(
            lists, pairs, lambda s: romanize_cyrillic(s)["icao"], wd, n
        )
    )
    return out  # type: ignore[return-value]


# --- running -------------------------------------------------------------------------


def baseline_scores(
    lists: Sequence[LoadedList], cases: Sequence[Case]
) -> list[tuple[float, float]]:
    """(best WRatio of the target entity, best WRatio of any entity) per case."""
    names: list[str] = []
    owners: list[tuple[str, str]] = []
    for lst in lists:
        for e in lst.entities:
            for nm, _ in e.all_names():
                names.append(utils.default_process(unidecode(nm)))
                owners.append((e.list, e.source_id))
    owner_arr = np.array([f"{a}\x00{b}" for a, b in owners])
    kr_mask = np.array([a == "kr-mofa" for a, _ in owners])
    out: list[tuple[float, float]] = []
    queries = [utils.default_process(unidecode(c.query.name)) for c in cases]
    for start in range(0, len(cases), 100):
        block = process.cdist(
            queries[start : start + 100], names, scorer=fuzz.WRatio, dtype=np.uint8, workers=-1
        )
        for i, c in enumerate(cases[start : start + 100]):
            row = block[i]
            best = float(row.max())
            if c.category == "designees_neg":  # only a kr-mofa hit is a false alert
                best = float(row[kr_mask].max())
            tgt = 0.0
            if c.target is not None:
                mask = owner_arr == f"{c.target[0]}\x00{c.target[1]}"
                tgt = float(row[mask].max()) if mask.any() else 0.0
            out.append((tgt, best))
    return out


def engine_scores(engine: Engine, cases: Sequence[Case]) -> list[tuple[float, float]]:
    """(score of the target within the top LIMIT, best score) per case (0 below SWEEP_FROM)."""
    results = engine.screen_many([c.query for c in cases], threshold=SWEEP_FROM, limit=LIMIT)
    out = []
    for c, ms in zip(cases, results, strict=True):
        best = ms[0].score if ms else 0.0
        if c.category == "designees_neg":
            best = max((m.score for m in ms if m.list == "kr-mofa"), default=0.0)
        tgt = 0.0
        if c.target is not None:
            # One party on several lists is one match: its `sources` name every entry.
            tgt = max(
                (m.score for m in ms
                 if c.target in [(s["list"], s["source_id"]) for s in m.sources]
                 or (m.list, m.source_id) == c.target),
                default=0.0,
            )
        out.append((tgt, best))
    return out


def transliterable(case: Case, by_target: dict[tuple[str, str], list[Entity]]) -> bool:
    """True if a Latin name of the target shares a distinctive (non-glossary) word key
    with some romanisation of the query: the target can be found by transliteration,
    not only by translating the name (New Eastern Outlook for Новое восточное обозрение)."""
    if case.target is None:
        return False
    nf = build_forms(case.query.name, case.query.schema)
    qkeys = {
        k
        for f in nf.forms
        if not f.scheme.startswith("glossary")
        for t, k in zip(f.tokens, f.keys, strict=True)
        if not is_concept(t)
    }
    for e in by_target.get(case.target, ()):
        for name in [e.name, *e.aliases, *e.weak_aliases]:
            forms = build_forms(name, e.schema, query=False).forms
            if forms and qkeys & set(forms[0].keys):
                return True
    return False


def rates(
    cases: Sequence[Case], scores: Sequence[tuple[float, float]], cut: float, cat: str
) -> float:
    sel = [s for c, s in zip(cases, scores, strict=True) if c.category == cat]
    if not sel:
        return float("nan")
    if cat in NEGATIVE:
        return sum(best >= cut for _, best in sel) / len(sel)
    return sum(tgt >= cut for tgt, _ in sel) / len(sel)


def sweep_cuts(step: float = 0.025, last: float = 0.95) -> list[float]:
    """The sweep's thresholds, exact to the printed digits: np.arange(0.55, 0.96, 0.025)
    summed its float error, so its "0.800" was 0.8000000000000003 and a case scoring
    exactly 0.8 (counted by the summary line at DEFAULT_THRESHOLD) was not counted there."""
    n = round((last - SWEEP_FROM) / step)
    return [round(SWEEP_FROM + i * step, 3) for i in range(n + 1)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--per-category", type=int, default=600)
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--show-misses", type=int, default=0)
    ap.add_argument(
        "--split",
        choices=("dev", "dev2", "dev3", "report"),
        default="report",
        help="half of the split rows (Korean, cyrillic_ho/eu, latin_variant): dev (tune on "
        "it), report (README figures) or dev2 (dev halves; Hangul-written Russians "
        "cross-validated on fifth 2, the reverse mapping retrained without it) or dev3 "
        "(likewise on fifth 3)",
    )
    ap.add_argument("--only-korean", action="store_true", help="Korean categories only")
    ap.add_argument(
        "--only",
        action="append",
        metavar="CATEGORY",
        help="screen only these categories (repeat); skips the sweep and issue 9's part",
    )
    args = ap.parse_args()
    eval_korean.SPLIT = args.split
    if args.split in ("dev2", "dev3"):
        eval_korean.use_cv_table(eval_korean._translit_dir() / "wd_korean_80.tsv")
    rng = random.Random(SEED)
    path = lists_dir()
    lists = load_spec(str(path)) + eval_korean.extra_lists()
    n = args.per_category
    cases = hangul_cases(lists)
    if not args.only_korean:
        cases += (
            cyrillic_cases(lists, rng, n)
            + korean_latin_cases(lists, rng, n)
            + latin_cases(lists, rng, n)
            + negative_cases(lists, rng, n)
        )
    cases += eval_korean.korean_cases(lists, rng, n)  # type: ignore[operator]
    if not args.only_korean:
        cases += outside_cases(lists, cases, args.split, n)
    if args.only:
        cases = [c for c in cases if c.category in args.only]
    # Queries are in Cyrillic or Hangul: their names must not be in the lists.
    stripped = strip_names(lists, lambda s: bool(CYRILLIC.search(s) or HANGUL.search(s)))
    t0 = time.perf_counter()
    engine = Engine(stripped)
    t1 = time.perf_counter()
    ours = engine_scores(engine, cases)
    # Spellings removed from every list (eval_outside.REMOVAL): a second engine.
    gone = eval_outside.removed_keys(cases)
    stripped_rm = strip_names(
        stripped, lambda s: eval_outside.letters_key(s) in gone
    ) if gone else stripped
    rm_idx = [i for i, c in enumerate(cases) if c.category in eval_outside.REMOVAL]
    if rm_idx:
        rm_scores = engine_scores(Engine(stripped_rm), [cases[i] for i in rm_idx])
        for i, sc in zip(rm_idx, rm_scores, strict=True):
            ours[i] = sc
    t2 = time.perf_counter()
    print(
        f"{len(cases)} queries from {path} (Korean categories: {args.split} split); "
        f"engine built in {t1 - t0:.1f}s, screened in {t2 - t1:.1f}s"
    )
    base = None if args.no_baseline else baseline_scores(stripped, cases)
    if base is not None and rm_idx:
        rm_base = baseline_scores(stripped_rm, [cases[i] for i in rm_idx])
        for i, sc in zip(rm_idx, rm_base, strict=True):
            base[i] = sc
    cats = [c for c in (*POSITIVE, *NEGATIVE) if any(x.category == c for x in cases)]
    th = DEFAULT_THRESHOLD
    print(f"\nAt DEFAULT_THRESHOLD={th} (baseline: unidecode + WRatio >= {BASELINE_CUTOFF:.0f})")
    print(
        f"{'category':<14}{'n':>6}  {'metric':<18}{'engine':>8}{'baseline':>10}  "
        f"{'target':<8} cases"
    )
    for cat in cats:
        count = sum(c.category == cat for c in cases)
        metric = "negatives alerting" if cat in NEGATIVE else "recall"
        ours_r = rates(cases, ours, th, cat)
        base_r = rates(cases, base, BASELINE_CUTOFF, cat) if base else float("nan")
        goal = TARGETS.get(cat)
        target = f">= {goal[0]:.2f}" if goal and cat in POSITIVE else ""
        kind = eval_outside.PROVENANCE.get(cat, "")
        if args.split == "report" and cat in eval_korean.HELD_OUT:
            kind = "WORN: fifth 1, run 6+ times; issue 8's row is *_r2 below"
        print(
            f"{cat:<14}{count:>6}  {metric:<18}{ours_r:>8.3f}{base_r:>10.3f}  {target:<8} {kind}"
        )
    print("negatives: targets <= 1% alerting; any match >= threshold counts as an alert")
    persons_only(lists, cases, ours, base)
    if args.split == "report" and (
        not args.only or set(args.only) & set(eval_korean.REPORT2.values())
    ):
        report2_rows(lists, stripped, n, baseline=base is not None)
    print(
        "cases: HELD OUT = written by others (the lists, Wikidata), split before anyone looked "
        f"({args.split} half of cyrillic_ho/cyrillic_eu/korean_lists/latin_variant; "
        "bench/eval_outside.py);\n"
        "dev: tuned on; generated/composed: made by our own code (flatters the engine)"
    )
    if args.only:
        show_misses(engine, stripped, cases, ours, args.show_misses)
        return 0
    hangulize_side_by_side(lists, cases, ours, base)
    if args.only_korean:
        show_misses(engine, stripped, cases, ours, args.show_misses)
        return 0
    by_target: dict[tuple[str, str], list[Entity]] = {}
    for lst in stripped:
        for e in lst.entities:
            by_target.setdefault((e.list, e.source_id), []).append(e)
    pairs = [
        (c, sc)
        for c, sc in zip(cases, ours, strict=True)
        if c.category == "cyrillic" and transliterable(c, by_target)
    ]
    print(
        f"second figure (information only; the target is the cyrillic line above): cyrillic "
        f"recall {rates([c for c, _ in pairs], [sc for _, sc in pairs], th, 'cyrillic'):.3f}\n"
        f"  on the {len(pairs)} queries whose target has a Latin name sharing a distinctive "
        "word with a romanisation\n  of the query (leaves out translation-only targets "
        "and list data errors)"
    )
    print("\nThreshold sweep (engine): recall per positive category / alerting per negative")
    print("thresh " + " ".join(f"{c[:12]:>12}" for c in cats))
    for cut in sweep_cuts():
        print(f"{cut:6.3f} " + " ".join(f"{rates(cases, ours, cut, c):>12.3f}" for c in cats))
    # Issue 9's categories (held-out organisations, bank file, namesakes, types).
    sys.path.insert(0, str(ROOT / "bench"))
    import eval_alerts

    eval_alerts.report(lists, stripped, engine, rng, baseline=not args.no_baseline)
    show_misses(engine, stripped, cases, ours, args.show_misses)
    return 0


def report2_rows(
    lists: Sequence[LoadedList], stripped: Sequence[LoadedList], n: int, baseline: bool
) -> None:
    """Issue 8's held-out row since session 7 (eval_korean's "report2"): Russians in Hangul
    of Wikidata fifth 4, screened by an engine whose reverse mapping is retrained in the
    run without fifths 1 and 4. Its own random stream; its misses are never printed."""
    pairs = eval_korean._translit_dir() / "wd_korean_80.tsv"
    if not pairs.exists():
        print(f"ru_hangul_r2: {pairs} is missing; skipped")
        return
    with eval_korean.report2_table(pairs):
        cases = eval_korean.report2_cases(lists, random.Random(SEED), n)
        ours = engine_scores(Engine(stripped), cases)
    base = baseline_scores(stripped, cases) if baseline else None
    print(
        "\nIssue 8's report row, split report2 (HELD OUT since session 7: Wikidata fifth 4, "
        "the reverse mapping\nretrained in this run on fifths 0, 2, 3; misses never printed)"
    )
    for cat in eval_korean.REPORT2.values():
        count = sum(c.category == cat for c in cases)
        metric = "negatives alerting" if cat in NEGATIVE else "recall"
        b = rates(cases, base, BASELINE_CUTOFF, cat) if base else float("nan")
        goal = TARGETS.get(cat)
        target = f">= {goal[0]:.2f}" if goal and cat in POSITIVE else "<= 0.01"
        print(
            f"{cat:<17}{count:>6}  {metric:<18}{rates(cases, ours, DEFAULT_THRESHOLD, cat):>8.3f}"
            f"{b:>10.3f}  {target}"
        )


def persons_only(
    lists: Sequence[LoadedList],
    cases: Sequence[Case],
    ours: Sequence[tuple[float, float]],
    base: Sequence[tuple[float, float]] | None,
) -> None:
    """The Cyrillic rows mix persons and entities; issue 9's target is on persons."""
    schema = {(e.list, e.source_id): e.schema for lst in lists for e in lst.entities}
    for cat in ("cyrillic", "cyrillic_ho"):
        idx = [
            i for i, c in enumerate(cases)
            if c.category == cat and c.target and schema.get(c.target) == "Person"
        ]
        if not idx:
            continue
        sub = [cases[i] for i in idx]
        e = rates(sub, [ours[i] for i in idx], DEFAULT_THRESHOLD, cat)
        b = rates(sub, [base[i] for i in idx], BASELINE_CUTOFF, cat) if base else float("nan")
        print(f"  {cat}, persons only ({len(idx)}): engine {e:.3f}, baseline {b:.3f}")


def hangulize_side_by_side(
    lists: Sequence[LoadedList],
    cases: Sequence[Case],
    ours: Sequence[tuple[float, float]],
    base: Sequence[tuple[float, float]] | None,
) -> None:
    """Russian names in Hangul: the engine beside the forward route (bench/hangulize_route.py),
    which reads the lists' Cyrillic names (the engine is given none)."""
    import hangulize_route as hr

    cats = ("ru_hangul", "ru_hangul_neg")
    if not hr.available():
        print("\nhangulize route: hangulize is not installed (make eval installs it); skipped")
        return
    route, covered, total = hr.route_scores(lists, cases, cats)
    idx = sorted(route)
    sub = [cases[i] for i in idx]
    print(
        f"\nRussian names in Hangul, two routes (forward route: hangulize 0.0.9 on the lists' "
        f"Cyrillic names,\n{covered} of {total} targets have one; alert at >= "
        f"{hr.ROUTE_THRESHOLD})"
    )
    print(f"{'category':<14}{'engine':>8}{'hangulize':>11}{'baseline':>10}")
    for cat in cats:
        e = rates(sub, [ours[i] for i in idx], DEFAULT_THRESHOLD, cat)
        r = rates(sub, [route[i] for i in idx], hr.ROUTE_THRESHOLD, cat)
        b = rates(sub, [base[i] for i in idx], BASELINE_CUTOFF, cat) if base else float("nan")
        print(f"{cat:<14}{e:>8.3f}{r:>11.3f}{b:>10.3f}")
    sweep = [
        f"{cut:.2f}: {rates(sub, [route[i] for i in idx], cut, cats[0]):.3f}/"
        f"{rates(sub, [route[i] for i in idx], cut, cats[1]):.3f}"
        for cut in (0.75, 0.8, 0.85, 0.9, 0.95)
    ]
    print("hangulize route sweep (recall/alerting): " + ", ".join(sweep))


def show_misses(
    engine: Engine,
    stripped: Sequence[LoadedList],
    cases: Sequence[Case],
    ours: Sequence[tuple[float, float]],
    limit: int,
) -> None:
    th = DEFAULT_THRESHOLD
    if limit:
        target_names = {
            (e.list, e.source_id): [e.name, *e.aliases, *e.weak_aliases]
            for lst in stripped
            for e in lst.entities
        }
        shown = 0
        for c, (tgt_score, best) in zip(cases, ours, strict=True):
            bad = (c.category in NEGATIVE and best >= th) or (
                c.category in POSITIVE and tgt_score < th
            )
            if c.category in eval_outside.POSITIVE + eval_outside.NEGATIVE and not (
                eval_korean.SPLIT != "report" and c.category in eval_outside.SPLIT_ROWS
            ):
                continue  # held out: its misses are never shown
            if eval_korean.SPLIT == "report" and c.category in eval_korean.HELD_OUT:
                continue  # the fresh report fifth of the Hangul-written Russians, likewise
            if bad and shown < limit:
                shown += 1
                # (for eval_outside.REMOVAL rows: on every name, the query's spelling too)
                top = engine.screen(c.query, threshold=0.0, limit=1)
                got = f"{top[0].matched_name!r} {top[0].score:.3f}" if top else "-"
                print(
                    f"MISS {c.category:<13} {c.query.name!r} target={c.target} "
                    f"tgt={tgt_score:.3f} top={got}"
                )
                if c.target is not None:
                    print(f"     target names: {target_names.get(c.target, [])!r}")


if __name__ == "__main__":
    sys.exit(main())
