"""Contract of matching.scripts: which scripts a name is written in.

detect_scripts returns the scripts of the letters only (digits, punctuation and
spaces are ignored); Cyrillic covers Russian, Ukrainian and Belarusian letters.
primary_script names a single script, "mixed" for several, "none" for no letters.
"""

from __future__ import annotations

from matching.scripts import detect_scripts, primary_script


def test_latin_name_is_latin() -> None:
    assert detect_scripts("KOZLOV, Sergey Mikhaylovich") == {"latin"}


def test_latin_letters_with_diacritics_are_latin() -> None:
    assert detect_scripts("Michajlovič Sodeïstvie P'il-Hun Cho'ng") == {"latin"}


def test_russian_name_is_cyrillic() -> None:
    assert detect_scripts("Козлов Сергей Михайлович") == {"cyrillic"}


def test_ukrainian_letters_are_cyrillic() -> None:
    assert detect_scripts("Їжак Євген Ґалаґан Іван") == {"cyrillic"}


def test_belarusian_letters_are_cyrillic() -> None:
    assert detect_scripts("Уладзімір Ўсевалад") == {"cyrillic"}


def test_hangul_name_is_hangul() -> None:
    assert detect_scripts("김정은") == {"hangul"}


def test_digits_punctuation_and_quotes_are_ignored() -> None:
    assert detect_scripts("ООО «Интеграл» №2, 1960-05-31") == {"cyrillic"}


def test_other_scripts_are_other() -> None:
    assert detect_scripts("北京 محمد") == {"other"}


def test_mixed_input_reports_every_script() -> None:
    assert detect_scripts("김정은 KIM Jong Un Ким Чен Ын") == {"hangul", "latin", "cyrillic"}


def test_primary_script_of_a_single_script_name() -> None:
    assert primary_script("리병철") == "hangul"


def test_primary_script_of_mixed_input_is_mixed() -> None:
    assert primary_script("ООО Intellekt") == "mixed"


def test_primary_script_without_letters_is_none() -> None:
    assert primary_script("12-34 / ()") == "none"
