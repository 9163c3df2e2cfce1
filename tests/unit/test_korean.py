"""Contract of matching.korean: keys for Korean names written in Latin script.

korean_syllable_keys reads one romanised token as Korean syllables (hyphens are
boundaries, apostrophes ignored, glued tokens segmented deterministically) or gives
None. korean_surname_key maps every customary spelling of a known surname to one
key, else None. korean_name_key gives (surname key, given syllable keys) for a
Korean personal name in any common format, else None. The keys equal those of the
Hangul original after romanize_hangul, so Hangul, MR, DPRK and RR spellings meet.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from matching.hangul import romanize_hangul
from matching.korean import (
    korean_name_key,
    korean_name_key_candidates,
    korean_surname_key,
    korean_syllable_keys,
)


def _hangul_key(hangul: str) -> tuple[str, tuple[str, ...]] | None:
    return korean_name_key(romanize_hangul(hangul)["mr"])


# --- the named cases -------------------------------------------------


def test_kim_jong_un_in_hangul_meets_the_listed_name() -> None:
    assert _hangul_key("김정은") == korean_name_key("KIM JONG UN")


def test_ri_pyong_chol_in_hangul_meets_the_listed_name() -> None:
    assert _hangul_key("리병철") == korean_name_key("RI PYONG CHOL")


def test_pak_jong_chon_in_hangul_meets_the_listed_name() -> None:
    assert _hangul_key("박정천") == korean_name_key("PAK JONG CHON")


def test_choe_ryong_hae_in_hangul_meets_the_listed_name() -> None:
    assert _hangul_key("최룡해") == korean_name_key("CHOE RYONG HAE")


def test_jong_kyong_taek_in_hangul_meets_the_listed_name() -> None:
    assert _hangul_key("정경택") == korean_name_key("JONG KYONG TAEK")


def test_marked_mr_form_meets_the_hangul_name() -> None:
    assert korean_name_key("KANG, P'il-Hun") == _hangul_key("강필훈")


@pytest.mark.parametrize("hangul", ["리병철", "이병철"])
def test_north_and_south_hangul_spellings_meet_ri_pyong_chol(hangul: str) -> None:
    assert _hangul_key(hangul) == korean_name_key("RI, Pyong Chol")


def test_revised_romanization_meets_ri_pyong_chol() -> None:
    assert korean_name_key("Lee Byeong-cheol") == korean_name_key("RI, Pyong Chol")


def test_south_korean_spelling_meets_choe_ryong_hae() -> None:
    assert korean_name_key("Choi Ryong-hae") == korean_name_key("CHOE, Ryong Hae")


@pytest.mark.parametrize("given", ["Jong-un", "Jongun", "jong un"])
def test_given_name_with_or_without_hyphen_or_space(given: str) -> None:
    assert korean_syllable_keys(given) == korean_syllable_keys("Jong Un")


def test_kim_yong_chol_is_not_kim_yong_chun() -> None:
    assert _hangul_key("김영철") != korean_name_key("KIM Yong Chun")


def test_kim_jong_un_is_not_kim_jong_il() -> None:
    assert korean_name_key("KIM JONG UN") != korean_name_key("KIM JONG IL")


@pytest.mark.parametrize(
    "spellings",
    [
        ("Ri", "Lee", "Yi", "I", "Li"),
        ("Rim", "Lim", "Im"),
        ("Ryang", "Yang"),
        ("Ro", "Noh", "No"),
        ("Ryu", "Yoo", "Yu"),
    ],
    ids=lambda s: s[0],
)
def test_initial_law_surname_spellings_share_a_key(spellings: tuple[str, ...]) -> None:
    assert len({korean_surname_key(s) for s in spellings}) == 1


# --- surnames -----------------------------------------------------------------


@pytest.mark.parametrize(
    "spellings",
    [
        ("Kim", "Gim"),
        ("Lee", "Yi", "Rhee", "Ri", "I", "Li", "Rhie", "Yee"),
        ("Park", "Pak", "Bak"),
        ("Choi", "Choe"),
        ("Jung", "Jeong", "Chung", "Jong", "Chong"),
        ("Kang", "Gang"),
        ("Cho", "Jo"),
        ("Yoon", "Yun"),
        ("Shin", "Sin"),
        ("Oh", "O"),
        ("Ryu", "Yoo", "Yu", "Ryoo", "Rhyu"),
        ("Jeon", "Chon", "Jon", "Chun", "Jun"),
        ("Ahn", "An"),
        ("Im", "Lim", "Rim"),
        ("Yang", "Ryang"),
        ("Noh", "Roh", "No", "Ro"),
    ],
    ids=lambda s: s[0],
)
def test_customary_surname_spellings_share_a_key(spellings: tuple[str, ...]) -> None:
    assert len({korean_surname_key(s) for s in spellings}) == 1


def test_surname_key_equals_the_key_of_the_hangul_surname() -> None:
    key = _hangul_key("박정천")
    assert key is not None
    assert korean_surname_key("Park") == key[0]


@pytest.mark.parametrize("token", ["Kozlov", "Smith", "Maria", "Ivanov"])
def test_non_korean_token_is_not_a_surname(token: str) -> None:
    assert korean_surname_key(token) is None


def test_different_surnames_have_different_keys() -> None:
    assert korean_surname_key("Kim") != korean_surname_key("Park")


# --- syllable segmentation ------------------------------------------------------


def test_hyphen_is_a_syllable_boundary() -> None:
    assert korean_syllable_keys("Byeong-cheol") == korean_syllable_keys("byeongcheol")


def test_apostrophes_are_ignored() -> None:
    assert korean_syllable_keys("P'il-Hun") == korean_syllable_keys("Pil Hun")


def test_rr_and_mr_spellings_of_a_syllable_meet() -> None:
    assert korean_syllable_keys("cheol") == korean_syllable_keys("chol")


def test_glued_final_ng_before_a_vowel_stays_with_the_first_syllable() -> None:
    assert korean_syllable_keys("Jongil") == korean_syllable_keys("Jong-il")


@pytest.mark.parametrize("token", ["Smith", "Sergey", "Maria", "Kozlov", "x-ray", "Jong2"])
def test_non_korean_token_does_not_parse(token: str) -> None:
    assert korean_syllable_keys(token) is None


# --- full names -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["Sergey Kozlov", "John Smith", "Maria Kim", "Kim Maria"])
def test_non_korean_name_gives_none(name: str) -> None:
    assert korean_name_key(name) is None


def test_western_order_is_read_when_the_first_token_is_not_a_surname() -> None:
    assert korean_name_key("Byeong-cheol Lee") == korean_name_key("RI, Pyong Chol")


def test_a_lone_all_caps_token_is_taken_as_the_surname() -> None:
    assert korean_name_key("Jong Un KIM") == korean_name_key("KIM Jong Un")


def test_western_order_with_kim_last_is_read_as_surname_last() -> None:
    assert korean_name_key("Jong Un Kim") == korean_name_key("KIM Jong Un")


def test_two_surname_like_tokens_default_to_east_asian_order() -> None:
    # 송림 romanised: both ends are surnames; lists and Hangul put the surname first.
    assert korean_name_key("song rim") == korean_name_key("SONG, Rim")


def test_candidates_include_the_other_reading() -> None:
    assert korean_name_key("RIM, Song") in korean_name_key_candidates("song rim")


def test_more_than_three_given_syllables_is_not_a_korean_name() -> None:
    assert korean_name_key("Kim Jong Un Il Su") is None


def test_comma_form_takes_the_surname_before_the_comma() -> None:
    given = korean_syllable_keys("Rim")
    assert given is not None
    assert korean_name_key("SONG, Rim") == (korean_surname_key("Song"), tuple(given))


def test_customary_given_name_spelling_meets_the_hangul_name() -> None:
    # Customary spellings write ㅓ as u (Chung, Chul, Hyuk); lists carry them as aliases.
    assert korean_name_key("Park Chung-hee") == _hangul_key("박정희")


# --- real data ------------------------------------------------------------------

_HANGUL = re.compile("[\uac00-\ud7a3]+")


@pytest.mark.real_data
def test_eu_dprk_annex_hangul_names_meet_their_latin_names(real_lists: Path) -> None:
    # Per record: some romanisation of the Hangul alias has the key of some Latin name.
    path = real_lists / "eu_official_journal" / "consolidated" / "32017R1509.csv"
    total = met = 0
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            cells = [c.strip() for c in [row["name"], *row["alias"].split(";")] if c.strip()]
            hangul = [" ".join(_HANGUL.findall(c)) for c in cells if _HANGUL.search(c)]
            latin = [c for c in cells if not _HANGUL.search(c)]
            if row["schema"] != "Person" or not hangul or not latin:
                continue
            total += 1
            hk = {korean_name_key(v) for h in hangul for v in romanize_hangul(h).values()}
            lk = {korean_name_key(p.strip()) for c in latin for p in [c, *c.split(", ")]}
            met += bool((hk & lk) - {None})
    assert total >= 60
    assert met / total >= 0.95
