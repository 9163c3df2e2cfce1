"""Batch screening of a query file: CSV (`id,name,schema,birth_date,country,identifier`)
or JSON lines with the same keys, detected from content. One output object per query,
in input order: {"id": ..., "matches": [...]}."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from matching.engine import Engine
from matching.errors import InvalidQuery
from matching.model import Match, Query
from matching.records import query_from_record

CSV_COLUMNS = ("id", "name", "schema", "birth_date", "country", "identifier")
CHUNK = 1000


def detect_query_format(text: str) -> str:
    """'jsonl' when the first non-blank line is a JSON object, else 'csv'."""
    for line in text.splitlines():
        if line.strip():
            return "jsonl" if line.lstrip().startswith("{") else "csv"
    return "csv"


def read_records(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(location, record) for each query of the file."""
    text = path.read_text(encoding="utf-8-sig")
    if detect_query_format(text) == "jsonl":
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
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "id" not in header or "name" not in header:
        raise InvalidQuery(f"{path}: CSV header must contain id and name ({','.join(CSV_COLUMNS)})")
    reader.fieldnames = header
    for record in reader:
        yield f"{path}:{reader.line_num}", {k: v for k, v in record.items() if k is not None}


def parse_queries(path: Path) -> list[tuple[Any, Query]]:
    out: list[tuple[Any, Query]] = []
    for location, record in read_records(path):
        try:
            query = query_from_record(record)
        except InvalidQuery as exc:
            raise InvalidQuery(f"{location}: {exc.message}", field=exc.field) from exc
        out.append((record.get("id"), query))
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
