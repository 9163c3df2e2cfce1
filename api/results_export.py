"""Whole-job result downloads, produced line by line so a 100,000-record job streams
without being held in memory."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

CSV_COLUMNS = (
    "id", "name", "hit", "rank", "list", "source_id", "schema",
    "matched_entity", "matched_name", "score", "explanation", "error",
)


def _row(values: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()


def csv_lines(results: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One row per match; a record without matches gets one row with hit=false."""
    yield "\ufeff" + _row(list(CSV_COLUMNS))  # BOM: spreadsheet tools then read UTF-8
    for result in results:
        matches = result.get("matches") or []
        if not matches:
            tail = [""] * 8 + [result.get("error") or ""]
            yield _row([result.get("id"), result.get("name"), "false", *tail])
            continue
        for rank, match in enumerate(matches, start=1):
            yield _row([
                result.get("id"), result.get("name"), "true", rank, match.get("list"),
                match.get("source_id"), match.get("schema"), match.get("name"),
                match.get("matched_name"), match.get("score"),
                json.dumps(match.get("explanation"), ensure_ascii=False, sort_keys=True), "",
            ])


def jsonl_lines(results: Iterable[dict[str, Any]]) -> Iterator[str]:
    for result in results:
        yield json.dumps(result, ensure_ascii=False) + "\n"
