"""Contract of matching.hangul.

romanize_hangul gives, for each scheme, a lowercase Latin rendering with the
syllables of each Hangul word separated by spaces: "mr" as OFAC/UN/EU/UK lists
print McCune-Reischauer (no breves, no apostrophes, ㅈ as j), "mr_marked" (o', u'
and aspirate apostrophes), "dprk" (kh/th/ph), "rr" (Revised Romanization), and
"mr_law"/"rr_law" with the initial-sound law applied the other way to the surname.
hangul_syllable_key gives the romanisation-independent key of one syllable.
"""

from __future__ import annotations

import pytest

from matching.hangul import hangul_syllable_key, initial_law_alternate, romanize_hangul

# --- the named cases -------------------------------------------------


def test_kim_jong_un() -> None:
    assert romanize_hangul("김정은")["mr"] == "kim jong un"


def test_ri_pyong_chol() -> None:
    assert romanize_hangul("리병철")["mr"] == "ri pyong chol"


def test_pak_jong_chon() -> None:
    assert romanize_hangul("박정천")["mr"] == "pak jong chon"


def test_choe_ryong_hae() -> None:
    assert romanize_hangul("최룡해")["mr"] == "choe ryong hae"


def test_jong_kyong_taek() -> None:
    assert romanize_hangul("정경택")["mr"] == "jong kyong taek"


def test_marked_mr_writes_aspirates_with_an_apostrophe() -> None:
    assert romanize_hangul("강필훈")["mr_marked"] == "kang p'il hun"


def test_marked_mr_writes_eo_as_o_apostrophe() -> None:
    assert romanize_hangul("정원")["mr_marked"] == "cho'ng wo'n"


def test_dprk_system_writes_aspirates_with_h() -> None:
    assert romanize_hangul("정경택")["dprk"] == "jong kyong thaek"


def test_revised_romanization_of_kim_jong_un() -> None:
    assert romanize_hangul("김정은")["rr"] == "gim jeong eun"


def test_revised_romanization_of_i_byeong_cheol() -> None:
    assert romanize_hangul("이병철")["rr"] == "i byeong cheol"


# --- initial-sound law ------------------------------------------------------


@pytest.mark.parametrize(
    ("north", "south"), [("리", "이"), ("림", "임"), ("량", "양"), ("로", "노"), ("류", "유")]
)
def test_initial_law_maps_north_to_south(north: str, south: str) -> None:
    assert initial_law_alternate(north) == south


@pytest.mark.parametrize(
    ("south", "north"), [("이", "리"), ("임", "림"), ("양", "량"), ("노", "로"), ("유", "류")]
)
def test_initial_law_maps_south_to_north(south: str, north: str) -> None:
    assert initial_law_alternate(south) == north


def test_law_form_changes_only_the_surname() -> None:
    assert romanize_hangul("리룡")["mr_law"] == "i ryong"


def test_law_form_of_a_south_korean_surname_gives_the_north_spelling() -> None:
    assert romanize_hangul("이병철")["mr_law"] == "ri pyong chol"


@pytest.mark.parametrize(
    ("a", "b"), [("리", "이"), ("림", "임"), ("량", "양"), ("로", "노"), ("류", "유")]
)
def test_initial_law_pairs_share_one_key(a: str, b: str) -> None:
    assert hangul_syllable_key(a) == hangul_syllable_key(b)


# --- structure --------------------------------------------------------------


def test_compound_surname_of_a_four_syllable_name_is_one_token() -> None:
    assert romanize_hangul("남궁민수")["mr"] == "namkung min su"


def test_non_hangul_text_passes_through() -> None:
    assert romanize_hangul("김정은 (Kim)")["mr"] == "kim jong un (kim)"


def test_each_hangul_word_is_romanised_separately() -> None:
    assert romanize_hangul("조선 은행")["mr"] == "jo son un haeng"


def test_duplicate_renderings_are_dropped() -> None:
    forms = romanize_hangul("최룡해")
    assert len(set(forms.values())) == len(forms)


# --- hangul_syllable_key ------------------------------------------------------


def test_syllable_key_merges_plain_and_aspirated_initials() -> None:
    assert hangul_syllable_key("정") == hangul_syllable_key("청")


def test_syllable_key_keeps_different_finals_apart() -> None:
    assert hangul_syllable_key("철") != hangul_syllable_key("춘")


def test_syllable_key_keeps_un_and_il_apart() -> None:
    assert hangul_syllable_key("은") != hangul_syllable_key("일")
