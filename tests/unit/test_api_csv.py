"""CSV uploads become records: header `id,name,schema,birth_date,country,identifier` in any
order, UTF-8 with or without BOM, delimiter `,` `;` tab or `|`; row numbers count data rows
from 1 (the header excluded); unreadable files raise CsvError naming what to fix."""

from __future__ import annotations

import pytest

from api.csv_input import CsvError, detect_delimiter, parse_csv


def test_comma_file_with_cyrillic_and_hangul_names() -> None:
    data = "id,name,country\n1,Козлов Сергей Михайлович,ru\n2,김영복,kp\n".encode()
    parsed = parse_csv(data)
    assert parsed.records == [
        {"id": "1", "name": "Козлов Сергей Михайлович", "country": "ru"},
        {"id": "2", "name": "김영복", "country": "kp"},
    ]
    assert parsed.errors == [] and parsed.rows == 2


def test_utf8_bom_is_stripped_from_the_first_column() -> None:
    parsed = parse_csv("\ufeffid,name\n7,LADY R\n".encode())
    assert parsed.records == [{"id": "7", "name": "LADY R"}]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_variant(delimiter: str) -> None:
    text = delimiter.join(["id", "name", "birth_date"]) + "\n"
    text += delimiter.join(["a1", "KOZLOV, Sergey" if delimiter != "," else '"KOZLOV, Sergey"',
                            "1960-05-31"]) + "\n"
    parsed = parse_csv(text.encode())
    assert parsed.delimiter == delimiter
    assert parsed.records == [{"id": "a1", "name": "KOZLOV, Sergey", "birth_date": "1960-05-31"}]


def test_detect_delimiter_defaults_to_comma_for_a_single_column() -> None:
    assert detect_delimiter("name") == ","


def test_header_is_case_insensitive_and_nationality_is_country() -> None:
    parsed = parse_csv(b"NAME;Nationality\nANGARA;ru\n")
    assert parsed.records == [{"name": "ANGARA", "country": "ru"}]


def test_blank_lines_and_empty_cells_are_dropped() -> None:
    parsed = parse_csv(b"id,name,schema\n\n1,ANGARA,\n\n")
    assert parsed.records == [{"id": "1", "name": "ANGARA"}]


def test_a_row_with_the_wrong_field_count_is_reported_by_row_number() -> None:
    parsed = parse_csv(b"id,name\n1,OK\n2,Too,Many\n3,Fine\n")
    assert [r["id"] for r in parsed.records] == ["1", "3"]
    assert parsed.errors == [
        {"row": 2, "field": "row", "problem": parsed.errors[0]["problem"]}
    ]
    assert "3 fields" in parsed.errors[0]["problem"]


def test_unknown_column_is_rejected_naming_the_allowed_ones() -> None:
    with pytest.raises(CsvError) as err:
        parse_csv(b"id,name,salary\n1,A,3\n")
    assert err.value.field == "header"
    assert "'salary'" in err.value.message and "birth_date" in err.value.message


def test_missing_name_column_is_rejected() -> None:
    with pytest.raises(CsvError, match="no `name` column"):
        parse_csv(b"id,country\n1,ru\n")


def test_non_utf8_is_rejected_with_the_line() -> None:
    with pytest.raises(CsvError, match=r"not UTF-8 .*line 2"):
        parse_csv("id,name\n1,Müller\n".encode("latin-1"))


def test_empty_file_is_rejected() -> None:
    with pytest.raises(CsvError, match="empty"):
        parse_csv(b"\n\n")


def test_rows_beyond_the_maximum_are_counted_not_kept() -> None:
    parsed = parse_csv(b"name\nA\nB\nC\n", max_records=2)
    assert parsed.rows == 3 and len(parsed.records) == 2
