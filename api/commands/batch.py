"""`screening batch QUERIES --list PATH [--list PATH ...] [--threshold T] [--limit N]
[--output FILE] [--versions FILE]`: screen a CSV or JSON-lines file against lists.

stdout (or --output) holds exactly one JSON line per query; progress, the list versions
and a summary go to stderr (and the versions to --versions FILE as JSON)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from api.csv_input import CsvError, parse_csv
from matching.batch import detect_query_format, read_jsonl, run_batch, summary, validate_all
from matching.engine import DEFAULT_THRESHOLD, Engine
from matching.errors import InvalidQuery
from matching.lists import load_spec
from matching.model import Query


def register(sub: Any) -> None:
    p = sub.add_parser("batch", help="screen a CSV or JSON-lines file of names against lists")
    p.add_argument(
        "queries",
        metavar="QUERIES",
        help="CSV (id,name,schema,birth_date,country,identifier; the API's dialects and "
        "aliases) or JSON lines",
    )
    p.add_argument(
        "--list",
        dest="lists",
        action="append",
        required=True,
        metavar="PATH",
        help="list file, directory or built-in list name (repeatable)",
    )
    p.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_THRESHOLD,
        help=f"minimum score (default {DEFAULT_THRESHOLD}); 0 returns the top N",
    )
    p.add_argument("--limit", type=int, default=10, help="matches per query (default 10)")
    p.add_argument("--output", metavar="FILE", help="write JSON lines here instead of stdout")
    p.add_argument("--versions", metavar="FILE", help="also write the list versions as JSON")
    p.set_defaults(func=run)


def read_queries(path: Path) -> list[tuple[Any, Query]]:
    """Queries of a CSV (the API's reader: same delimiters, BOM, column aliases) or
    JSON-lines file; every bad row is reported at once."""
    data = path.read_bytes()
    if detect_query_format(data.decode("utf-8-sig", errors="replace")) == "jsonl":
        return validate_all(read_jsonl(path))
    try:
        parsed = parse_csv(data)
    except CsvError as exc:
        raise InvalidQuery(f"{path}: {exc.message}", field=exc.field) from None
    problems = [(f"{path} row {e['row']}", e["field"], e["problem"]) for e in parsed.errors]
    located = [(f"{path} row {row}", r) for row, r in zip(parsed.record_rows(), parsed.records,
                                                         strict=True)]
    return validate_all(located, problems)


def _progress(done: int, total: int, hits: int) -> None:
    print(
        f"screening batch: {done}/{total} queries, {hits} with matches", file=sys.stderr, flush=True
    )


def run(args: argparse.Namespace) -> int:
    if not 0.0 <= args.threshold <= 1.0:
        raise InvalidQuery("--threshold must be between 0 and 1", field="threshold")
    if args.limit < 1:
        raise InvalidQuery("--limit must be at least 1", field="limit")
    path = Path(args.queries)
    if not path.is_file():
        raise InvalidQuery(f"query file not found: {path}", field="queries")
    started = time.monotonic()
    loaded = [lst for spec in args.lists for lst in load_spec(spec)]
    engine = Engine(loaded)
    print(
        f"screening batch: {engine.entity_count} entities from {len(loaded)} lists "
        f"in {time.monotonic() - started:.1f}s",
        file=sys.stderr,
        flush=True,
    )
    queries = read_queries(path)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            stats = run_batch(
                engine, queries, out, threshold=args.threshold, limit=args.limit, progress=_progress
            )
    else:
        stats = run_batch(
            engine,
            queries,
            sys.stdout,
            threshold=args.threshold,
            limit=args.limit,
            progress=_progress,
        )
        sys.stdout.flush()
    info = summary(engine, stats)
    if args.versions:
        Path(args.versions).write_text(
            json.dumps(info["lists"], indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    print(
        "screening batch: summary " + json.dumps(info, ensure_ascii=False),
        file=sys.stderr,
        flush=True,
    )
    return 0
