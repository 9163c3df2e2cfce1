"""Every named case of issue 3, Cyrillic and Hangul inline, on hand-written lists."""

from __future__ import annotations

import pytest

from matching.engine import DEFAULT_THRESHOLD, Engine
from matching.model import Entity, LoadedList, Match, Query
from tests.unit.engine_lists import make_lists


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(make_lists())


def hits(engine: Engine, name: str, **kw: object) -> list[Match]:
    return engine.screen(Query(name=name, **kw))  # type: ignore[arg-type]


def hit_ids(engine: Engine, name: str, **kw: object) -> list[str]:
    return [m.source_id for m in hits(engine, name, **kw)]


@pytest.mark.parametrize(
    "name",
    [
        "Козлов Сергей Михайлович",
        "KOZLOV, Sergey Mikhaylovich",
        "Sergei Mikhailovich Kozlov",
        "Sergei Kozlov",
        "Kozlov Sergej Michajlovič",
        "Sergey M. Kozlov",
        "Mr. Sergey Mikhaylovich KOZLOV",
    ],
)
def test_kozlov_spellings_hit(engine: Engine, name: str) -> None:
    # "Sergei Kozlov" is also Sergey Ivanovich KOZLOV: both must be hits.
    assert "37621" in hit_ids(engine, name)
    if "ovich" in name.lower() or "ович" in name:
        assert hit_ids(engine, name)[0] == "37621"


def test_missing_patronymic_lowers_but_hits(engine: Engine) -> None:
    full = hits(engine, "Kozlov Sergey Mikhaylovich")[0]
    short = next(m for m in hits(engine, "Sergey Kozlov") if m.source_id == "37621")
    assert full.source_id == "37621"
    assert short.score < full.score
    assert short.score >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    "name", ["리병철", "이병철", "Lee Byeong-cheol", "Ri Pyong-chol", "RI PYONG CHOL"]
)
def test_ri_pyong_chol(engine: Engine, name: str) -> None:
    assert hit_ids(engine, name)[:1] == ["KPi.004"]


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("김정은", "KPi.001"),
        ("Kim Jong-un", "KPi.001"),
        ("Kim Jongun", "KPi.001"),
        ("박정천", "KPi.005"),
        ("최룡해", "KPi.006"),
        ("Choi Ryong-hae", "KPi.006"),
        ("정경택", "KPi.007"),
        ("강필훈", "KPi.008"),
        ("전지부", "KPi.009"),  # 부 ends the name: a syllable, not "department"
    ],
)
def test_korean_names_hit(engine: Engine, name: str, target: str) -> None:
    assert hit_ids(engine, name)[:1] == [target]


def test_kim_jong_un_is_not_kim_jong_il(engine: Engine) -> None:
    ids = hit_ids(engine, "김정은")
    assert "KPi.001" in ids
    assert "KPi.002" not in ids
    assert "KPi.001" not in hit_ids(engine, "KIM JONG IL")


def test_kim_yong_chol_is_not_kim_yong_chun(engine: Engine) -> None:
    assert "KPi.003" not in hit_ids(engine, "김영철")
    assert "KPi.003" not in hit_ids(engine, "Kim Yong Chol")


@pytest.mark.parametrize("name", ["Kim", "Ivanov", "Иванов", "김", "Sergey", "Petrov"])
def test_common_name_alone_never_hits(engine: Engine, name: str) -> None:
    assert hits(engine, name) == []


def test_intellekt(engine: Engine) -> None:
    assert hit_ids(engine, "ООО «Интеллект»")[:1] == ["36217"]
    assert hit_ids(engine, 'Общество с ограниченной ответственностью "Интеллект"')[:1] == ["36217"]
    assert hit_ids(engine, "Intellekt Limited Liability Company")[:1] == ["36217"]


def test_integral_does_not_hit_intellekt(engine: Engine) -> None:
    assert "36217" not in hit_ids(engine, "ООО «Интеграл»")


def test_shared_generic_words_never_hit_alone(engine: Engine) -> None:
    assert hit_ids(engine, "Alpha Trading Group LLC") == []
    assert hit_ids(engine, "ООО Торговая группа Вектор") == []


@pytest.mark.parametrize(
    "name", ["Содействие", "ООО «Содействие»", "Sodeystviye", "Sodejstvie", "Sodeistvie"]
)
def test_sodeistvie(engine: Engine, name: str) -> None:
    assert hit_ids(engine, name)[:1] == ["S1"]


def test_panfilov(engine: Engine) -> None:
    assert hit_ids(engine, "Панфилов Александр Фёдорович")[:1] == ["P1"]
    assert hit_ids(engine, "Aleksandr Fyodorovich Panfilov")[:1] == ["P1"]


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("LADY R", "37095"),
        ("M/V LADY R", "37095"),
        ("MV Lady R", "37095"),
        ("vessel ANGARA", "37059"),
        ("ANGARA", "37059"),
    ],
)
def test_vessels_by_name(engine: Engine, name: str, target: str) -> None:
    assert hit_ids(engine, name, schema="Vessel")[:1] == [target]
    assert hit_ids(engine, name)[:1] == [target]


@pytest.mark.parametrize(("imo", "target"), [("IMO 9161003", "37095"), ("9179842", "37059")])
def test_vessels_by_imo_whatever_the_name(engine: Engine, imo: str, target: str) -> None:
    found = hits(engine, "Sloman Producer", schema="Vessel", identifiers=[imo])
    assert found[0].source_id == target
    assert found[0].score >= 0.99
    feature = next(f for f in found[0].explanation["features"] if f["feature"] == "identifier")
    assert feature["note"] == "identifier matches"


def test_lady_r_does_not_hit_lady_d(engine: Engine) -> None:
    assert "V2" not in hit_ids(engine, "M/V LADY R")


def test_imo_conflict_lowers_namesake(engine: Engine) -> None:
    plain = hits(engine, "ANGARA", schema="Vessel")[0]
    other = [
        m
        for m in hits(engine, "ANGARA", schema="Vessel", identifiers=["IMO 9397559"])
        if m.source_id == "37059"
    ]
    assert not other or other[0].score < plain.score


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("Главное разведывательное управление", "RU.GRU"),
        ("조선광선은행", "KPe.001"),
        ("단군무역회사", "KPe.002"),
        ("정찰총국", "KPe.003"),
    ],
)
def test_translated_org_names(engine: Engine, name: str, target: str) -> None:
    assert hit_ids(engine, name)[:1] == [target]


def test_dob_agreement_raises_conflict_lowers(engine: Engine) -> None:
    def kozlov(**kw: object) -> Match:
        return next(m for m in hits(engine, "Sergey Kozlov", **kw) if m.source_id == "37621")

    base = kozlov().score
    agree = kozlov(birth_date="1960-05-31")
    year = kozlov(birth_date="1960")
    conflict = [
        m for m in hits(engine, "Sergey Kozlov", birth_date="1985") if m.source_id == "37621"
    ]
    assert agree.source_id == "37621" and agree.score > year.score > base
    assert not conflict or conflict[0].score < base


def test_country_and_gender_effects(engine: Engine) -> None:
    base = hits(engine, "Kozlov Sergey Mikhaylovich")[0].score
    assert (
        hits(engine, "Kozlov Sergey Mikhaylovich", country="Russia", gender="male")[0].score >= base
    )
    lowered = hits(engine, "Kozlov Sergey Mikhaylovich", country="France", gender="female")
    assert not lowered or lowered[0].score < base


def test_passport_is_decisive(engine: Engine) -> None:
    found = hits(engine, "S. Kozlov", identifiers=["723367854"])
    assert found[0].source_id == "37621" and found[0].score >= 0.99


def test_schema_conflict_lowers(engine: Engine) -> None:
    person = hits(engine, "ANGARA", schema="Person")
    assert not person or person[0].score < hits(engine, "ANGARA", schema="Vessel")[0].score


# --- Russian / Ukrainian / Belarusian given-name equivalents, translated and
# transliterated organisation names (matching/data/given_names.json, glossary.json) ---

_EQUIV_ENTITIES = [
    Entity("test", "G1", "Person", "PETRENKO, Aleksandr Vladimirovich"),
    Entity("test", "G2", "Person", "KAROL, Aliaksandr Uladzimiravich"),
    Entity("test", "G3", "Person", "SHEVCHUK, Olha Serhiivna"),
    Entity("test", "G4", "Person", "KABAEVA, Alina Maratovna"),
    Entity("test", "G5", "Person", "HONCHARENKO, Mykola Dmytrovych"),
    Entity("test", "O1", "Organization", "RUSSIAN RAILWAYS"),
    Entity("test", "O2", "Organization", "SIBANTHRACITE GROUP"),
    Entity("test", "O3", "Organization", "TBANK"),
    Entity("test", "O4", "Organization", "KAMA AUTOMOBILE PLANT"),
    Entity(
        "test",
        "O5",
        "Organization",
        "OPERATING ORGANIZATION OF ZAPORIZHZHIA NUCLEAR POWER PLANT",
    ),
    Entity(
        "test",
        "O6",
        "Organization",
        "'CHERNOMORNEFTEGAZ' STATE UNITARY ENTERPRISE OF THE REPUBLIC OF CRIMEA",
    ),
]


@pytest.fixture(scope="module")
def equiv_engine() -> Engine:
    lists = make_lists()
    return Engine([*lists, LoadedList(lists[0].meta, _EQUIV_ENTITIES)])


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("Олександр Петренко", "G1"),
        ("Олександр Володимирович Петренко", "G1"),
        ("Аляксандр Уладзіміравіч Петрэнка", "G1"),  # Belarusian surname form: near
        ("Олександр Петров", None),  # same given name, another surname
        ("Aliaksandr Uladzimiravich PETRENKO", "G1"),
        ("Аляксандр Уладзіміравіч КАРОЛЬ", "G2"),
        ("Aleksandr Vladimirovich KAROL", "G2"),
        ("Ольга Сергеевна Шевчук", "G3"),
        ("Volha Siarheeuna SHEVCHUK", "G3"),
        ("Николай Дмитриевич Гончаренко", "G5"),
        ("Әлинә Марат кызы Кабаева", "G4"),
    ],
)
def test_given_name_equivalents(equiv_engine: Engine, name: str, target: str | None) -> None:
    ids = hit_ids(equiv_engine, name)
    if target is None:
        assert not any(i.startswith("G") for i in ids)
    else:
        assert ids[:1] == [target]


@pytest.mark.parametrize(
    "name",
    [
        "Олег Петренко",  # Oleg is not Oleksandr
        "Алексей Владимирович Петренко",  # Aleksei is not Aleksandr
        "Ольга Петровна Шевчук",  # another patronymic: a conflict
        "Наталья Шевчук",
    ],
)
def test_different_given_names_do_not_meet(equiv_engine: Engine, name: str) -> None:
    assert not any(i.startswith("G") for i in hit_ids(equiv_engine, name))


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("Российские железные дороги", "O1"),
        ("СибАнтрацит", "O2"),
        ("T-банк", "O3"),
        ("Камский автомобильный завод", "O4"),
        ("Эксплуатирующая организация Запорожской АЭС", "O5"),
        ("Государственное унитарное предприятие Республики Крым «Черноморнефтегаз»", "O6"),
    ],
)
def test_translated_and_transliterated_org_names(
    equiv_engine: Engine, name: str, target: str
) -> None:
    assert hit_ids(equiv_engine, name)[:1] == [target]


def test_railways_alone_do_not_hit(equiv_engine: Engine) -> None:
    assert "O1" not in hit_ids(equiv_engine, "Железные дороги Казахстана")


@pytest.fixture(scope="module")
def un_spelling_engine() -> Engine:
    lists = make_lists()
    listed = [
        Entity(lists[0].meta.name, "KPe.UN1", "Organization", "KOREAN TANGUN TRADING CORPORATION"),
        Entity(lists[0].meta.name, "KPi.UN1", "Person", "KIM JONG UN"),
        Entity(lists[0].meta.name, "KPi.UN2", "Person", "KIM JONG IL"),
    ]
    return Engine([LoadedList(lists[0].meta, listed)])


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("단군무역회사", "KPe.UN1"),  # 단군 is Tan'gun in McCune-Reischauer
        ("조선단군무역회사", "KPe.UN1"),
        ("Ким Чен Ын", "KPi.UN1"),  # Korean in Russian (Kontsevich) transcription
        ("Ким Чен Ир", "KPi.UN2"),
        ("Иван Ким", None),  # a Russian Korean's name is not Korean syllables
    ],
)
def test_hangul_and_cyrillic_korean_meet_un_spellings(
    un_spelling_engine: Engine, name: str, target: str | None
) -> None:
    ids = hit_ids(un_spelling_engine, name)
    assert ids[:1] == ([target] if target else [])


@pytest.fixture(scope="module")
def join_engine() -> Engine:
    meta = make_lists()[0].meta
    listed = [
        Entity(meta.name, "V-LIANA", "Vessel", "MACKEREL", aliases=["Liana", "Linnet"]),
        Entity(meta.name, "P-MZ", "Person", "MOHAMMEDZUHAIR, Ahmad Karim"),
    ]
    return Engine([LoadedList(meta, listed)])


def test_short_words_joined_do_not_spell_a_listed_name(join_engine: Engine) -> None:
    assert hit_ids(join_engine, "Ли Анна") == []
    assert hit_ids(join_engine, "Li Anna") == []


def test_long_split_words_still_meet_their_joined_form(join_engine: Engine) -> None:
    assert hit_ids(join_engine, "Mohammed Zuhair Ahmad Karim")[:1] == ["P-MZ"]


@pytest.fixture(scope="module")
def alias_engine() -> Engine:
    meta = make_lists()[0].meta
    listed = [Entity(meta.name, "P-OH", "Person", "HAMMAMI, Omar", aliases=["FAROUK", "SAMIR"])]
    return Engine([LoadedList(meta, listed)])


def test_one_word_alias_does_not_alert_on_a_fuller_name(alias_engine: Engine) -> None:
    assert hit_ids(alias_engine, "Mohammed Farouk") == []
    assert hit_ids(alias_engine, "Samir Nasser") == []
    shown = alias_engine.screen(Query(name="Mohammed Farouk"), threshold=0.0)
    assert shown and shown[0].source_id == "P-OH"  # still visible below the threshold


def test_one_word_alias_alone_and_the_full_name_still_alert(alias_engine: Engine) -> None:
    assert hit_ids(alias_engine, "Farouk") == ["P-OH"]
    assert hit_ids(alias_engine, "Omar Hammami") == ["P-OH"]
