"""Contract of matching.cyrillic.

romanize_cyrillic gives the renderings lists and passports use (ICAO 9303, BGN/PCGN,
GOST/ISO 9 with and without diacritics, scientific, French, German, unidecode, and
the Ukrainian/Belarusian national systems for those alphabets), lowercase.
fold_latin maps one Latin token to a key on which those renderings of one name
meet, while different names (including a feminine -a) stay apart. A Cyrillic name
"meets" a Latin one when some rendering equals it token for token after fold_latin.
"""

from __future__ import annotations

import re

import pytest
from unidecode import unidecode

from matching.cyrillic import fold_latin, given_name_key, romanize_cyrillic, romanize_cyrillic_as

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _folded(text: str) -> list[str]:
    return [fold_latin(t) for t in _WORD.findall(text.lower())]


def _meets(cyrillic: str, latin: str) -> bool:
    target = _folded(latin)
    return any(_folded(r) == target for r in romanize_cyrillic(cyrillic).values())


# --- the named cases ------------------------------------------------


def test_kozlov_meets_the_ofac_primary_name() -> None:
    assert _meets("Козлов Сергей Михайлович", "KOZLOV, Sergey Mikhaylovich")


def test_kozlov_meets_the_ofac_alias() -> None:
    assert _meets("Козлов Сергей Михайлович", "KOZLOV Sergei Mikhailovich")


@pytest.mark.parametrize("latin", ["Sodeistvie", "Sodeystviye", "Sodejstvie"])
def test_sodeistvie_meets_every_listed_spelling(latin: str) -> None:
    assert _meets("Содействие", latin)


@pytest.mark.parametrize(
    "latin", ["Panfilov Aleksandr Fyodorovich", "Panfilov Aleksandr Fedorovich"]
)
def test_panfilov_meets_yo_and_e_spellings(latin: str) -> None:
    assert _meets("Панфилов Александр Фёдорович", latin)


def test_intellekt_meets_its_listed_spelling() -> None:
    assert _meets("Интеллект", "Intellekt")


def test_integral_does_not_meet_intellekt() -> None:
    assert not _meets("Интеграл", "Intellekt")


# --- romanize_cyrillic -------------------------------------------------------


def test_icao_rendering_is_the_passport_form() -> None:
    assert romanize_cyrillic("Козлов Сергей Михайлович")["icao"] == "kozlov sergei mikhailovich"


def test_bgn_pcgn_rendering() -> None:
    assert romanize_cyrillic("Козлов Сергей Михайлович")["bgn_pcgn"] == "kozlov sergey mikhaylovich"


def test_gost_keeps_diacritics_and_has_an_ascii_variant() -> None:
    forms = romanize_cyrillic("Щукин Михайлович")
    assert (forms["gost"], forms["gost_ascii"]) == ("ŝukin mihajlovič", "shchukin mihajlovich")


def test_french_style_uses_trema_and_tch() -> None:
    assert romanize_cyrillic("Сергей Михайлович")["french"] == "sergueï mikhaïlovitch"


def test_german_style_form() -> None:
    assert romanize_cyrillic("Сергей Михайлович")["german"] == "sergej michajlowitsch"


def test_scientific_form_writes_kh_as_ch() -> None:
    assert romanize_cyrillic("Михайлович")["scientific"] == "michajlovič"


def test_unidecode_rendering_is_among_the_forms() -> None:
    assert unidecode("Ёлкин Объект").lower() in romanize_cyrillic("Ёлкин Объект").values()


def test_yo_is_never_left_untransliterated() -> None:
    assert all("ё" not in v for v in romanize_cyrillic("Фёдор Ёлкин").values())


def test_yo_is_rendered_both_as_e_and_as_yo() -> None:
    values = set(romanize_cyrillic("Фёдор").values())
    assert {"fedor", "fyodor"} <= values


def test_ukrainian_letters_are_romanised_in_every_scheme() -> None:
    forms = romanize_cyrillic("Олексій Їжак Євген Ґалаґан")
    assert all(not re.search("[\u0400-\u04ff]", v) for v in forms.values())


def test_ukrainian_text_gets_the_national_system() -> None:
    assert romanize_cyrillic("Олег Євгенович")["ukrainian"] == "oleh yevhenovych"


def test_belarusian_short_u_is_romanised() -> None:
    assert "uladzimir" in romanize_cyrillic("Ўладзімір").values()


def test_duplicate_renderings_are_dropped() -> None:
    forms = romanize_cyrillic("Интеллект")
    assert len(set(forms.values())) == len(forms)


def test_non_cyrillic_text_passes_through() -> None:
    assert romanize_cyrillic("ООО Intellekt 2")["icao"] == "ooo intellekt 2"


def test_latin_lookalike_letters_inside_a_cyrillic_word_are_read_as_cyrillic() -> None:
    assert romanize_cyrillic("Pуслан")["icao"] == "ruslan"


# --- fold_latin: spellings that must meet -------------------------------------


@pytest.mark.parametrize(
    "group",
    [
        ["sergey", "sergei", "sergej", "serguei"],
        ["mikhaylovich", "mikhailovich", "michajlovič", "michajlovich", "mikhaylovitch"],
        ["sodeistvie", "sodeystviye", "sodejstvie", "sodeïstvie"],
        ["aleksandr", "alexandr", "aleksander", "alexander"],
        ["fyodorovich", "fedorovich", "fjodorovič", "fiodorovitch"],
        ["kozlov", "kozlow"],
        ["yuriy", "yuri", "jurij", "iouri"],
        ["intellekt", "intelekt"],
        ["gennadievich", "gennadyevich", "gennadevich"],
        ["yelena", "elena", "jelena"],
        ["shchukin", "ščukin", "chtchoukine", "schtschukin"],
    ],
    ids=lambda g: g[0],
)
def test_romanisations_of_one_name_fold_to_one_key(group: list[str]) -> None:
    assert len({fold_latin(t) for t in group}) == 1


# --- fold_latin: names that must stay apart ---------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [("kozlov", "kozlova"), ("ivanov", "ivanova")],
)
def test_feminine_ending_stays_different(a: str, b: str) -> None:
    # A feminine surname is a different person's name; the engine may score it as near.
    assert fold_latin(a) != fold_latin(b)


def test_sergey_and_sergeev_stay_different() -> None:
    assert fold_latin("sergey") != fold_latin("sergeev")


def test_integral_and_intellekt_stay_different() -> None:
    assert fold_latin("integral") != fold_latin("intellekt")


def test_fold_latin_output_is_lowercase_ascii() -> None:
    key = fold_latin("michajlovič")
    assert key.isascii() and key == key.lower()


def _gkey(token: str) -> str:
    return given_name_key(fold_latin(token))


@pytest.mark.parametrize(
    "group",
    [
        ["Aleksandr", "Oleksandr", "Aliaksandr", "Alexander"],
        ["Aleksei", "Oleksii", "Aliaksei", "Alexey"],
        ["Sergei", "Serhii", "Siarhei", "Sergey"],
        ["Vladimir", "Volodymyr", "Uladzimir"],
        ["Nikolai", "Mykola", "Mikalai"],
        ["Dmitrii", "Dmytro", "Dzmitry"],
        ["Mikhail", "Mykhailo", "Mikhas"],
        ["Grigorii", "Hryhorii", "Ryhor"],
        ["Evgenii", "Yevhen", "Yauhen"],
        ["Konstantin", "Kostiantyn", "Kanstantsin"],
        ["Igor", "Ihor", "Ihar"],
        ["Oleg", "Oleh", "Aleh"],
        ["Olga", "Olha", "Volha"],
        ["Elena", "Olena", "Alena", "Yelena"],
        ["Tatiana", "Tetiana", "Tatsiana"],
        # patronymics built on them
        ["Alekseevich", "Oleksiiovych", "Aliakseevich"],
        ["Vladimirovich", "Volodymyrovych", "Uladzimiravich"],
        ["Nikolaevich", "Mykolaiovych", "Mikalaevich"],
        ["Sergeevna", "Serhiivna", "Siarheeuna"],
        ["Pavlovich", "Pavlovych"],
    ],
)
def test_given_name_equivalents_share_a_key(group: list[str]) -> None:
    assert len({_gkey(t) for t in group}) == 1, {t: _gkey(t) for t in group}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Aleksandr", "Aleksei"),
        ("Oleg", "Olga"),
        ("Oleksandrovych", "Oleksandrivna"),  # masculine and feminine patronymics
        ("Sergeevich", "Sergeev"),  # a surname is no patronymic
        ("Ivan", "Ivanov"),
        ("Petrovich", "Pavlovich"),
    ],
)
def test_different_given_names_keep_their_keys(a: str, b: str) -> None:
    assert _gkey(a) != _gkey(b)


def test_unknown_names_keep_their_fold() -> None:
    for t in ("Kozlov", "Abramovich", "Zaurbek", "Salimovich"):
        assert given_name_key(fold_latin(t)) == fold_latin(t)


def test_english_spellings_fold() -> None:
    assert fold_latin("sibanthracite") == fold_latin("sibantratsit")
    assert fold_latin("granite") == fold_latin("granit")


def test_romanize_as_ignores_deduplication() -> None:
    # Аліна is "alina" in every scheme, so romanize_cyrillic keeps only icao for it;
    # the Belarusian rendering is still there on request.
    assert "belarusian" not in romanize_cyrillic("аліна")
    assert romanize_cyrillic_as("аліна", "belarusian") == "alina"
    assert romanize_cyrillic_as("сяргееўна", "belarusian") == "siarheieuna"
    assert romanize_cyrillic_as("сяргееўна", "nonsense") == ""
