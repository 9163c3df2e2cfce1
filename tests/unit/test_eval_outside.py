"""bench/eval_outside.py builds `make eval`'s held-out rows: these pin how it links one
Korean person across lists, which spellings it removes, and that its Cyrillic report set
never takes a dev (tuned-on) entry. Entities are spelled as the real lists spell them."""

from __future__ import annotations

from bench import eval_outside as eo
from matching.model import Entity, Identifier, ListMeta, LoadedList


def _list(name: str, entities: list[Entity]) -> LoadedList:
    meta = ListMeta(name, name, "test", "test", "test", None, "0" * 64, len(entities), 0, "now")
    for e in entities:
        e.list = name
    return LoadedList(meta, entities)


def _person(sid: str, name: str, *aliases: str, **kw: object) -> Entity:
    return Entity("", sid, "Person", name, list(aliases), countries=["kp"], **kw)  # type: ignore[arg-type]


def test_a_spelling_is_its_letters_in_any_order_case_or_punctuation() -> None:
    assert eo.letters_key("KIM Jong Un") == eo.letters_key("Kim Jong-un")
    assert eo.letters_key("Jongun KIM") == eo.letters_key("KIM, Jong Un")
    assert eo.letters_key("Kim Chong-un") != eo.letters_key("KIM Jong Un")


def test_one_person_on_two_lists_is_linked_by_passport_and_found_through_another_spelling() -> None:
    passport = [Identifier("passport", "836238033")]
    ofac = _list("ofac", [_person("1", "RIM, Ryong Nam", identifiers=passport)])
    uk = _list("uk", [_person("2", "Ryong Nam RIM", "Lyong Nam LIM", identifiers=passport)])
    other = _list("un", [_person("3", "KIM Jong Un")])  # no identifier: on its own
    groups = eo.korean_clusters([ofac, uk, other])
    assert [sorted(e.source_id for e in g) for g in groups] == [["1", "2"]]
    cases = eo.korean_list_cases([ofac, uk, other], "dev") + eo.korean_list_cases(
        [ofac, uk, other], "report"
    )
    assert cases, "the person falls in one half"
    for c in cases:
        gone = eo.removed_keys(cases)
        target = ofac.entities[0] if c.target == ("ofac", "1") else uk.entities[0]
        left = [n for n in [target.name, *target.aliases] if eo.letters_key(n) not in gone]
        assert left, "the target keeps a spelling the query does not have"


def test_a_cover_name_is_no_spelling_of_the_name() -> None:
    ofac = _list(
        "ofac", [_person("1", "KIM, Song Chol", "KIM, Hak Song", birth_dates=["1968-03-26"])]
    )
    uk = _list("uk", [_person("2", "Kim Song Chol", birth_dates=["1968-03-26"])])
    cases = eo.korean_list_cases([ofac, uk], "dev") + eo.korean_list_cases([ofac, uk], "report")
    assert [c.query.name for c in cases if c.target == ("ofac", "1")] == []


def test_the_cyrillic_report_set_never_takes_a_dev_entry_or_its_person() -> None:
    def ent(sid: str, cyr: str, latin: str) -> Entity:
        return Entity("", sid, "Person", latin, [cyr])

    uk = _list(
        "uk_ofsi_conlist",
        [ent("1", "Иван Петров", "Ivan PETROV"), ent("2", "Сергей Козлов", "Sergey KOZLOV")],
    )
    eu = _list(
        "eu_journal",
        [ent("E1", "Иван Петров", "Ivan Petrov"), ent("E2", "Олег Орлов", "Oleg ORLOV")],
    )
    dev = [("uk_ofsi_conlist", "1")]
    cases = eo.cyrillic_cases([uk, eu], dev, 10, "dev") + eo.cyrillic_cases(
        [uk, eu], dev, 10, "report"
    )
    assert {(c.category, c.target) for c in cases} == {
        ("cyrillic_ho", ("uk_ofsi_conlist", "2")),
        ("cyrillic_eu", ("eu_journal", "E2")),
    }


def test_the_cyrillic_halves_are_disjoint() -> None:
    def cyr(i: int) -> str:
        return "Иван " + "абвгдежзик"[i % 10] + "лмнопрстуф"[i // 10] + "ов"

    ents = [Entity("", str(i), "Person", f"Ivan PETROV{i}", [cyr(i)]) for i in range(40)]
    uk = _list("uk_ofsi_conlist", ents)
    dev = {c.target for c in eo.cyrillic_cases([uk], [], 80, "dev")}
    rep = {c.target for c in eo.cyrillic_cases([uk], [], 80, "report")}
    assert dev and rep and not dev & rep and len(dev | rep) == 40
