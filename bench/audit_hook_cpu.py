"""CPU cost of the batch audit hook per record (`workers.compliance.batch.record_chunk`),
for before/after comparisons on a shared machine: not a test, a measurement.

Screens N records of the bench-audit mix once, then records the same screened chunks
through the hook R times (a new job id each time, so nothing is a redelivery) on SQLite
and, when binaries exist, on a throwaway PostgreSQL, and prints the hook's CPU µs per
record (this process's CPU: time.process_time, so load from elsewhere does not count;
the database server's own CPU is not included) and the extra CPU the enriched results
cost when the job store saves them. `--profile` prints the top of a cProfile of the
hook. `make bench-audit` is the end-to-end figure; this is its hook, measured cheaply.

`--overlap` passes the hook the job store's encoding of the results as `meanwhile`, as
the workers do (PostgreSQL then overlaps its commit with it); that encoding's own time is
left out of the figures, as `make bench-audit` does. `--code DIR` imports the service
from another checkout (e.g. `git archive main | tar -x -C DIR`): run this alternately on
two trees for an A/B on a shared machine.
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import json
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# --code DIR: the service (and its bench helpers) from another checkout, for an A/B.
CODE = Path(sys.argv[sys.argv.index("--code") + 1]).resolve() if "--code" in sys.argv else ROOT
sys.path.insert(0, str(CODE))
sys.path.insert(0, str(CODE / "bench"))

from audit_bench import _engine, _records  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chunk-size", type=int, default=250)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="tottime", help="cProfile order (with --profile)")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--overlap", action="store_true",
                        help="pass the results' encoding as `meanwhile`, as the workers do")
    parser.add_argument("--durable", action="store_true",
                        help="PostgreSQL with fsync on (as `make bench-audit`)")
    parser.add_argument("--code", help="import the service from this checkout (A/B)")
    args = parser.parse_args()

    from matching.engine import DEFAULT_THRESHOLD
    from tests.postgres import PostgresServer, binaries
    from workers.compliance.batch import record_chunk
    from workers.compliance.db import Database, upgrade
    from workers.jobstore import Job
    from workers.pipeline import screen_records

    engine, ref, label = _engine()
    records = _records(args.records)
    size = args.chunk_size
    chunks = [records[i:i + size] for i in range(0, len(records), size)]
    screened = [screen_records(engine, c, threshold=DEFAULT_THRESHOLD, limit=10) for c in chunks]
    matches = sum(len(r["matches"]) for res in screened for r in res)
    print(f"lists: {label}; {len(records):,} records, {matches:,} matches, chunks of {size}")

    tmp = Path(tempfile.mkdtemp(prefix="audit-hook-"))
    backends = [] if args.no_sqlite else [("sqlite", f"sqlite:///{tmp / 'compliance.db'}")]
    pg = None
    bindir = None if args.no_postgres else binaries()
    if bindir is not None:
        pg = PostgresServer(bindir, durable=args.durable)
        pg.start()
        backends.append(("postgresql", pg.create_database("hook")))
    print(f"code: {CODE}; PostgreSQL " + ("durable" if args.durable else "without fsync")
          + ("; commit overlapped with the results' encoding" if args.overlap else ""))
    try:
        for name, url in backends:
            upgrade(url)
            db = Database(url)
            best = best_wall = float("inf")
            walls: list[float] = []
            enriched: list[list[dict[str, Any]]] = []
            for rep in range(args.repeat):
                job = Job(id=f"job{rep}", tenant="bench-bank", status="running",
                          total=len(records), chunk_size=size, chunk_count=len(chunks), done=0,
                          hits=0, chunks_done=0, next_chunk=0, created_at=0.0, updated_at=0.0,
                          started_at=None, finished_at=None,
                          options={"threshold": None, "limit": 10, "lists": None},
                          list_ref=ref)
                inputs = [copy.deepcopy(res) for res in screened]
                profiler = cProfile.Profile() if args.profile and rep == args.repeat - 1 else None
                cpu, wall = time.process_time(), time.perf_counter()
                if profiler:
                    profiler.enable()
                inner = [0.0, 0.0]  # the encoding overlapped with the commit: not counted
                for i, (chunk, res) in enumerate(zip(chunks, inputs, strict=True)):
                    def encode(res: list[dict[str, Any]] = res, inner: list[float] = inner) -> None:
                        w, c = time.perf_counter(), time.process_time()
                        json.dumps(res)
                        inner[0] += time.perf_counter() - w
                        inner[1] += time.process_time() - c

                    record_chunk(job, i, chunk, res, engine, db=db,
                                 meanwhile=encode if args.overlap else None)
                if profiler:
                    profiler.disable()
                spent = time.process_time() - cpu - inner[1]
                waited = time.perf_counter() - wall - inner[0]
                if profiler is None:
                    best, best_wall = min(best, spent), min(best_wall, waited)
                    walls.append(waited)
                enriched = inputs
                print(f"  {name} run {rep + 1}: {1e6 * spent / len(records):.1f} CPU µs/record, "
                      f"{1e6 * waited / len(records):.1f} wall"
                      + (" (profiled)" if profiler else ""), flush=True)
                if profiler:
                    stats = pstats.Stats(profiler).sort_stats(args.sort)
                    stats.print_stats(25)
            print(f"{name}: hook {1e6 * best / len(records):.1f} CPU µs/record, "
                  f"{1e6 * best_wall / len(records):.1f} wall (best runs); median wall "
                  f"{1e6 * statistics.median(walls or [0.0]) / len(records):.1f}")
            db.dispose()
        # What the enrichment costs the job store's save (it serialises results as JSON).
        for title, data in (("plain", screened), ("enriched", enriched)):
            cpu = time.process_time()
            for _ in range(3):
                for res in data:
                    json.dumps(res)
            spent = (time.process_time() - cpu) / 3
            print(f"save serialisation, {title} results: {1e6 * spent / len(records):.1f} "
                  "CPU µs/record")
    finally:
        if pg is not None:
            pg.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
