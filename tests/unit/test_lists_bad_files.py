"""Contract: a bad list file never half-loads. Empty files, malformed or truncated
XML, XML entity-expansion bombs and external entities, malformed CSV, wrong column
counts, missing required columns, non-UTF-8 bytes in UTF-8 formats and rows the format
forbids all raise ListFormatError naming the file and, where known, the line/element."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from matching.errors import ListFormatError
from matching.lists import load_path

BAD = Path(__file__).resolve().parent.parent / "fixtures" / "lists" / "bad"


@pytest.mark.parametrize(
    ("name", "location", "problem"),
    [
        ("empty.csv", None, "empty file"),
        ("blank.xml", None, "empty file"),
        ("malformed.xml", "line 7, column 6", "malformed XML"),
        ("truncated.xml", "line 17", "malformed XML"),
        ("un_no_name.xml", "<INDIVIDUAL> #2", "no name"),
        ("uk_conlist_latin1.csv", "line 4", "not valid UTF-8"),
        ("eu_oj_missing_column.csv", "line 1", "missing required column(s): weakAlias"),
        ("os_short_row.csv", "line 3", "expected 16 columns, found 13"),
        ("os_bad_quote.csv", "line 4", "malformed CSV"),
        ("internal_bad_schema.csv", "line 2", "unknown schema 'Persn'"),
        ("ftm_bad_line.jsonl", "line 2", "malformed JSON"),
    ],
)
def test_bad_file(name: str, location: str | None, problem: str) -> None:
    with pytest.raises(ListFormatError) as err:
        load_path(BAD / name)
    exc = err.value
    assert exc.path == str(BAD / name)
    if location is None:
        assert exc.location is None
    else:
        assert exc.location is not None and exc.location.startswith(location)
    assert problem in exc.problem
    assert str(BAD / name) in exc.message


def test_ofac_wrong_column_count() -> None:
    with pytest.raises(ListFormatError) as err:
        load_path(BAD / "ofac_columns")
    assert err.value.path.endswith("sdn.csv")
    assert err.value.location == "line 2"
    assert "expected 12 columns, found 11" in err.value.problem


def test_xml_bomb_is_refused_fast() -> None:
    start = time.monotonic()
    with pytest.raises(ListFormatError, match="unsafe XML"):
        load_path(BAD / "bomb.xml")
    assert time.monotonic() - start < 1.0


def test_external_entity_is_refused() -> None:
    with pytest.raises(ListFormatError, match="unsafe XML"):
        load_path(BAD / "external_entity.xml")


def test_bad_file_in_a_directory_fails_the_load(fixtures_dir: Path, tmp_path: Path) -> None:
    shutil.copy(fixtures_dir / "lists" / "un_sc.xml", tmp_path / "un.xml")
    shutil.copy(BAD / "malformed.xml", tmp_path / "other.xml")
    with pytest.raises(ListFormatError, match="malformed XML"):
        load_path(tmp_path)


def test_empty_list_file_in_a_directory_fails(fixtures_dir: Path, tmp_path: Path) -> None:
    shutil.copy(fixtures_dir / "lists" / "un_sc.xml", tmp_path / "un.xml")
    (tmp_path / "sdn.csv").write_bytes(b"")
    with pytest.raises(ListFormatError, match="empty file"):
        load_path(tmp_path)


def test_truncated_ofac_row(fixtures_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "sdn"
    shutil.copytree(fixtures_dir / "lists" / "ofac_sdn", folder)
    data = (folder / "sdn.csv").read_bytes()
    (folder / "sdn.csv").write_bytes(data[: data.index(b"LADY R") + 20])
    with pytest.raises(ListFormatError) as err:
        load_path(folder)
    assert err.value.location is not None and err.value.location.startswith("line ")


def test_xml_with_non_utf8_byte(fixtures_dir: Path, tmp_path: Path) -> None:
    data = (fixtures_dir / "lists" / "un_sc.xml").read_bytes()
    bad = tmp_path / "un.xml"
    bad.write_bytes(data.replace(b"Comrade Ri", b"Comrade R\xe9"))
    with pytest.raises(ListFormatError) as err:
        load_path(bad)
    assert err.value.location is not None and err.value.location.startswith("line 16")
    assert "malformed XML" in err.value.problem


def test_uk_conlist_missing_group_id(fixtures_dir: Path, tmp_path: Path) -> None:
    text = (fixtures_dir / "lists" / "uk_conlist.csv").read_text(encoding="utf-8")
    bad = tmp_path / "ConList.csv"
    bad.write_text(text.replace(",Group ID", ",Group"), encoding="utf-8")
    with pytest.raises(ListFormatError) as err:
        load_path(bad)
    assert err.value.location == "line 2"
    assert "Group ID" in err.value.problem


def test_ofac_entry_without_name(fixtures_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "sdn"
    shutil.copytree(fixtures_dir / "lists" / "ofac_sdn", folder)
    data = (folder / "sdn.csv").read_bytes().replace(b'"LADY R"', b"-0- ")
    (folder / "sdn.csv").write_bytes(data)
    with pytest.raises(ListFormatError, match="37095 has no name") as err:
        load_path(folder)
    assert err.value.location == "line 3"
