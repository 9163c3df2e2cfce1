"""Whole-job result downloads (CSV and JSON lines).

CSV has two layouts: `records` (default), one row per record with its top match's
readable fields and a match count; and `matches`, one row per match with the full
explanation as JSON. Every text cell that a spreadsheet would read as a formula (it
starts with `=`, `+`, `-`, `@`, tab or carriage return, as OWASP lists) is prefixed with
a single quote, so record ids, names and list names can never run as formulas.

A download is written out completely before the first byte is sent (spooled to a
temporary file beyond a few MB) and sent with its Content-Length: it either arrives
whole or fails visibly, never stops midway under a 200."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from workers.pipeline import result_status

CSV_LAYOUTS = ("records", "matches")
RECORD_COLUMNS = (
    "id", "name", "status", "hit", "match_count", "top_list", "top_source_id",
    "top_schema", "top_name", "top_matched_name", "top_score", "error",
)
MATCH_COLUMNS = (
    "id", "name", "status", "hit", "rank", "list", "source_id", "schema",
    "matched_entity", "matched_name", "score", "explanation", "error",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SPOOL_BYTES = 8 * 1024 * 1024


def neutralise(value: Any) -> Any:
    """OWASP CSV-injection defence: a text cell a spreadsheet would evaluate gets a
    leading single quote (the CSV writer then quotes the cell as needed)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _row(values: Iterable[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([neutralise(v) for v in values])
    return buffer.getvalue()


def _hit(result: dict[str, Any]) -> str:
    # A record that could not be screened has no hit value at all: never "false".
    if result_status(result) == "error":
        return ""
    return "true" if result.get("matches") else "false"


def _head(result: dict[str, Any]) -> list[Any]:
    return [result.get("id"), result.get("name"), result_status(result), _hit(result)]


def csv_lines(results: Iterable[dict[str, Any]], layout: str = "records") -> Iterator[str]:
    columns = MATCH_COLUMNS if layout == "matches" else RECORD_COLUMNS
    yield "\ufeff" + _row(columns)  # BOM: spreadsheet tools then read UTF-8
    for result in results:
        matches = result.get("matches") or []
        error = result.get("error") or ""
        if layout != "matches":
            top = matches[0] if matches else {}
            yield _row([
                *_head(result), len(matches), top.get("list"), top.get("source_id"),
                top.get("schema"), top.get("name"), top.get("matched_name"), top.get("score"),
                error,
            ])
            continue
        if not matches:
            yield _row([*_head(result), *[""] * 8, error])
            continue
        for rank, match in enumerate(matches, start=1):
            yield _row([
                *_head(result), rank, match.get("list"), match.get("source_id"),
                match.get("schema"), match.get("name"), match.get("matched_name"),
                match.get("score"),
                json.dumps(match.get("explanation"), ensure_ascii=False, sort_keys=True), error,
            ])


def jsonl_lines(results: Iterable[dict[str, Any]]) -> Iterator[str]:
    for result in results:
        yield json.dumps({**result, "status": result_status(result)}, ensure_ascii=False) + "\n"


def spool(lines: Iterable[str]) -> tuple[IO[bytes], int]:
    """Write every line to a temporary file first (any failure raises here, before a
    status is sent); returns the file, rewound, and its size."""
    handle = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    try:
        for line in lines:
            # Text that cannot be UTF-8 (a stored lone surrogate) is escaped, not fatal.
            handle.write(line.encode("utf-8", errors="backslashreplace"))
        size = handle.tell()
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return handle, size
