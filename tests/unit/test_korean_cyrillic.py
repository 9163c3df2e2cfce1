"""Contract of matching.korean_cyrillic: Korean personal names written in Cyrillic.

korean_key_from_cyrillic reads a Cyrillic name in the Kontsevich system or in the
customary Russian forms (Ким Чен Ын, Цой, Тен, Ли) as a Korean name and gives the
same (surname key, given syllable keys) as matching.korean.korean_name_key gives for
the Latin list spelling and as the Hangul original gives syllable by syllable; else
None. The surname may come first or last, in capitals or before a comma; given
syllables are separate, hyphenated or (with a Korean-only letter sequence) glued.
Names of Russians, also of Russian Koreans (Иван Ким), give None.
korean_keys_from_cyrillic gives every plausible reading, best first: Kontsevich
writes ㄴ and ㅇ finals alike (정 and 전 are both Чон).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from matching.hangul import hangul_syllable_key
from matching.korean import korean_name_key, korean_surname_key
from matching.korean_cyrillic import korean_key_from_cyrillic, korean_keys_from_cyrillic


def _hangul_key(surname: str, given: str) -> tuple[str, tuple[str, ...]]:
    # As matching.forms._hangul_key builds it.
    return (
        "".join(hangul_syllable_key(c) for c in surname),
        tuple(hangul_syllable_key(c) for c in given),
    )


_EXAMPLES = [
    ("Ким Чен Ын", "KIM Jong Un", ("김", "정은")),
    ("Ли Бён Чхоль", "RI Pyong Chol", ("리", "병철")),
    ("Ри Пён Чхоль", "RI Pyong Chol", ("리", "병철")),
    ("Пак Чон Чхон", "PAK Jong Chon", ("박", "정천")),
    ("Чхве Рён Хэ", "CHOE Ryong Hae", ("최", "룡해")),
    ("Ким Ён Чхоль", "KIM Yong Chol", ("김", "영철")),
    ("Ким Чен Ир", "KIM Jong Il", ("김", "정일")),
    ("Ли Чхан Хо", "RI Chang Ho", ("리", "창호")),
    ("Ри Чхан Хо", "RI Chang Ho", ("리", "창호")),
    ("Ким Ир Сен", "KIM Il Song", ("김", "일성")),
    ("Чон Гён Тхэк", "JONG Kyong Taek", ("정", "경택")),
    ("Кан Пхиль Хун", "KANG, P'il-Hun", ("강", "필훈")),
]


@pytest.mark.parametrize(("cyrillic", "latin", "hangul"), _EXAMPLES)
def test_cyrillic_meets_the_latin_list_spelling(
    cyrillic: str, latin: str, hangul: tuple[str, str]
) -> None:
    assert korean_key_from_cyrillic(cyrillic) == korean_name_key(latin)


@pytest.mark.parametrize(("cyrillic", "latin", "hangul"), _EXAMPLES)
def test_cyrillic_meets_the_hangul_original(
    cyrillic: str, latin: str, hangul: tuple[str, str]
) -> None:
    assert korean_key_from_cyrillic(cyrillic) == _hangul_key(*hangul)


# --- given syllables must still differ ------------------------------------------


def test_kim_jong_un_is_not_kim_jong_il() -> None:
    assert korean_key_from_cyrillic("Ким Чен Ын") != korean_key_from_cyrillic("Ким Чен Ир")


def test_kim_yong_chol_is_not_kim_yong_chun() -> None:
    assert korean_key_from_cyrillic("Ким Ён Чхоль") != korean_key_from_cyrillic("Ким Ён Чхун")


def test_no_reading_of_kim_jong_un_is_kim_jong_il() -> None:
    assert not set(korean_keys_from_cyrillic("Ким Чен Ын")) & set(
        korean_keys_from_cyrillic("Ким Чен Ир")
    )


# --- Russian names ---------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Козлов Сергей Михайлович",
        "Иван Ким",
        "Ким Иван",
        "Ким Сергей Николаевич",
        "Цой Виктор Робертович",
        "Мария Ким",
        "Пак Юрий",
        "Ким Анна",
    ],
)
def test_russian_names_are_not_korean(name: str) -> None:
    assert korean_key_from_cyrillic(name) is None


def test_single_token_is_not_a_name() -> None:
    assert korean_key_from_cyrillic("Ким") is None


def test_mixed_script_is_not_read() -> None:
    assert korean_key_from_cyrillic("Ким Jong Un") is None


# --- name formats ------------------------------------------------------------------


def test_capitalised_surname() -> None:
    assert korean_key_from_cyrillic("КИМ Чен Ын") == korean_name_key("KIM Jong Un")


def test_surname_before_comma() -> None:
    assert korean_key_from_cyrillic("КИМ, Чен Ын") == korean_name_key("KIM Jong Un")


def test_western_order_with_surname_last() -> None:
    assert korean_key_from_cyrillic("Чен Ын Ким") == korean_name_key("KIM Jong Un")


def test_capitalised_surname_last() -> None:
    assert korean_key_from_cyrillic("Ён Чхоль КИМ") == korean_name_key("KIM Yong Chol")


def test_hyphenated_given_name() -> None:
    assert korean_key_from_cyrillic("Ким Чен-Ын") == korean_name_key("KIM Jong Un")


def test_glued_given_name_with_korean_letters() -> None:
    assert korean_key_from_cyrillic("Ким Ченын") == korean_name_key("KIM Jong Un")


def test_form_of_address_is_ignored() -> None:
    assert korean_key_from_cyrillic("г-н Ким Чен Ын") == korean_name_key("KIM Jong Un")


def test_ukrainian_spelling() -> None:
    # Ukrainian и is Russian ы, і is и.
    assert korean_key_from_cyrillic("Кім Чен Ин") == korean_name_key("KIM Jong Un")


# --- Kontsevich ambiguity ------------------------------------------------------------


def test_final_n_also_reads_as_nieun() -> None:
    # Чон is 정 (JONG) or 전 (JON): the best reading is 정, 전 is among the others.
    readings = korean_keys_from_cyrillic("Чон Иль Хо")
    assert readings[0] == korean_name_key("JONG Il Ho")
    assert korean_name_key("JON Il Ho") in readings


def test_customary_e_for_eo() -> None:
    # Сен is 성 (ㅓ written е), not 센.
    assert korean_key_from_cyrillic("Хан Сен Ир") == korean_name_key("HAN Song Il")


# --- initial-sound law ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("r_form", "bare_form"),
    [("ЛИ Чхан Хо", "И Чхан Хо"), ("РИ Чхан Хо", "И Чхан Хо"), ("Рим Ён Су", "Им Ён Су"),
     ("Рю Ён Су", "Ю Ён Су"), ("Ро Ён Су", "Но Ён Су"), ("Рян Ён Су", "Ян Ён Су")],
)  # fmt: skip
def test_initial_law_pairs_meet(r_form: str, bare_form: str) -> None:
    assert korean_key_from_cyrillic(r_form) == korean_key_from_cyrillic(bare_form)


def test_li_meets_lee_and_ri() -> None:
    assert korean_key_from_cyrillic("ЛИ Чхан Хо") == korean_name_key("LEE Chang Ho")


# --- customary surnames ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [("Ким", "Kim"), ("Ли", "Lee"), ("Пак", "Park"), ("Цой", "Choi"), ("Чхве", "Choe"),
     ("Тен", "Jung"), ("Чон", "Jong"), ("Хан", "Han"), ("Нам", "Nam"), ("Пэк", "Paek"),
     ("Пек", "Baek"), ("Ю", "Yu"), ("Юн", "Yoon"), ("Кан", "Kang"), ("Ан", "Ahn"),
     ("О", "Oh"), ("Ро", "Roh"), ("Но", "No"), ("Рим", "Lim"), ("Им", "Im"), ("Рю", "Ryu"),
     ("Со", "Suh"), ("Сон", "Song"), ("Син", "Sin"), ("Шин", "Shin"), ("Тхак", "Tak"),
     ("Хон", "Hong"), ("Хо", "Ho"), ("Чан", "Jang"), ("Чжан", "Chang"), ("Тян", "Jang"),
     ("Чо", "Cho"), ("Ян", "Yang"), ("Рян", "Ryang"), ("Хван", "Hwang"), ("Квон", "Kwon"),
     ("Намгун", "Namgung")],
)  # fmt: skip
def test_surname_meets_its_latin_spelling(cyrillic: str, latin: str) -> None:
    key = korean_key_from_cyrillic(f"{cyrillic} Ён Су")
    assert key is not None
    assert key[0] == korean_surname_key(latin)


# --- real data -----------------------------------------------------------------------

_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LATIN = re.compile("[A-Za-z]")
_HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.mark.real_data
def test_eu_cyrillic_aliases_of_korean_persons_meet_their_latin_names(real_lists: Path) -> None:
    # EU 32014R0269 lists DPRK officers with Kontsevich aliases (ЛИ Чхан Хо, СИН Гым Чхоль).
    path = real_lists / "eu_official_journal" / "consolidated" / "32014R0269.csv"
    total = met = 0
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            cells = [c.strip() for c in [row["name"], *row["alias"].split(";")] if c.strip()]
            # Purely Cyrillic cells; "Li Van Chol, Ли Ван Чоль" is a mixed one.
            cyrillic = [c for c in cells if _CYRILLIC.search(c) and not _LATIN.search(c)]
            latin = {korean_name_key(c) for c in cells if c.isascii()} - {None}
            korean = any(_HANGUL.search(c) for c in cells)  # the DPRK officers
            if row["schema"] != "Person" or not korean or not latin:
                continue
            for name in cyrillic:
                total += 1
                met += korean_key_from_cyrillic(name) in latin
    assert total == 2
    assert met == total


@pytest.mark.real_data
def test_uk_cyrillic_person_names_are_almost_never_read_as_korean(real_lists: Path) -> None:
    # About 2,000 Russian, Ukrainian and Belarusian names; the one Korean reading
    # is a real Korean-style alias (Ли Ван Чоль, group 12959).
    path = real_lists / "uk_ofsi_conlist" / "ConList.csv"
    names: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        next(fh)  # "Last Updated" line
        for row in csv.DictReader(fh):
            cell = row["Name Non-Latin Script"]
            if row["Group Type"] == "Individual" and _CYRILLIC.search(cell):
                names.add(cell)
    korean = sorted(n for n in names if korean_key_from_cyrillic(n) is not None)
    assert len(names) > 1000
    assert korean == ["Ли Ван Чоль"]
