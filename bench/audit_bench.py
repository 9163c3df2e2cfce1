"""Audit-trail benchmark (`make bench-audit`): not a test, a measurement.

Screens 100,000-record batches (the mix of bench/api_bench.py: Cyrillic, Hangul and
Latin names with listed names sprinkled in) through the batch path the workers run,
`workers.pipeline.run_chunk`, with a real Redis job store, four times:

  - without the compliance record (the baseline: what the service did before issue 11),
    twice, so the run-to-run noise shows;
  - with it on SQLite (the embedded default);
  - with it on a real PostgreSQL (a throwaway server from the machine's binaries).

The four batches run INTERLEAVED, chunk by chunk (chunk 1 of each batch in turn, then
chunk 2, the order rotating): the machine is shared, and a load burst from elsewhere
then falls on all four alike instead of on whichever ran at that moment. Each batch's
time is the sum of its own chunks' times. It prints records/s of each, audit writes/s
(one audit entry per record, bulk-written per chunk, plus hit rows), the rate with audit
as a share of the baseline, and the audit's own cost per record (wall and worker CPU,
timed around the hook). The engine is frozen out of the garbage collector after it is
built, as workers/engines.py does: without that, every full collection walks millions
of engine objects, and the audit's allocations trigger more of them. One worker
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
from dataclasses import dataclass, field
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


@dataclass
class Batch:
    """One of the interleaved batches: its job, its hook (None: no audit) and its time."""

    name: str
    hook: Any
    job_id: str = ""
    chunks: int = 0
    elapsed: float = 0.0
    spent: list[float] = field(default_factory=lambda: [0.0, 0.0])  # hook wall, CPU


def run_interleaved(store: Any, engine: Any, ref: dict[str, Any],
                    records: list[dict[str, Any]], chunk_size: int,
                    batches: list[Batch]) -> None:
    from workers.pipeline import run_chunk

    for batch in batches:
        job, _ = store.create_job("bench-bank", records, chunk_size=chunk_size,
                                  options={"threshold": None, "limit": 10, "lists": None},
                                  list_ref=ref)
        batch.job_id, batch.chunks = job.id, job.chunk_count
    for chunk in range(batches[0].chunks):
        shift = chunk % len(batches)
        for batch in batches[shift:] + batches[:shift]:
            started = time.perf_counter()
            outcome = run_chunk(store, batch.job_id, chunk, lambda _ref: engine,
                                lambda _s, _j: None, on_screened=batch.hook)
            batch.elapsed += time.perf_counter() - started
            assert outcome == "saved", outcome
        if chunk % 40 == 39:
            done = (chunk + 1) * chunk_size
            print(f"  {done:,} records of each batch", flush=True)
    for batch in batches:
        store.purge(batch.job_id)


def _audited(name: str, db: Any) -> Batch:
    from workers.compliance.batch import record_chunk

    batch = Batch(name, None)

    def hook(job: Any, chunk: int, recs: Any, res: Any, eng: Any,
             meanwhile: Any = None) -> None:
        # The results' encoding that the hook may overlap with its commit is the job
        # store's work, which the baseline does too: not counted as the audit's cost.
        inner = [0.0, 0.0]

        def encode() -> None:
            wall, cpu = time.perf_counter(), time.process_time()
            meanwhile()
            inner[0] += time.perf_counter() - wall
            inner[1] += time.process_time() - cpu

        wall, cpu = time.perf_counter(), time.process_time()
        record_chunk(job, chunk, recs, res, eng, db=db,
                     meanwhile=encode if meanwhile is not None else None)
        batch.spent[0] += time.perf_counter() - wall - inner[0]
        batch.spent[1] += time.process_time() - cpu - inner[1]

    batch.hook = hook
    return batch


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--chunk-size", type=int, default=250)
    parser.add_argument("--pg-no-fsync", action="store_true",
                        help="run PostgreSQL without fsync and full-page writes, as the tests "
                        "do (not a production setting; runs before session 4 did this)")
    args = parser.parse_args()

    import redis

    from api.embedded_redis import EmbeddedRedis
    from tests.postgres import PostgresServer, binaries
    from workers.compliance import audit
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
            pg = PostgresServer(bindir, durable=not args.pg_no_fsync)
            pg.start()
            backends.append(("postgresql", pg.create_database("bench")))
            print("PostgreSQL: " + ("fsync and full-page writes OFF (--pg-no-fsync)"
                                    if args.pg_no_fsync else "durable (fsync on, the defaults)"),
                  flush=True)
        else:
            print("PostgreSQL: no binaries found, skipped", flush=True)

        databases = []
        batches = [Batch("baseline (no audit)", None)]
        for name, url in backends:
            upgrade(url)
            databases.append(Database(url))
            batches.append(_audited(f"with audit, {name}", databases[-1]))
        batches.append(Batch("baseline again (no audit)", None))
        run_interleaved(store, engine, ref, records, args.chunk_size, batches)
        n = len(records)
        plain = [b for b in batches if b.hook is None]
        baseline = n / (sum(b.elapsed for b in plain) / len(plain))
        print(f"\n| {n:,}-record batches, interleaved chunk by chunk, one worker | "
              "records/s | audit writes/s | share of baseline | audit cost per record "
              "(wall / CPU) |")
        print("|---|---|---|---|---|")
        audited = iter(databases)
        for batch in batches:
            rate = n / batch.elapsed
            writes, cost = "–", "–"
            if batch.hook is not None:
                db = next(audited)
                written = audit.count(db, "bench-bank")
                assert written == n + 1, (written, n)  # + the job's context entry
                assert audit.verify(db, "bench-bank").ok
                writes = f"{written / batch.elapsed:,.0f}"
                cost = f"{1e6 * batch.spent[0] / n:.0f} / {1e6 * batch.spent[1] / n:.0f} µs"
                db.dispose()
            print(f"| {batch.name} | {rate:,.0f} | {writes} | {100 * rate / baseline:.1f}% "
                  f"| {cost} |")
        print(f"\nbaseline = mean of the two batches without audit ({1e6 / baseline:.0f} µs "
              "per record); target: with audit ≥ 90%")
    finally:
        if pg is not None:
            pg.stop()
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
