from __future__ import annotations

import pytest

from matching.errors import InvalidQuery
from matching.records import query_from_record


def test_full_record() -> None:
    q = query_from_record(
        {
            "id": "7",
            "name": " Ivan Petrov ",
            "schema": "person",
            "birth_date": "1960-05",
            "country": "Russia",
            "identifier": "IMO 9161003; 723367854",
            "gender": "M",
        }
    )
    assert q.name == "Ivan Petrov" and q.id == "7" and q.schema == "Person"
    assert q.birth_date == "1960-05" and q.country == "Russia" and q.gender == "male"
    assert q.identifiers == ["IMO 9161003", "723367854"]


def test_empty_optionals_are_none() -> None:
    q = query_from_record({"id": "", "name": "X", "schema": "", "birth_date": "", "country": ""})
    assert q.schema is None and q.birth_date is None and q.country is None and q.id is None


def test_identifiers_list() -> None:
    assert query_from_record({"name": "X", "identifiers": ["a1", "b2"]}).identifiers == ["a1", "b2"]


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": 5}, "name"),
        ({"name": "X", "schema": "Ship"}, "schema"),
        ({"name": "X", "birth_date": "31/05/1960"}, "birth_date"),  # day/month order unknown
        ({"name": "X", "birth_date": "1960-02-31"}, "birth_date"),
        ({"name": "X", "birth_date": "0000"}, "birth_date"),
        ({"name": "X", "birth_date": "1960-02-30"}, "birth_date"),
        ({"name": "X", "birth_date": "1961-02-29"}, "birth_date"),
        ({"name": "X", "birth_date": "yesterday"}, "birth_date"),
        ({"name": "X", "birth_date": "1960-13"}, "birth_date"),
        ({"name": "X", "birth_date": "1960-05-32"}, "birth_date"),
        ({"name": "X", "gender": "x"}, "gender"),
        ({"name": "X", "identifiers": [{"a": 1}]}, "identifiers"),
        ({"name": "X", "country": ["ru"]}, "country"),
    ],
)
def test_invalid(record: dict, field: str) -> None:
    with pytest.raises(InvalidQuery) as exc:
        query_from_record(record)
    assert exc.value.field == field


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("1967-2-1", "1967-02-01"),
        ("31.05.1960", "1960-05-31"),
        ("1960.05.31", "1960-05-31"),
        ("1960/05/31", "1960-05-31"),
        ("1960년 5월 31일", "1960-05-31"),
        ("1960년5월31일", "1960-05-31"),
        ("1960-05", "1960-05"),
        ("1960", "1960"),
        ("1960-02-29", "1960-02-29"),  # a leap year
        (" 1960-05-31 ", "1960-05-31"),
    ],
)
def test_birth_dates_real_files_carry(text: str, normalised: str) -> None:
    assert query_from_record({"name": "X", "birth_date": text}).birth_date == normalised


def test_impossible_date_names_the_reason() -> None:
    with pytest.raises(InvalidQuery) as exc:
        query_from_record({"name": "X", "birth_date": "1960-02-31"})
    assert "February 1960 has 29 days" in exc.value.message
