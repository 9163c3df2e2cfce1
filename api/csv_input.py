"""Parse a CSV upload into records.

Header: the batch CLI's fields `id,name,schema,birth_date,country,identifier` (any order,
`name` required, case-insensitive; `nationality` is accepted as an alias of country).
UTF-8 with an optional BOM. Delimiter: `,` `;` tab or `|`, detected from the header.
Problems are collected per row (row = 1-based data row, the header not counted) so a
rejected upload lists all of them at once.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

COLUMNS = ("id", "name", "schema", "birth_date", "country", "identifier")
ALIASES = {"nationality": "country", "identifiers": "identifier", "dob": "birth_date"}
DELIMITERS = (",", ";", "\t", "|")
MAX_FIELD_CHARS = 1000


class CsvError(Exception):
    """The upload as a whole is unreadable (encoding, header). `field` names what to fix."""

    def __init__(self, message: str, field: str = "file") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(slots=True)
class ParsedCsv:
    records: list[dict[str, Any]] = field(default_factory=list)
    # (row, field, problem) for rows that cannot become records at all
    errors: list[dict[str, Any]] = field(default_factory=list)
    delimiter: str = ","
    rows: int = 0  # data rows seen, including any beyond max_records

    def record_rows(self) -> list[int]:
        """Data-row number of each record, so validation errors cite real rows."""
        bad = {e["row"] for e in self.errors}
        return [row for row in range(1, self.rows + 1) if row not in bad]


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # strips a UTF-8 BOM when present
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CsvError(
            f"The file is not UTF-8 (bad byte at line {line}): export it as UTF-8 and retry.",
        ) from None


def detect_delimiter(header_line: str) -> str:
    """The candidate delimiter that splits the header most; ',' when none does."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse_csv(data: bytes, max_records: int | None = None) -> ParsedCsv:
    """Records from a CSV upload. Raises CsvError when the file cannot be read at all."""
    text = _decode(data)
    if "\x00" in text:
        raise CsvError("The file contains NUL bytes: upload a plain-text CSV export.")
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        raise CsvError("The CSV is empty: send a header line `id,name,...` and one row per record.")
    delimiter = detect_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    parsed = ParsedCsv(delimiter=delimiter)
    header: list[str] | None = None
    row_number = 0
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # blank lines are not records
            if header is None:
                header = _header(cells)
                continue
            row_number += 1
            if max_records is not None and row_number > max_records:
                continue  # still counted, so the caller can report the real total
            record = _record(header, cells, row_number, parsed.errors)
            if record is not None:
                parsed.records.append(record)
    except csv.Error as exc:
        raise CsvError(f"The CSV is malformed near row {row_number + 1}: {exc}.") from None
    if header is None:
        raise CsvError("The CSV has no header line: start with `id,name,schema,...`.")
    parsed.rows = row_number
    return parsed


def _header(cells: list[str]) -> list[str]:
    names = [ALIASES.get(c.strip().lower(), c.strip().lower()) for c in cells]
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        raise CsvError(
            f"Unknown column(s) {', '.join(repr(u) for u in unknown)}: the header may hold "
            f"only {', '.join(COLUMNS)} (delimiter , ; tab or |).",
            field="header",
        )
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise CsvError(f"Column(s) {', '.join(duplicates)} appear twice in the header.", "header")
    if "name" not in names:
        raise CsvError("The header has no `name` column: every record needs a name.", "header")
    return names


def _record(
    header: list[str], cells: list[str], row: int, errors: list[dict[str, Any]]
) -> dict[str, Any] | None:
    if len(cells) != len(header):
        errors.append({
            "row": row,
            "field": "row",
            "problem": f"has {len(cells)} fields, the header has {len(header)}: "
            "check for an unquoted delimiter in a value",
        })
        return None
    record: dict[str, Any] = {}
    for name, cell in zip(header, cells, strict=True):
        value = cell.strip()
        if not value:
            continue
        if len(value) > MAX_FIELD_CHARS:
            errors.append({"row": row, "field": name,
                           "problem": f"longer than {MAX_FIELD_CHARS} characters"})
            return None
        record[name] = value
    return record
