"""Organisations across languages: translated names (glossary + the lexicon mined from
the lists), inflection, abbreviations, quoted core names, a Latin transliteration meeting
a translation (issue 9's examples)."""

from __future__ import annotations

import pytest

from matching.engine import DEFAULT_THRESHOLD, Engine
from matching.forms import quoted_core
from matching.lexicon import lexicon, translate_word
from matching.model import Entity, ListMeta, LoadedList, Query

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
