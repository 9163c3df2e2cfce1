"""Issue 9's examples: namesakes told apart by birth date and country, types that never
alert on name alone, partial names, generic words, one party one hit, and the policy a
bank sets. Entities are spelled as the real lists spell them."""

from __future__ import annotations

import pytest

from matching.engine import DEFAULT_THRESHOLD, Engine
from matching.model import Entity, Identifier, ListMeta, LoadedList, Match, Query
from matching.policy import MatchingPolicy


def _list(name: str, entities: list[Entity]) -> LoadedList:
    meta = ListMeta(name, name, "test", "test", "test", None, "0" * 64, len(entities), 0, "now")
    for e in entities:
        e.list = name
    return LoadedList(meta, entities)


def _kim(list_name: str, source_id: str) -> Entity:
    return Entity(list_name, source_id, "Person", "KIM, Jong Un",
                  birth_dates=["1984-01-08"], countries=["kp"])


def _ri(list_name: str, name: str) -> Entity:
    return Entity(list_name, f"{list_name}-RI", "Person", name, countries=["kp"],
                  birth_dates=["1930"])


@pytest.fixture(scope="module")
def engine() -> Engine:
    sdn = [
        _kim("sdn", "KIM-1"),
        _ri("sdn", "RI, Pyong Chol"),
        Entity("sdn", "N1", "LegalEntity", "NOVAK OOO"),
        Entity("sdn", "V1", "Vessel", "ANGARA", identifiers=[Identifier("imo", "9179842")]),
        Entity("sdn", "K1", "Person", "KOZLOV, Sergey Mikhaylovich",
               birth_dates=["1960-05-31"], countries=["ru"]),
        Entity("sdn", "C1", "Company", "URAL AIRLINES"),
        Entity("sdn", "C4", "Company", "URAL AVIA LLC"),
        Entity("sdn", "C5", "Company", "URAL STEEL JSC"),
        Entity("sdn", "S1", "Company", "SBERBANK OF RUSSIA"),
        Entity("sdn", "S2", "Company", "SUMMIT STREAMLINE INC"),
        Entity("sdn", "F2", "Company", "FORTUNA SHIPPING LLC"),
        Entity("sdn", "C2", "Company", "DONGBANG BANK"),
        Entity("sdn", "C3", "Company", "INTELLEKT LLC",
               identifiers=[Identifier("tax", "7701080141")]),
    ]
    eu = [
        _kim("eu", "EU-KIM"),
        _ri("eu", "Ri Pyong Chol"),
        Entity("eu", "KYC", "Person", "Kim Yong Chol",
               aliases=["Kim Yong-Chol", "Kim Young-Chol", "Young-Chul"], countries=["kp"]),
    ]
    un = [_ri("un", "RI PYONG CHOL")]
    uk = [_ri("uk", "RI, Pyong Chol")]
    return Engine([_list("sdn", sdn), _list("eu", eu), _list("un", un), _list("uk", uk)])


def alerts(engine: Engine, query: Query, policy: MatchingPolicy | None = None) -> list[Match]:
    return engine.screen(query, policy=policy)


def best(engine: Engine, query: Query, target: str, policy: MatchingPolicy | None = None) -> float:
    found = engine.screen(query, threshold=0.0, limit=50, policy=policy)
    return max((m.score for m in found if m.source_id == target), default=0.0)


# -- namesakes: birth date graded by the gap, with the country ---------------------------


def test_korean_namesake_born_elsewhere_years_apart_does_not_alert(engine: Engine) -> None:
    namesake = Query("김정은", birth_date="1990", country="KR")
    assert best(engine, namesake, "KIM-1") < DEFAULT_THRESHOLD
    assert not alerts(engine, namesake)


def test_same_name_without_a_date_still_alerts(engine: Engine) -> None:
    assert alerts(engine, Query("김정은"))[0].name == "KIM, Jong Un"


def test_one_year_apart_is_a_slip_not_a_namesake(engine: Engine) -> None:
    assert alerts(engine, Query("김정은", birth_date="1985"))


def test_full_dates_conflicting_on_day_and_month_cost_more_than_the_year_alone(
    engine: Engine,
) -> None:
    name = "Kozlov Sergey Mikhaylovich"
    full = best(engine, Query(name, birth_date="1975-01-02"), "K1")
    year = best(engine, Query(name, birth_date="1975"), "K1")
    assert full < year < DEFAULT_THRESHOLD


# -- types -------------------------------------------------------------------------------


def test_person_never_alerts_on_a_company(engine: Engine) -> None:
    assert not alerts(engine, Query("Julia Novak", schema="Person"))
    assert not alerts(engine, Query("Julia Novak"))  # one word of a company's name


def test_company_never_alerts_on_a_vessel_but_an_imo_still_decides(engine: Engine) -> None:
    assert not alerts(engine, Query("Angara", schema="Company"))
    hit = alerts(engine, Query("Angara", schema="Company", identifiers=["IMO 9179842"]))
    assert hit and hit[0].source_id == "V1"


def test_vessel_query_finds_the_vessel(engine: Engine) -> None:
    assert alerts(engine, Query("Angara", schema="Vessel"))[0].source_id == "V1"


def test_a_tax_id_decides_for_a_company(engine: Engine) -> None:
    assert alerts(engine, Query("Some Other Name", schema="Company",
                                identifiers=["7701080141"]))[0].source_id == "C3"


# -- partial names ---------------------------------------------------------------------


def test_given_name_alias_meeting_another_surname_does_not_alert(engine: Engine) -> None:
    assert best(engine, Query("Yoon Young-chul"), "KYC") < DEFAULT_THRESHOLD


def test_the_full_name_still_alerts(engine: Engine) -> None:
    assert alerts(engine, Query("Kim Young-chol"))[0].source_id == "KYC"


def test_another_family_name_does_not_alert(engine: Engine) -> None:
    assert best(engine, Query("Sergey Mikhaylovich Petrov"), "K1") < DEFAULT_THRESHOLD
    assert alerts(engine, Query("Sergey Mikhaylovich Kozlov"))[0].source_id == "K1"


# -- generic words ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Урал", "Ural Trading", "ООО «Фортуна»", "Dongbang", "Dongbang Trading", "State",
             "Bank", "Summit GmbH"])
def test_generic_words_alone_do_not_alert(engine: Engine, name: str) -> None:
    assert not alerts(engine, Query(name))


def test_a_distinctive_name_still_alerts(engine: Engine) -> None:
    assert alerts(engine, Query("ООО «Интеллект»"))[0].source_id == "C3"
    assert alerts(engine, Query("Ural Airlines"))[0].source_id == "C1"
    assert alerts(engine, Query("Сбербанк"))[0].source_id == "S1"  # "of Russia" is a frame


# -- one party, one hit ----------------------------------------------------------------


def test_one_person_on_four_lists_is_one_hit_with_its_sources(engine: Engine) -> None:
    found = [m for m in alerts(engine, Query("Ri Pyong Chol")) if "RI" in m.source_id]
    assert len(found) == 1
    sources = {s["list"] for s in found[0].sources}
    assert sources == {"sdn", "eu", "un", "uk"}
    assert found[0].to_dict()["sources"][0] == {"list": found[0].list,
                                                "source_id": found[0].source_id}


def test_namesakes_on_two_lists_with_other_birth_years_stay_apart() -> None:
    a = Entity("a", "1", "Person", "PETROV, Ivan", birth_dates=["1950"])
    b = Entity("b", "2", "Person", "PETROV, Ivan", birth_dates=["1980"])
    eng = Engine([_list("a", [a]), _list("b", [b])])
    assert len(eng.screen(Query("Ivan Petrov"), threshold=0.5)) == 2


def test_an_organisation_is_one_party_by_an_alias_or_its_tax_number() -> None:
    # Real spellings: OFAC, the EU Official Journal and OpenSanctions each write Milandr,
    # Sokhra and Vympel their own way, under Company or LegalEntity.
    sdn = [Entity("sdn", "M1", "LegalEntity", "SC ICC Milandr", aliases=["MILANDR ICC JSC"]),
           Entity("sdn", "S1", "LegalEntity", "OOO SOKHRA"),
           Entity("sdn", "V1", "LegalEntity", "PUBLIC JOINT STOCK COMPANY VYMPEL INTERSTATE "
                  "CORPORATION", identifiers=[Identifier("registration", "1027700341855")])]
    eu = [Entity("eu", "M2", "Company", "JSC ICC Milandr", aliases=["Milandr ICC JSC"]),
          Entity("eu", "S2", "Company", "Sokhra LLC"),
          Entity("eu", "V2", "LegalEntity", "JSC MAK Vympel",
                 identifiers=[Identifier("registration", "1027700341855")]),
          # The EU file copies Vympel's registration number onto another plant: a number
          # shared by names with no word in common does not make one party.
          Entity("eu", "K2", "LegalEntity", "OJSC ‘Krasnoe Znamya’ Plant",
                 identifiers=[Identifier("registration", "1027700341855")])]
    eng = Engine([_list("sdn", sdn), _list("eu", eu)])
    for query, ids in [("Milandr", {"M1", "M2"}), ("ООО «Сохра»", {"S1", "S2"}),
                       ("Vympel", {"V1", "V2"})]:
        found = eng.screen(Query(query, schema="Company"), threshold=0.3)
        assert len(found) == 1, query
        assert {s["source_id"] for s in found[0].sources} == ids, query
    party = {e.source_id: eng._person_of[i] for i, e in enumerate(eng.entities)}
    assert party["V1"] == party["V2"] != party["K2"]


def test_a_short_generic_word_does_not_make_two_organisations_one() -> None:
    a = Entity("a", "1", "Company", "ALFA LLC")
    b = Entity("b", "2", "Company", "Alfa OOO")
    eng = Engine([_list("a", [a]), _list("b", [b])])
    assert len(eng.screen(Query("Alfa"), threshold=0.5)) == 2


# -- the policy ------------------------------------------------------------------------


def test_per_list_threshold_and_lists(engine: Engine) -> None:
    q = Query("Kozlov Sergey Mikhaylovich")
    assert alerts(engine, q)
    assert not alerts(engine, q, MatchingPolicy(list_thresholds={"sdn": 1.01 - 0.001}))
    assert not alerts(engine, q, MatchingPolicy(lists=("eu",)))


def test_strict_types_off_only_lowers(engine: Engine) -> None:
    q = Query("Angara", schema="Company")
    lax = MatchingPolicy(strict_types=False)
    assert alerts(engine, q, lax)[0].source_id == "V1"
    assert alerts(engine, q, lax)[0].score == pytest.approx(0.85)


def test_namesake_gap_is_the_banks_choice(engine: Engine) -> None:
    q = Query("Kozlov Sergey Mikhaylovich", birth_date="1963")
    default = best(engine, q, "K1")
    strict = best(engine, q, "K1", MatchingPolicy(namesake_year_gap=3))
    assert strict < default


def test_missing_data_lowers_only_when_asked(engine: Engine) -> None:
    q = Query("Kozlov Sergey Mikhaylovich")
    keep = best(engine, q, "K1")
    lower = best(engine, q, "K1", MatchingPolicy(missing_data="lower"))
    assert lower == pytest.approx(keep - 0.04)  # no date, no country given


def test_every_match_records_policy_and_weights(engine: Engine) -> None:
    m = alerts(engine, Query("김정은"), MatchingPolicy(namesake_year_gap=7))[0]
    assert m.explanation["policy"]["namesake_year_gap"] == 7
    assert len(m.explanation["algorithm"]["weights_hash"]) == 16


def test_a_party_hit_names_its_entries_that_score_below_the_threshold() -> None:
    # OFAC writes the bank as transliterated, the EU in English: one party (the same
    # registration number); the Cyrillic query meets only the transliteration, and the
    # hit still names the EU entry among its sources.
    reg = [Identifier("registration", "1027800000084")]
    sdn = [Entity("sdn", "R1", "LegalEntity", "AB ROSSIYA, OAO", identifiers=reg)]
    eu = [Entity("eu", "R2", "Company", "BANK ROSSIYA", identifiers=reg)]
    eng = Engine([_list("sdn", sdn), _list("eu", eu)])
    found = eng.screen(Query("АБ «Россия»", schema="Company"))
    assert [m.source_id for m in found] == ["R1"]
    assert {s["source_id"] for s in found[0].sources} == {"R1", "R2"}
    # ...but only entries on the lists in force
    only = eng.screen(Query("АБ «Россия»", schema="Company"),
                      policy=MatchingPolicy(lists=("sdn",)))
    assert {s["source_id"] for s in only[0].sources} == {"R1"}


@pytest.mark.parametrize("schema", [None, "Person"])
def test_a_persons_names_side_by_side_are_each_a_name(schema: str | None) -> None:
    # The EU writes the Russian and the Ukrainian form as one field, " / " between.
    eu = [Entity("eu", "P1", "Person", "Dmitriy Viktorovich PODLIPANOV")]
    eng = Engine([_list("eu", eu)])
    q = Query("Дмитрий Викторович ПОДЛИПАНОВ / Дмитро Вiкторович ПОДЛИПАНОВ", schema=schema)
    assert [m.source_id for m in eng.screen(q)] == ["P1"]


def test_an_undated_entry_takes_its_partys_birth_date() -> None:
    # OFAC dates the person, the UK list does not: a namesake born 15 years apart meets
    # the undated UK entry too, and is told apart there as well.
    sdn = [Entity("sdn", "P1", "Person", "SALEH, Ahmad Hasan", birth_dates=["1961"])]
    uk = [Entity("uk", "P2", "Person", "Ahmad Hasan SALEH")]
    eng = Engine([_list("sdn", sdn), _list("uk", uk)])
    assert eng._person_of[0] == eng._person_of[1]
    assert not eng.screen(Query("Ahmad Hasan Saleh", birth_date="1976", country="de"))
    assert alerts(eng, Query("Ahmad Hasan Saleh", birth_date="1961"))
    assert alerts(eng, Query("Ahmad Hasan Saleh"))
