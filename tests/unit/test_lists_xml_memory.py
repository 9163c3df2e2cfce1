"""XML lists are parsed incrementally: memory follows the entities kept, not the file's
size (a 250 MB file once took 6 GB), and a wrong root element is refused at once."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from matching.errors import ListFormatError
from matching.lists.un import load_un

BLOB_BYTES = 2_000_000
ENTRIES = 20  # a 40 MB file


def _un_file(path: Path, root: str = "CONSOLIDATED_LIST") -> Path:
    blob = "x" * BLOB_BYTES
    with path.open("w", encoding="utf-8") as out:
        out.write(f'<?xml version="1.0"?>\n<{root} dateGenerated="2026-01-01T00:00:00Z">'
                  "<INDIVIDUALS>")
        for i in range(ENTRIES):
            out.write(f"<INDIVIDUAL><DATAID>{i}</DATAID><FIRST_NAME>Person{i}</FIRST_NAME>"
                      f"<SECOND_NAME>Test</SECOND_NAME><REFERENCE_NUMBER>KPi.{i:03d}"
                      f"</REFERENCE_NUMBER><UNUSED_BLOB>{blob}</UNUSED_BLOB></INDIVIDUAL>")
        out.write(f"</INDIVIDUALS><ENTITIES/></{root}>")
    return path


def _peak(fn: object) -> int:
    tracemalloc.start()
    try:
        fn()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_large_xml_list_is_parsed_in_bounded_memory(tmp_path: Path) -> None:
    path = _un_file(tmp_path / "un.xml")
    size = path.stat().st_size
    loaded: list[object] = []
    peak = _peak(lambda: loaded.append(load_un(path)))
    assert len(loaded[0].entities) == ENTRIES  # type: ignore[attr-defined]
    # Whole-document parsing held the file's bytes and its tree: more than the file size.
    assert peak < size / 4, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.0f} MB file"


def test_a_wrong_root_is_refused_before_reading_the_file(tmp_path: Path) -> None:
    path = _un_file(tmp_path / "other.xml", root="SOMETHING_ELSE")
    errors: list[ListFormatError] = []

    def load() -> None:
        with pytest.raises(ListFormatError) as info:
            load_un(path)
        errors.append(info.value)

    peak = _peak(load)
    assert "root element is not <CONSOLIDATED_LIST>" in errors[0].message
    assert peak < BLOB_BYTES, "refused at the first tag, not after parsing everything"
