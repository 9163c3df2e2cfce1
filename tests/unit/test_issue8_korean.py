"""Every example of issue 8 (Korean names as Korean institutions write them), Hangul inline.

The namesakes are listed the way the issue reports them (RR/customary spellings); the
designees are screened against kr-mofa with its Hangul names removed, so that they are
found by reading the Hangul back, not by our own Hangul aliases.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from matching.engine import DEFAULT_THRESHOLD, Engine
from matching.hangul_foreign import foreign_token_sim, readings, similarity
from matching.korean_syllables import best_alignment, latin_unit, name_readings
from matching.lists import load_spec
from matching.model import Entity, LoadedList, Match, Query
from tests.unit.engine_lists import META, make_lists

HANGUL = re.compile(r"[\uac00-\ud7a3]")

NAMESAKES = ["Kim Tae-hwan", "Lee Dae-geun", "Park Jong-hun", "Kim Soo-hyun", "Ri Jong-o"]


def _without_hangul(lists: list[LoadedList]) -> list[LoadedList]:
    return [
        LoadedList(
            lst.meta,
            [
                replace(e, aliases=[a for a in e.aliases if not HANGUL.search(a)])
                for e in lst.entities
            ],
        )
        for lst in lists
    ]


@pytest.fixture(scope="module")
def engine() -> Engine:
    extra = [Entity("test", f"NS{i}", "Person", name) for i, name in enumerate(NAMESAKES)] + [
        Entity("test", "KPi.010", "Person", "KIM Yong Chol")
    ]
    lists = [LoadedList(META, make_lists()[0].entities + extra)]
    return Engine(lists + _without_hangul(load_spec("kr-mofa")))


def top(engine: Engine, name: str, **kw: object) -> Match | None:
    found = engine.screen(Query(name=name, **kw), threshold=0.0, limit=1)  # type: ignore[arg-type]
    return found[0] if found else None


def alerts(engine: Engine, name: str, **kw: object) -> list[str]:
    found = engine.screen(Query(name=name, **kw))  # type: ignore[arg-type]
    return [m.name for m in found if m.score >= DEFAULT_THRESHOLD]


# --- 1. namesakes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "listed"),
    [
        ("이태곤", "Lee Dae-geun"),  # 태 is never "Dae", 곤 never "geun"
        ("박중훈", "Park Jong-hun"),  # ㅜ is not written o
        ("김소현", "Kim Soo-hyun"),  # Soo is 수, not 소
        ("이정우", "Ri Jong-o"),  # 우 is u/woo, never o
    ],
)
def test_korean_namesakes_do_not_alert(engine: Engine, name: str, listed: str) -> None:
    assert listed not in alerts(engine, name)


def test_mr_reading_of_a_namesake_still_meets(engine: Engine) -> None:
    # 김대환 is "Kim Tae-hwan" in McCune-Reischauer and the DPRK system (대 = Tae), as
    # lists print DPRK names, and the spelling is consistent in that system: nothing in it
    # says 태 (RR) was meant. Known limit (README): it scores 1.0, and the explanation
    # tells the analyst which system the match needs.
    (q,) = name_readings("김대환", query=True)
    (li,) = name_readings("Kim Tae-hwan", query=False)
    assert [s.text for s in li.given] == ["Tae", "Hwan"]
    assert q.given[0].text == "대"
    m = top(engine, "김대환")
    assert m is not None and m.name == "Kim Tae-hwan"
    assert "대 ~ Tae (MR/DPRK)" in m.explanation["korean_syllables"]


def test_customary_and_system_spellings_keep_recall(engine: Engine) -> None:
    for name in ("Kim Soo Hyun", "김수현", "Lee Byeong-cheol", "리병철", "이병철", "KIM Su Hyon"):
        m = top(engine, name)
        assert m is not None and m.score >= DEFAULT_THRESHOLD, name


def test_rare_merges_weigh_less_than_system_spellings() -> None:
    jung = dict(latin_unit("jung"))  # 중 (RR/MR u) and 정 (customary u for ㅓ)
    jong = dict(latin_unit("jong"))  # 정 (MR) and 종; 중 only as a rare merge
    assert jung["중"] == 1.0
    assert jong.get("중", 0.0) < 0.8
    assert "소" not in dict(latin_unit("soo")) or dict(latin_unit("soo"))["소"] < 0.8


# --- 2. every order ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("정은 김", "KIM JONG UN"),
        ("영철 김", "KIM Yong Chol"),
        ("병철 리", "RI, Pyong Chol"),
        ("Jong Un Kim", "KIM JONG UN"),
        ("KIMJONGUN", "KIM JONG UN"),
        ("Kim Jong-un", "KIM JONG UN"),
        ("김정은", "KIM JONG UN"),
        ("김 정은", "KIM JONG UN"),
        ("Чен Ын Ким", "KIM JONG UN"),
        ("Ким Чен Ын", "KIM JONG UN"),
        # Kontsevich Cyrillic in every order, spaced, hyphenated or glued
        ("КИМЧЕНЫН", "KIM JONG UN"),
        ("Кимченын", "KIM JONG UN"),
        ("Ким Чен-Ын", "KIM JONG UN"),
        ("Чен-Ын Ким", "KIM JONG UN"),
        ("КИМ ЧЕН ЫН", "KIM JONG UN"),
        ("Ким, Чен Ын", "KIM JONG UN"),
        ("Ен Чхоль Ким", "KIM Yong Chol"),
        ("Пён Чхоль Ли", "RI, Pyong Chol"),
        ("ЛИПЁНЧХОЛЬ", "RI, Pyong Chol"),
        ("Yong-chol Kim", "KIM Yong Chol"),
    ],
)
def test_every_order(engine: Engine, name: str, target: str) -> None:
    m = top(engine, name)
    assert m is not None and m.name == target
    assert m.score >= DEFAULT_THRESHOLD


def test_given_first_still_tells_people_apart(engine: Engine) -> None:
    assert "KIM JONG IL" not in alerts(engine, "정은 김")
    assert "KIM Yong Chun" not in alerts(engine, "영철 김")
    assert "KIM JONG UN" not in alerts(engine, "КИМЧЕНИР")  # Ким Чен Ир, glued
    assert "KIM JONG IL" in alerts(engine, "КИМЧЕНИР")


def test_glued_cyrillic_is_shown_as_written(engine: Engine) -> None:
    m = top(engine, "КИМЧЕНЫН")
    assert m is not None
    assert [(t["query"], t["list"]) for t in m.explanation["tokens"]] == [
        ("КИМ", "Kim"),
        ("ЧЕН", "Jong"),
        ("ЫН", "Un"),
    ]


def test_kontsevich_syllables_are_explained_by_the_hangul_they_spell(engine: Engine) -> None:
    # The Cyrillic key merges ㅡ and ㅜ (Ын, Ун); the explanation shows 은, which Ын spells.
    m = top(engine, "Ким Чен Ын")
    assert m is not None
    shown = m.explanation["korean_syllables"]
    assert shown == ["Ким ~ Kim (김)", "Чен ~ Jong (정)", "Ын ~ Un (은)"]


def test_a_glued_russian_surname_is_not_read_as_a_korean_name(engine: Engine) -> None:
    # Пакулин could split as ПАК У ЛИН: it must not alert on a listed Korean PAK.
    assert alerts(engine, "Пакулин") == []


# --- per-system consistency ------------------------------------------------------------------


def _score(query: str, listed: str) -> tuple[float, tuple[str, ...]]:
    al = best_alignment(name_readings(query, query=True), name_readings(listed, query=False))
    assert al is not None
    return al.score, al.readings


@pytest.mark.parametrize(
    ("query", "consistent", "mixed"),
    [
        ("리병철", "RI Pyong Chol", "Ri Pyong Cheol"),  # MR/DPRK, then MR/DPRK + RR
        ("이병철", "Lee Byeong-cheol", "Lee Byeong-chol"),  # RR, then RR + MR/DPRK
        ("김정은", "KIM JONG UN", "KIM Jong Eun"),
        ("김영철", "KIM Yong Chol", "Kim Yeong Chol"),
        ("Kim Jong Un", "KIM JONG UN", "KIM Jong Eun"),  # Latin against Latin too
    ],
)
def test_one_system_scores_above_a_mix_of_systems(query: str, consistent: str, mixed: str) -> None:
    high, _ = _score(query, consistent)
    low, notes = _score(query, mixed)
    assert high == 1.0
    assert DEFAULT_THRESHOLD <= low < high  # a little lower: it still alerts
    assert any("systems mixed" in n for n in notes)


def test_systems_of_both_sides_need_not_agree() -> None:
    # Each name is consistent in itself (RR, MR/DPRK): a romanisation difference, not a mix.
    assert _score("Lee Byeong-cheol", "RI Pyong Chol")[0] == 1.0
    # Customary spellings (Byung, Chul) belong to no system: weighed, never "mixed".
    assert _score("이병철", "Lee Byung Chul")[0] == 1.0


# --- 3. foreign names in Hangul, legal forms, the designees -----------------------------


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("세르게이 미하일로비치 코즐로프", "Sergey Mikhailovich Kozlov"),
        ("코즐로프 세르게이", "Sergey Mikhailovich Kozlov"),
        ("알렉산드르 표도로비치 판필로프", "Aleksandr Fyodorovich Panfilov"),
        ("인텔렉트 유한책임회사", "Intellekt LLC"),
        ("소데이스트비예", "Sodeistvie"),
        ("레이디 알", "LADY R"),
        ("앙가라", "ANGARA"),
        # clerks' deviations
        ("코즐롭 세르게이", "Sergey Mikhailovich Kozlov"),
        ("알렉산더 판필로프", "Aleksandr Fyodorovich Panfilov"),
        ("세르게이 미하이로비치 코즐로프", "Sergey Mikhailovich Kozlov"),
    ],
)
def test_designees_in_hangul_are_found(engine: Engine, name: str, target: str) -> None:
    assert target in alerts(engine, name)


def test_letters_hangul_writes_alike_read_alike() -> None:
    # 레 is "re" in most training names (Russian), but ㄹ is r and l alike: LADY is read
    # as fully as a Russian Redi, while another name still reads poorly.
    assert similarity("레이디", "lady") == similarity("레이디", "rady")
    assert foreign_token_sim("레이디", "lady") == 1.0
    assert foreign_token_sim("판필로프", "panfilov") == 1.0
    assert foreign_token_sim("코발료프", "kozlov") < 0.05


def test_lady_r_found_where_lady_is_a_common_word() -> None:
    # Found through LADY R alone (the Cyrillic ЛЕДИ Р removed, as where a bank screens
    # against lists without it), beside other LADY vessels: 레이디 must read LADY fully.
    vessels = [
        Entity("test", f"V{i}", "Vessel", f"LADY {w}")
        for i, w in enumerate(["MARIA", "ROSE", "SOPHIA", "ANNA", "LUNA", "GRACE", "JANE"])
    ]
    (kr,) = _without_hangul(load_spec("kr-mofa"))
    latin_only = [replace(e, aliases=[a for a in e.aliases if a.isascii()]) for e in kr.entities]
    eng = Engine([LoadedList(META, vessels), LoadedList(kr.meta, latin_only)])
    m = top(eng, "레이디 알")
    # Both words read fully: whatever weight LADY has on the full lists, the score holds.
    assert m is not None and m.name == "LADY R" and m.score >= 0.95
    assert "LADY R" not in alerts(eng, "레이디 로즈")


def test_foreign_name_starting_with_a_korean_surname_syllable() -> None:
    # 유 is a Korean surname, but a word of three syllables beside another word is no
    # Korean name (Korean names are solid or in words of at most two syllables).
    people = [
        Entity("test", "R1", "Person", "CHAYKA, Yuriy Yakovlevich", aliases=["CHAIKA, Yury"]),
        Entity("test", "R2", "Person", "YU Ri Cha"),
    ]
    eng = Engine([LoadedList(META, people)])
    assert "CHAYKA, Yuriy Yakovlevich" in alerts(eng, "유리 차이카")
    assert "YU Ri Cha" in alerts(eng, "유리차")  # a solid Korean name stays Korean


def test_readings_differ_in_search_key() -> None:
    # 쿠진: kugene and cugene are one key; the third reading must be another (kuzin).
    found = [text for text, _ in readings("쿠진")]
    assert "kuzin" in found
    assert len(found) == 3


@pytest.mark.parametrize(
    "name", ["세르게이 코발료프", "미하일 코즐로프", "인텔 코리아", "레이디 로즈", "앙가르스크"]
)
def test_near_designees_do_not_alert(engine: Engine, name: str) -> None:
    kr = {"Sergey Mikhailovich Kozlov", "Intellekt LLC", "LADY R", "ANGARA", "Sodeistvie"}
    assert not kr & set(alerts(engine, name))


@pytest.mark.parametrize(
    "name",
    [
        "인텔렉트 유한책임회사",
        "유한책임회사 인텔렉트",
        "인텔렉트유한책임회사",
        "인텔렉트 유한회사",
        "(유)인텔렉트",
        "주식회사 인텔렉트",
        "(주) 인텔렉트",
        "인텔렉트 합자회사",
    ],
)
def test_korean_legal_forms_before_or_after(engine: Engine, name: str) -> None:
    m = top(engine, name, schema="Company")
    assert m is not None and m.name == "Intellekt LLC"
    assert m.score >= DEFAULT_THRESHOLD


# --- 5. explanations -------------------------------------------------------------------------


def test_explanation_shows_syllables_as_written(engine: Engine) -> None:
    m = top(engine, "리병철")
    assert m is not None
    ex = m.explanation
    assert ex["korean_syllables"] == [
        "리 ~ Ri (MR/DPRK/RR)",
        "병 ~ Pyong (MR/DPRK)",
        "철 ~ Chol (MR/DPRK)",
    ]
    tokens = [(t["query"], t["list"]) for t in ex["tokens"]]
    assert tokens == [("리", "Ri"), ("병", "Pyong"), ("철", "Chol")]
    text = repr(ex)
    for internal in ("'cong'", "'col'", "'pyong'"):
        assert internal not in text


def test_explanation_of_a_romanisation_difference(engine: Engine) -> None:
    m = top(engine, "Lee Byeong-cheol")
    assert m is not None
    assert "Byeong ~ Pyong (병: RR / MR/DPRK)" in m.explanation["korean_syllables"]


def test_foreign_hangul_alignment_shows_hangul_words(engine: Engine) -> None:
    m = top(engine, "코즐로프 세르게이")
    assert m is not None
    pairs = {(t["query"], t["list"]) for t in m.explanation["tokens"]}
    assert ("코즐로프", "kozlov") in pairs and ("세르게이", "sergey") in pairs
    # the list's words as written (lower-cased), never the search keys the readings use
    text = repr(m.explanation)
    for internal in ("'sergei'", "'xozlov'", "'cozlov'"):
        assert internal not in text


# --- the built-in list ---------------------------------------------------------------------


def test_kr_mofa_carries_hangul_names_marked_as_ours() -> None:
    (lst,) = load_spec("kr-mofa")
    names = {a for e in lst.entities for a in e.aliases if HANGUL.search(a)}
    assert {
        "세르게이 미하일로비치 코즐로프",
        "알렉산드르 표도로비치 판필로프",
        "인텔렉트",
        "소데이스트비예",
        "레이디 알",
        "앙가라",
    } <= names
    import json
    from importlib import resources

    raw = json.loads(resources.files("matching").joinpath("data/kr_mofa.json").read_text("utf-8"))
    assert "our transcription" in raw["notes"]
    assert all("our transcription" in e["hangul_note"] for e in raw["entities"])
