"""Batch screening of a query file: JSON lines (read here) or CSV (read by the API's
own reader, api.csv_input, so both accept the same dialects and column aliases). One
output object per query, in input order: {"id": ..., "matches": [...]}."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from matching.engine import Engine
from matching.errors import InvalidQuery
from matching.model import Match, Query
from matching.records import query_from_record

CHUNK = 1000


def detect_query_format(text: str) -> str:
    """'jsonl' when the first non-blank line is a JSON object, else 'csv'."""
    for line in text.splitlines():
        if line.strip():
            return "jsonl" if line.lstrip().startswith("{") else "csv"
    return "csv"


def read_jsonl(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(location, record) for each line of a JSON-lines query file."""
    text = path.read_text(encoding="utf-8-sig")
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidQuery(f"{path}:{n}: not valid JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise InvalidQuery(f"{path}:{n}: each line must be a JSON object")
        yield f"{path}:{n}", record


MAX_SHOWN_ERRORS = 50


def validate_all(
    located: Iterable[tuple[str, dict[str, Any]]],
    problems: Sequence[tuple[str, str | None, str]] = (),
) -> list[tuple[Any, Query]]:
    """Every record validated; with any bad row, one InvalidQuery listing every bad
    row (location, field, problem), never only the first. `problems` are the rows the
    reader itself could not turn into records."""
    out: list[tuple[Any, Query]] = []
    errors = list(problems)
    for location, record in located:
        try:
            out.append((record.get("id"), query_from_record(record)))
        except InvalidQuery as exc:
            errors.append((location, exc.field, exc.message))
    if errors:
        lines = [f"  {loc}: {fld or 'record'}: {msg}" for loc, fld, msg in errors]
        more = len(lines) - MAX_SHOWN_ERRORS
        shown = lines[:MAX_SHOWN_ERRORS] + ([f"  ... and {more} more"] if more > 0 else [])
        raise InvalidQuery(
            f"{len(errors)} invalid rows, nothing was screened: fix them and rerun.\n"
            + "\n".join(shown),
            field=errors[0][1],
        )
    return out


def result_line(query_id: Any, matches: Sequence[Match]) -> str:
    return json.dumps(
        {"id": query_id, "matches": [m.to_dict() for m in matches]}, ensure_ascii=False
    )


def run_batch(
    engine: Engine,
    queries: Sequence[tuple[Any, Query]],
    out: IO[str],
    *,
    threshold: float,
    limit: int,
    progress: Callable[[int, int, int], None] | None = None,
) -> dict[str, int]:
    """Screen in chunks and write one JSON line per query, in input order."""
    hits = 0
    for start in range(0, len(queries), CHUNK):
        chunk = queries[start : start + CHUNK]
        results = engine.screen_many([q for _, q in chunk], threshold=threshold, limit=limit)
        for (qid, _), matches in zip(chunk, results, strict=True):
            hits += bool(matches)
            out.write(result_line(qid, matches) + "\n")
        if progress is not None:
            progress(min(start + CHUNK, len(queries)), len(queries), hits)
    return {"queries": len(queries), "with_matches": hits}


def summary(engine: Engine, stats: Mapping[str, int]) -> dict[str, Any]:
    return {"entities": engine.entity_count, "lists": engine.versions(), **stats}
