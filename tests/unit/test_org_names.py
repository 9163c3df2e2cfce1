"""Organisations across languages: translated names (glossary + the lexicon mined from
the lists), inflection, abbreviations, quoted core names, a Latin transliteration meeting
a translation (issue 9's examples)."""

from __future__ import annotations

import pytest

from matching.engine import DEFAULT_THRESHOLD, Engine
from matching.forms import build_forms, name_parts, quoted_core
from matching.lexicon import (
    _be_uk_russian,
    lexicon,
    loanword,
    translate_general,
    translate_word,
)
from matching.model import Entity, ListMeta, LoadedList, Query
from matching.ordinals import ordinal_number

PAIRS = [
    ("Московский городской суд", "Moscow City Court"),
    ("Следственный комитет Российской Федерации",
     "The Investigative Committee of the Russian Federation"),
    ("Рязанский приборный завод", "Ryazan Instrument Making Plant"),
    ("АО Научно-производственное объединение «Квант»",
     "JSC Scientific and Production Association Kvant"),
    ("Минский научно-исследовательский институт приборостроения",
     "Minsk Research Institute of Instrument Engineering"),
    ("ОКБ имени Р.Е. Алексеева", "Design Bureau named after R.E. Alekseev"),
    ("OAO Wysokototschnye Kompleksy", "High Precision Systems"),
    ("ФГУП «Завод Морион»", "Morion Plant"),
    ("ЦКБ «Рубин»", "Central Design Bureau Rubin"),
    ("НПП «Исток»", "Scientific Production Enterprise Istok"),
    ("Aкционерное Oбщество «Cаратовский приборный завод»",  # Latin A, O, C inside
     "Saratov Instrument Making Plant JSC"),
    # ГК = группа компаний; СМТ is an acronym, no word to translate (EU 32014R0833)
    ("ООО ГК АПГРУПП-СМТ", "APGROUP-SMT Group of Companies LLC"),
    # СПГ = сжиженный природный газ, LNG (EU 32014R0269)
    ("ООО Газпром СПГ Технологии", "LLC Gazprom LNG Technologies"),
]


@pytest.fixture(scope="module")
def engine() -> Engine:
    meta = ListMeta("t", "t", "t", "t", "t", None, "0" * 64, 0, 0, "now")
    entities = [Entity("t", str(i), "Company", en) for i, (_, en) in enumerate(PAIRS)]
    entities += [
        Entity("t", "x1", "Company", "Moscow Oil Company"),
        Entity("t", "x2", "Company", "Federal Tax Service of Russia"),
        Entity("t", "av", "Company",
               "JOINT STOCK COMPANY VYATSKOYE MASHINOSTROITELNOYE PREDPRIYATIYE AVITEK"),
    ]
    return Engine([LoadedList(meta, entities)])


@pytest.mark.parametrize(("query", "target"), [(ru, str(i)) for i, (ru, _) in enumerate(PAIRS)],
                         ids=[ru for ru, _ in PAIRS])
def test_translated_name_finds_the_english_listing(engine: Engine, query: str,
                                                   target: str) -> None:
    top = engine.screen(Query(query), limit=1)
    assert top and top[0].source_id == target and top[0].score >= DEFAULT_THRESHOLD


def test_quoted_core_inside_a_long_legal_form(engine: Engine) -> None:
    name = "Акционерное общество «Вятское машиностроительное предприятие «АВИТЕК»»"
    assert quoted_core(name) == "АВИТЕК"
    assert engine.screen(Query(name), limit=1)[0].source_id == "av"


@pytest.mark.parametrize("word", ["московский", "московского", "Москвы".lower()])
def test_inflected_forms_meet_one_lexicon_entry(word: str) -> None:
    assert translate_word(word) == ("moscow",)


@pytest.mark.parametrize(("belarusian", "russian"), [
    ("цэнтральная", "центральная"), ("рэспублікі", "республики"), ("унітарнае", "унитарное")])
def test_belarusian_spellings_meet_the_russian_entry(belarusian: str, russian: str) -> None:
    # Цэнтральная выбарчая камісія Рэспублікі Беларусь; ...унітарнае прадпрыемства (EU BLR)
    assert translate_word(belarusian) == translate_word(russian) is not None


def test_a_short_word_translates_only_into_an_acronym_or_a_known_word() -> None:
    assert translate_word("чвк") == ("pmc",)  # ЧВК = private military company
    assert translate_word("сил") == ("forces",)  # Вооружённых сил
    assert translate_word("смт") is None  # mined from one name's pairs: a name, not a word


def test_the_lexicon_is_versioned_data() -> None:
    assert len(lexicon()) > 200
    assert translate_word("завод") == ("plant",)


def test_a_lone_latin_letter_among_cyrillic_words_is_read_as_cyrillic() -> None:
    from matching.normalize import normalize_name

    parts = normalize_name("Общество C Ограниченной Ответственностью «Новелко»", "Company")
    assert parts.tokens == ("новелко",) and parts.legal_forms == ("llc",)


@pytest.mark.parametrize(("word", "english"), [("국가", ("state",)), ("은행", ("bank",)),
                                               ("무역", ("trading",))])
def test_korean_organisation_words(word: str, english: tuple[str, ...]) -> None:
    from matching.glossary import segment_hangul

    assert segment_hangul(word) == ((word, english),)
    assert dict(segment_hangul("조선" + word + "회사"))[word] == english


# -- parts of a name: nested and bracketed quotes, alternatives, short acronyms ----------

ISI = "Акционерное Общество “Инженерное Сопровождение Испытаний ‘Взлет’” (АО “ИСИ ‘Взлет’”)"


@pytest.fixture(scope="module")
def parts_engine() -> Engine:
    meta = ListMeta("t", "t", "t", "t", "t", None, "0" * 64, 0, 0, "now")
    entities = [
        Entity("t", "aqi", "Organization", "AL-QAIDA IN IRAQ",
               aliases=["ISI", "Islamic State of Iraq"]),
        Entity("t", "vzlet", "Company", "Joint Stock Company Vzlet Engineering Testing Support",
               aliases=["AO ISI Vzlet"]),
        Entity("t", "mig", "Company", "RSK MIG JSC"),
        Entity("t", "mzkt", "Company", "MZKT", aliases=["VOLAT"]),
        Entity("t", "dobrolet", "Company", "DOBROLET a.k.a. DOBROLYOT"),
        Entity("t", "niimash", "Company", "NIIMASH JSC"),
        Entity("t", "taechin", "Company", "TAECHIN TRADING CORPORATION"),
        Entity("t", "usc", "Company", "PJSC UNITED SHIPBUILDING CORPORATION"),
        Entity("t", "assoc", "Company", "Scientific and Production Association Mashinostroyeniya",
               aliases=["NPO Mash"]),
        Entity("t", "tap", "Company", "Automation and Programming Technologies LLC"),
        Entity("t", "mkt", "Company", "Marketing Technologies LLC"),
    ]
    return Engine([LoadedList(meta, entities)])


def _score(engine: Engine, query: str, target: str) -> float:
    found = engine.screen(Query(query, schema="Company"), threshold=0.0, limit=20)
    return max((m.score for m in found if m.source_id == target), default=0.0)


def test_quotes_pair_by_kind_so_a_nested_name_is_read_whole(parts_engine: Engine) -> None:
    # “ИСИ ‘Взлет’”: the core is ИСИ Взлет, not ИСИ (“ closed by ‘ was the old reading)
    assert quoted_core(ISI) == "Взлет"
    assert "ИСИ Взлет" in name_parts(ISI)
    assert _score(parts_engine, ISI, "vzlet") == 1.0


def test_a_short_acronym_alias_does_not_carry_a_company_whose_word_is_unmatched(
    parts_engine: Engine,
) -> None:
    # Al-Qaida in Iraq's alias ISI met only the acronym; Взлет, the distinctive word, not.
    assert _score(parts_engine, ISI, "aqi") < DEFAULT_THRESHOLD
    assert _score(parts_engine, "АО «ИСИ»", "aqi") == 1.0  # the acronym is the whole name


@pytest.mark.parametrize(("query", "target"), [
    ("Акционерное Общество «Российская Самолетостроительная Корпорация «МиГ» (АО «РСК «МиГ»)",
     "mig"),  # an unclosed quote runs to the end of its part
    ("МЗКТ - Минский завод колёсных тягачей", "mzkt"),  # "X - Y": either side
    ("ДОБРОЛЕТ/ДОБРОЛЁТ", "dobrolet"),  # "X/Y" on our side, "a.k.a." on the list's
])
def test_each_part_of_a_name_is_searched(parts_engine: Engine, query: str, target: str) -> None:
    assert _score(parts_engine, query, target) == 1.0


@pytest.mark.parametrize(("query", "target"), [
    ("ПАО «Гниимаш»", "niimash"),  # one more letter in front is another name, not a typo
    ("태준무역", "taechin"),  # 준 is not 진: joined Hangul syllables are exact
])
def test_an_organisation_word_is_not_read_as_a_typo_of_another(
    parts_engine: Engine, query: str, target: str
) -> None:
    assert _score(parts_engine, query, target) < DEFAULT_THRESHOLD


@pytest.mark.parametrize("query", [
    "PJSC UNITED HSIPBUILDING CORPORATION",  # letters swapped at a word's start
    "PJSC UNITED tHIPBUILDING CORPORATION",  # its first letter mistyped
    "PJSC UNITED HIPBUILDING CORPORATION",  # its first letter dropped
])
def test_a_name_typed_in_latin_keeps_a_typo_at_a_words_start(
    parts_engine: Engine, query: str
) -> None:
    # Romanisation keeps first letters; typing does not (the rule above is for
    # names read from another script).
    assert _score(parts_engine, query, "usc") >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("word", "loan"), [
    ("программирования", ("программ", "ing")),
    ("маркетинговая", ("маркет", "ing")),
    ("стратегических", ("стратег", "ic")),
    ("космонавтики", ("космонав", "tics")),
    ("ивановская", None),  # no loan ending
    ("гвардия", None),
])
def test_a_loanword_keeps_its_stem_and_takes_the_english_ending(
    word: str, loan: tuple[str, str] | None
) -> None:
    assert loanword(word) == loan


@pytest.mark.parametrize(("query", "target"), [
    ("ООО ‘Технологии Автоматизации и Программирования’", "tap"),
    ("ООО «Маркетинговые технологии»", "mkt"),
])
def test_a_loanword_meets_its_english_word(parts_engine: Engine, query: str, target: str) -> None:
    assert _score(parts_engine, query, target) >= DEFAULT_THRESHOLD


def test_an_adjective_and_its_noun_translate_apart(parts_engine: Engine) -> None:
    # объединённая = united, объединение = association: one Snowball stem, two words
    assert translate_word("объединённая") == ("united",)
    assert translate_word("объединение") == ("association",)
    name = "Публичное акционерное общество «Объединённая судостроительная корпорация»"
    assert _score(parts_engine, name, "usc") >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("query", "english"), [
    ("ОАО «Рубин»", "Rubin OJSC"), ("ПАО «Рубин»", "PJSC Rubin"),
    ("ФГБУ «Рубин»", "FGBU Rubin"), ("АО «Рубин»", "Rubin JSC"),
    ("ФГБУ «Рубин»", "Federal State Budgetary Institution Rubin"),
    ("КБ «Рубин»", "Design Bureau Rubin"), ("КБ «Рубин»", "KB Rubin"),
    ("НПО «Рубин»", "Scientific Production Association Rubin"), ("НПО «Рубин»", "NPO Rubin"),
    ("АНО «Рубин»", "Autonomous Non-Commercial Organization Rubin"),
])
def test_legal_form_abbreviations(query: str, english: str) -> None:
    meta = ListMeta("t", "t", "t", "t", "t", None, "0" * 64, 0, 0, "now")
    engine = Engine([LoadedList(meta, [Entity("t", "r", "Company", english)])])
    assert engine.screen(Query(query), limit=1)[0].score >= DEFAULT_THRESHOLD


# -- Korean organisation words: 국가 = State/National, 은행 = Bank, 무역 = Trading ----------

@pytest.fixture(scope="module")
def korean_engine() -> Engine:
    meta = ListMeta("t", "t", "t", "t", "t", None, "0" * 64, 0, 0, "now")
    return Engine([LoadedList(meta, [  # as the UN and EU lists spell them
        Entity("t", "kkbc", "LegalEntity", "KOREA KWANGSON BANKING CORP"),
        Entity("t", "mar", "LegalEntity", "DPRK National Maritime Supervision Bureau"),
        Entity("t", "rung", "LegalEntity", "Korea Rungrado General Trading Corporation"),
    ])])


@pytest.mark.parametrize(("query", "target"), [
    ("조선광선은행", "kkbc"),  # 조선 Korea, 은행 Bank(ing)
    ("국가해사감독국", "mar"),  # 국가 State = National
    ("조선릉라도무역총회사", "rung"),  # 무역 Trading, 총회사 General Corporation
])
def test_a_hangul_organisation_meets_its_english_listing(
    korean_engine: Engine, query: str, target: str
) -> None:
    top = korean_engine.screen(Query(query, schema="Company"), limit=1)
    assert top and top[0].source_id == target and top[0].score >= DEFAULT_THRESHOLD


@pytest.mark.parametrize("query", ["은행", "국가", "무역", "조선무역"])
def test_korean_generic_words_alone_do_not_alert(korean_engine: Engine, query: str) -> None:
    assert not korean_engine.screen(Query(query, schema="Company"))


@pytest.mark.parametrize(("query", "english"), [
    ("ФГБУ «33 ЦНИИИ»", "33rd TsNIII"),  # an ordinal is its number, however written
    ("5-й Судоремонтный Завод", "5th Sudoremontnyy Zavod"),
])
def test_ordinals_meet_their_number(query: str, english: str) -> None:
    meta = ListMeta("t", "t", "t", "t", "t", None, "0" * 64, 0, 0, "now")
    engine = Engine([LoadedList(meta, [Entity("t", "o", "Company", english)])])
    assert engine.screen(Query(query), limit=1)[0].score == 1.0


@pytest.mark.parametrize(("word", "number"), [
    ("десятый", "10"), ("десятого", "10"), ("десятая", "10"), ("третьего", "3"),
    ("четвёртый", "4"), ("сорокового", "40"), ("перший", "1"), ("tenth", "10"),
    ("first", "1"), ("пята", None), ("втора", None), ("перов", None), ("ten", None),
])
def test_an_ordinal_word_is_its_number(word: str, number: str | None) -> None:
    assert ordinal_number(word) == number


@pytest.mark.parametrize(("query", "english"), [
    ("Десятый Машиностроительный Завод", "10th Machine Building Plant"),
    ("Второй Машиностроительный Завод", "Second Machine Building Plant"),
    ("10th Machine Building Plant", "Tenth Machine Building Plant"),
])
def test_ordinal_words_meet_their_number(query: str, english: str) -> None:
    meta = ListMeta("t", "t", "t", "t", "t", None, "0" * 64, 0, 0, "now")
    engine = Engine([LoadedList(meta, [Entity("t", "o", "Company", english)])])
    assert engine.screen(Query(query), limit=1)[0].score >= DEFAULT_THRESHOLD


def test_an_ordinal_word_in_a_persons_name_stays_a_name() -> None:
    assert "first" in build_forms("John First", "Person").forms[0].tokens


@pytest.mark.parametrize(("word", "english"), [
    ("подшипника", "bearing"), ("подшипниковый", "bearing"),  # a relational adjective
    ("добровольцев", "volunteer"), ("самолеты", "aircraft"),
    ("медиа", None),  # медиа and медь share a short stem
    ("подшипник", None), ("звезда", None),  # a noun as the dictionary writes it: a name
    ("ад", None),  # short words are acronyms or name parts
])
def test_a_general_dictionary_translates_words_the_lists_never_pair(
    word: str, english: str | None
) -> None:
    assert translate_general(word) == english


@pytest.fixture(scope="module")
def general_engine() -> Engine:
    meta = ListMeta("t", "t", "t", "t", "t", None, "0" * 64, 0, 0, "now")
    return Engine([LoadedList(meta, [
        Entity("t", "bearing", "Company", "Limited Liability Company 10th Bearing Plant"),
        Entity("t", "volunteers", "Organization", "Union of Donbas Volunteers"),
        Entity("t", "star", "Company", "Star Trading LLC"),
    ])])


@pytest.mark.parametrize(("query", "target"), [
    ("ООО «Десятый Подшипниковый Завод»", "bearing"),
    ("Союз добровольцев Донбасса", "volunteers"),
])
def test_an_organisation_meets_its_english_listing_through_the_dictionary(
    general_engine: Engine, query: str, target: str
) -> None:
    top = general_engine.screen(Query(query, schema="Company"), limit=1)
    assert top and top[0].source_id == target


@pytest.mark.parametrize("query", ["Подшипниковый завод", "ООО «Звезда»", "Звезда"])
def test_general_words_alone_do_not_alert(general_engine: Engine, query: str) -> None:
    assert not general_engine.screen(Query(query, schema="Company"))


def test_a_personal_name_is_not_translated() -> None:
    # Роман is a novel and Звезда a star in the dictionary; a person's name stays a name.
    texts = [f.text for f in build_forms("Роман Звездин", "Person").forms]
    assert not any("novel" in t for t in texts)
    texts = [f.text for f in build_forms("Роман Звездин").forms]
    assert not any("novel" in t for t in texts)


@pytest.mark.parametrize(("word", "russian"), [
    ("лічбавага", "цифровой"), ("тэлебачання", "телевидение"),  # Belarusian
    ("падшыпніка", "подшипник"), ("обладнання", "оборудование"),  # Ukrainian
    ("завод", None), ("подшипника", None),  # Russian words keep their Russian reading
])
def test_belarusian_and_ukrainian_words_reach_their_russian_word(
    word: str, russian: str | None
) -> None:
    assert _be_uk_russian(word) == russian


@pytest.mark.parametrize(("word", "english"), [
    ("лічбавага", ("digital",)), ("тэлебачання", ("television",)),
    ("беспілотныя", ("unmanned",)), ("верталёты", ("helicopters",)),
])
def test_belarusian_words_translate_through_russian(word: str, english: tuple[str]) -> None:
    assert translate_word(word) == english


def test_a_belarusian_noun_in_the_nominative_stays_a_name_for_the_dictionary() -> None:
    assert translate_general("падшыпніка") == "bearing"
    assert translate_general("падшыпнік") is None  # as «Подшипник» stays a name


@pytest.fixture(scope="module")
def be_engine() -> Engine:
    meta = ListMeta("t", "t", "t", "t", "t", None, "0" * 64, 0, 0, "now")
    return Engine([LoadedList(meta, [
        Entity("t", "tv", "Company", "Institute of Digital Television Horizont"),
        Entity("t", "cec", "Organization",
               "Central Election Commission of the Republic of Belarus"),
        Entity("t", "heli", "Company", "KB Unmanned Helicopters"),
    ])])


@pytest.mark.parametrize(("query", "target"), [
    ("Інстытут лічбавага тэлебачання «Гарызонт»", "tv"),
    ("Цэнтральная выбарчая камісія Рэспублікі Беларусь", "cec"),
    ("КБ Беспілотныя Верталёты", "heli"),  # КБ = KB = design bureau
])
def test_a_belarusian_name_meets_its_english_listing(
    be_engine: Engine, query: str, target: str
) -> None:
    top = be_engine.screen(Query(query, schema="Company"), limit=1)
    assert top and top[0].source_id == target and top[0].score >= DEFAULT_THRESHOLD


@pytest.mark.parametrize("query", ["Камісія", "Выбарчая камісія", "Навукова-даследчы інстытут"])
def test_belarusian_generic_words_alone_do_not_alert(be_engine: Engine, query: str) -> None:
    assert not be_engine.screen(Query(query, schema="Company"))
