"""Audit-trail benchmark (`make bench-audit`): not a test, a measurement.

Screens one 100,000-record batch (the mix of bench/api_bench.py: Cyrillic, Hangul and
Latin names with listed names sprinkled in) through the batch path the workers run,
`workers.pipeline.run_chunk`, chunk by chunk, with a real Redis job store:

  1. without the compliance record (the baseline: what the service did before issue 11);
  2. with it on SQLite (the embedded default);
  3. with it on a real PostgreSQL (a throwaway server from the machine's binaries);
  4. without it again (the baseline twice, to see the run-to-run noise).

and prints records/s of each, audit writes/s (one audit entry per record, bulk-inserted
per chunk, plus hit rows), the rate with audit as a share of the baseline, and the
audit's own cost per record (wall and worker CPU, timed around the hook: far less noisy
than the difference of two end-to-end rates on a shared machine). The engine is frozen
out of the garbage collector after it is built, as workers/engines.py does: without
that, every full collection walks millions of engine objects, and the audit's
allocations trigger more of them, which the bench used to charge to the audit. One worker
process, so the share is conservative: a real deployment adds Celery and HTTP overhead
to both sides equally. Lists: every shared list when SCREENING_REAL_LISTS is set (the
default ../shared/data/lists if present), else the built-in kr-mofa.
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _records(n: int) -> list[dict[str, Any]]:
    from api_bench import make_csv

    rows = csv.DictReader(io.StringIO(make_csv(n).decode("utf-8")))
    return [{k: v for k, v in row.items() if v} for row in rows]


def _engine() -> tuple[Any, dict[str, Any], str]:
    from matching.engine import Engine
    from matching.lists.builtin import load_builtin
    from matching.lists.load import load_path

    folder = os.environ.get("SCREENING_REAL_LISTS") or str(ROOT.parent / "shared/data/lists")
    if Path(folder).is_dir():
        lists = load_path(Path(folder))
        label = f"every list in {folder}"
    else:
        lists = [load_builtin("kr-mofa")]
        label = "kr-mofa (no shared lists found)"
    engine = Engine(lists)
    gc.collect()
    gc.freeze()  # as workers/engines.py does with every engine it keeps
    versions = engine.versions()
    ref = {"key": "bench", "specs": [], "versions": versions, "generation": 0}
    return engine, ref, label


def run(store: Any, engine: Any, ref: dict[str, Any], records: list[dict[str, Any]],
        chunk_size: int, on_screened: Any) -> float:
    from workers.pipeline import run_chunk

    job, _ = store.create_job("bench-bank", records, chunk_size=chunk_size,
                              options={"threshold": None, "limit": 10, "lists": None},
                              list_ref=ref)
    started = time.perf_counter()
    for chunk in range(job.chunk_count):
        outcome = run_chunk(store, job.id, chunk, lambda _ref: engine, lambda _s, _j: None,
                            on_screened=on_screened)
        assert outcome == "saved", outcome
    elapsed = time.perf_counter() - started
    store.purge(job.id)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--chunk-size", type=int, default=250)
    args = parser.parse_args()

    import redis

    from api.embedded_redis import EmbeddedRedis
    from tests.postgres import PostgresServer, binaries
    from workers.compliance import audit
    from workers.compliance.batch import record_chunk
    from workers.compliance.db import Database, upgrade
    from workers.jobstore import JobStore

    tmp = Path(tempfile.mkdtemp(prefix="audit-bench-"))
    server = EmbeddedRedis(tmp / "redis", appendonly=False)
    store = JobStore(redis.Redis.from_url(server.start()), prefix="bench:")
    pg: PostgresServer | None = None
    try:
        t0 = time.perf_counter()
        engine, ref, label = _engine()
        print(f"lists: {label}; {engine.entity_count} entities; built in "
              f"{time.perf_counter() - t0:.1f} s", flush=True)
        records = _records(args.records)
        print(f"batch: {len(records):,} records, chunks of {args.chunk_size}", flush=True)

        backends: list[tuple[str, str]] = [("sqlite", f"sqlite:///{tmp / 'compliance.db'}")]
        bindir = binaries()
        if bindir is not None:
            pg = PostgresServer(bindir)
            pg.start()
            backends.append(("postgresql", pg.create_database("bench")))
        else:
            print("PostgreSQL: no binaries found, skipped", flush=True)

        results: list[tuple[str, float, int, str]] = []
        base1 = run(store, engine, ref, records, args.chunk_size, None)
        results.append(("baseline (no audit)", base1, 0, "–"))
        print(f"  baseline: {len(records) / base1:,.0f} records/s", flush=True)
        for name, url in backends:
            upgrade(url)
            db = Database(url)

            spent = [0.0, 0.0]  # wall, CPU of the hook

            def hook(job: Any, chunk: int, recs: Any, res: Any, eng: Any,
                     _db: Database = db, _spent: list[float] = spent) -> None:
                wall, cpu = time.perf_counter(), time.process_time()
                record_chunk(job, chunk, recs, res, eng, db=_db)
                _spent[0] += time.perf_counter() - wall
                _spent[1] += time.process_time() - cpu

            elapsed = run(store, engine, ref, records, args.chunk_size, hook)
            cost = (f"{1e6 * spent[0] / len(records):.0f} / "
                    f"{1e6 * spent[1] / len(records):.0f} µs")
            written = audit.count(db, "bench-bank")
            assert written == len(records) + 1, (written, len(records))  # + the context
            assert audit.verify(db, "bench-bank").ok
            results.append((f"with audit, {name}", elapsed, written, cost))
            print(f"  {name}: {len(records) / elapsed:,.0f} records/s, "
                  f"{written / elapsed:,.0f} audit writes/s, audit {cost} per record "
                  "(wall / CPU)", flush=True)
            db.dispose()
        base2 = run(store, engine, ref, records, args.chunk_size, None)
        results.append(("baseline again", base2, 0, "–"))
        baseline = len(records) / ((base1 + base2) / 2)

        print(f"\n| run ({len(records):,} records, one worker) | records/s | audit writes/s "
              "| share of baseline | audit cost per record (wall / CPU) |")
        print("|---|---|---|---|---|")
        for name, elapsed, written, cost in results:
            rate = len(records) / elapsed
            writes = f"{written / elapsed:,.0f}" if written else "–"
            print(f"| {name} | {rate:,.0f} | {writes} | {100 * rate / baseline:.1f}% | {cost} |")
        per_record = 1e6 / baseline
        print(f"\nbaseline = mean of the two runs without audit ({per_record:.0f} µs per "
              "record); target: with audit ≥ 90%")
    finally:
        if pg is not None:
            pg.stop()
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
