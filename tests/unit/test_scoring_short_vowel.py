"""A list's own spellings of a short name differ by one vowel after the first letter."""

from matching.scoring import fuzzy_sim


def test_one_inner_vowel_in_a_short_token_is_near() -> None:
    assert fuzzy_sim("said", "saed") > 0
    assert fuzzy_sim("asif", "asef") > 0


def test_first_letters_consonants_and_lengths_still_decide() -> None:
    assert fuzzy_sim("omar", "amar") == 0.0  # first letter
    assert fuzzy_sim("mark", "mary") == 0.0  # a consonant
    assert fuzzy_sim("hasan", "husen") == 0.0  # two edits in five letters
    assert fuzzy_sim("ali", "al") == 0.0
