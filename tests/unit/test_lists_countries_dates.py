"""Contract: `matching.countries` folds country names, adjectives, ISO2/ISO3 codes and
list-specific spellings to lower-case ISO2 (None when unknown); `matching.lists.dates`
turns free-text dates into the model's "YYYY[-MM[-DD]]", "A..B" and "~YYYY" strings."""

from __future__ import annotations

import pytest

from matching.countries import country_codes, to_country_code
from matching.lists.dates import parse_date, parse_dates


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Russia", "ru"),
        ("Russian Federation", "ru"),
        ("Russian", "ru"),
        ("RUS", "ru"),
        ("RU", "ru"),
        ("ru", "ru"),
        ("North Korean", "kp"),
        ("Korea DPRK", "kp"),
        ("Korea, North", "kp"),
        ("Democratic People's Republic of Korea", "kp"),
        ("DPRK", "kp"),
        ("Korea, South", "kr"),
        ("Republic of Korea", "kr"),
        ("Iran (Islamic Republic of)", "ir"),
        ("Congo (Democratic Republic)", "cd"),
        ("Côte d'Ivoire", "ci"),
        ("United Kingdom", "gb"),
        ("UK", "gb"),
        ("Belarusian", "by"),
    ],
)
def test_to_country_code(text: str, code: str) -> None:
    assert to_country_code(text) == code


@pytest.mark.parametrize("text", ["", "Moscow", "undetermined", "Korea", "XX"])
def test_unknown_country_is_none(text: str) -> None:
    assert to_country_code(text) is None


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("(a) German, (b) Moroccan", ["de", "ma"]),
        ("Syrian/Iranian", ["sy", "ir"]),
        ("(1) Russia. (2) Ukraine", ["ru", "ua"]),
        ("of Registration Korea, North", ["kp"]),
        ("Italian since 1990", ["it"]),
        ("possibly Palestinian", ["ps"]),
        ("Moscow", []),
    ],
)
def test_country_codes_in_free_text(text: str, codes: list[str]) -> None:
    assert country_codes(text) == codes


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("31 May 1960", ["1960-05-31"]),
        ("1 Jan. 1964; 1959", ["1964-01-01", "1959"]),
        ("(a) 11.4.1963; (b) 1960", ["1963-04-11", "1960"]),
        ("Between 1959 and 1965", ["1959..1965"]),
        ("1959 to 1962", ["1959..1962"]),
        ("circa 1957", ["~1957"]),
        ("Circa 1957 or 14 March 1942", ["~1957", "1942-03-14"]),
        ("00/00/1961", ["1961"]),
        ("dd/mm/1968", ["1968"]),
        ("dd/09/1958", ["1958-09"]),
        ("12/11/1967", ["1967-11-12"]),
        ("1960-05-31", ["1960-05-31"]),
        ("Nov. 1973", ["1973-11"]),
        ("2026-02-27T00:00:09.554Z", ["2026-02-27"]),
        ("1959/1960", ["1959..1960"]),
        ("1967-1969.", ["1967..1969"]),
        ("8 Oct.1970", ["1970-10-08"]),
        ("05/1973", ["1973-05"]),
        ("1 Jan 1960 to 31 Dec 1965", ["1960-01-01..1965-12-31"]),
        ("~1971", ["~1971"]),
        ("", []),
        ("unknown", []),
    ],
)
def test_parse_dates(text: str, dates: list[str]) -> None:
    assert parse_dates(text) == dates


def test_parse_date_single() -> None:
    assert parse_date("Last Updated 14/04/2025") == "2025-04-14"
    assert parse_date("1959 to 1962") is None
