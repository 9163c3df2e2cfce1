"""Audit-trail benchmark (`make bench-audit`): not a test, a measurement.

Screens 100,000-record batches (the mix of bench/api_bench.py: Cyrillic, Hangul and
Latin names with listed names sprinkled in) through the batch path the workers run,
`workers.pipeline.run_chunk`, with a real Redis job store, four times:

  - without the compliance record (the baseline: what the service did before issue 11),
    twice, so the run-to-run noise shows;
  - with it on SQLite (the embedded default);
  - with it on a real PostgreSQL (a throwaway server from the machine's binaries);
  - with `--ab`, also on a second PostgreSQL server left at migration 0001 and written
    without overlapping the commit (the code before session 5), for an A/B in one run.

The four batches run INTERLEAVED, chunk by chunk (chunk 1 of each batch in turn, then
chunk 2, the order rotating): the machine is shared, and a load burst from elsewhere
then falls on all four alike instead of on whichever ran at that moment. Each batch's
time is the sum of its own chunks' times. It prints records/s of each, audit writes/s
(one audit entry per record, bulk-written per chunk, plus hit rows), the rate with audit
as a share of the baseline, and the audit's own cost per record (wall and worker CPU,
timed around the hook, less the job store's encoding of the results that the hook
overlaps with its commit), and for each PostgreSQL server its CPU, WAL bytes and WAL
sync time per record. The engine is frozen out of the garbage collector after it is
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
    server: Any = None  # its PostgreSQL server, if any


class ServerMeter:
    """What one PostgreSQL server spent over the run: the CPU of all its processes
    (from /proc: the postmaster, its children, and the children it reaped) and its WAL
    (bytes, syncs, sync time: pg_stat_wal with track_wal_io_timing on)."""

    def __init__(self, server: Any, url: str) -> None:
        import psycopg

        self.server = server
        self.dsn = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute("ALTER SYSTEM SET track_wal_io_timing = on")
            conn.execute("SELECT pg_reload_conf()")
        self.start: tuple[float, ...] = ()

    def _cpu(self) -> float:
        pm = int((self.server.dir / "data" / "postmaster.pid").read_text().split()[0])
        ticks = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid = int(stat.parent.name)
            if pid == pm or int(fields[1]) == pm:  # fields[1]: ppid
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
                if pid == pm:
                    ticks += int(fields[13]) + int(fields[14])  # reaped children
        return ticks / os.sysconf("SC_CLK_TCK")

    def _sample(self) -> tuple[float, ...]:
        import psycopg

        with psycopg.connect(self.dsn, autocommit=True) as conn:
            row = conn.execute("SELECT wal_bytes, wal_sync, wal_sync_time FROM pg_stat_wal"
                               ).fetchone()
        assert row is not None
        return (self._cpu(), float(row[0]), float(row[1]), float(row[2]))

    def begin(self) -> None:
        self.start = self._sample()

    def per_record(self, n: int) -> str:
        cpu, wal, syncs, sync_ms = (b - a for a, b in zip(self.start, self._sample(),
                                                          strict=True))
        return (f"server CPU {1e6 * cpu / n:.0f} µs, WAL {wal / n:,.0f} B, "
                f"{syncs / (n / 250):.1f} WAL syncs per 250 records taking "
                f"{1e3 * sync_ms / n:.1f} µs per record")


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


def _audited(name: str, db: Any, overlap: bool = True) -> Batch:
    from workers.compliance.batch import record_chunk

    batch = Batch(name, None)

    def hook(job: Any, chunk: int, recs: Any, res: Any, eng: Any,
             meanwhile: Any = None) -> None:
        if not overlap:  # --ab's "before" side: the commit waited for, then encoding
            meanwhile = None
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
    parser.add_argument("--ab", action="store_true",
                        help="A/B in the same run: add a batch on a second PostgreSQL server "
                        "left at migration 0001 and written without overlapping the commit "
                        "(session 5's other changes, binary COPY, are on both sides)")
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
    servers: list[PostgresServer] = []
    try:
        t0 = time.perf_counter()
        engine, ref, label = _engine()
        print(f"lists: {label}; {engine.entity_count} entities; built in "
              f"{time.perf_counter() - t0:.1f} s", flush=True)
        records = _records(args.records)
        print(f"batch: {len(records):,} records, chunks of {args.chunk_size}", flush=True)

        # (name, url, migration, overlap the commit)
        backends: list[tuple[str, str, str, bool]] = [
            ("sqlite", f"sqlite:///{tmp / 'compliance.db'}", "head", True)]
        bindir = binaries()
        if bindir is not None:
            sides = [("postgresql", "head", True)]
            if args.ab:
                sides.append(("postgresql at 0001, commit not overlapped (--ab)", "0001", False))
            for name, revision, overlap in sides:
                servers.append(PostgresServer(bindir, durable=not args.pg_no_fsync))
                servers[-1].start()
                backends.append((name, servers[-1].create_database("bench"), revision,
                                 overlap))
            print("PostgreSQL: " + ("fsync and full-page writes OFF (--pg-no-fsync)"
                                    if args.pg_no_fsync else "durable (fsync on, the defaults)"),
                  flush=True)
        else:
            print("PostgreSQL: no binaries found, skipped", flush=True)

        databases = []
        batches = [Batch("baseline (no audit)", None)]
        pg_servers = iter(servers)
        for name, url, revision, overlap in backends:
            upgrade(url, revision)
            databases.append(Database(url))
            batches.append(_audited(f"with audit, {name}", databases[-1], overlap))
            if url.startswith("postgresql"):
                batches[-1].server = ServerMeter(next(pg_servers), url)
        batches.append(Batch("baseline again (no audit)", None))
        for batch in batches:
            if batch.server is not None:
                batch.server.begin()
        run_interleaved(store, engine, ref, records, args.chunk_size, batches)
        for db in databases:  # backends exit, so their last WAL statistics are reported
            db.dispose()
        time.sleep(1.0)
        meters = [(b.name, b.server.per_record(len(records))) for b in batches if b.server]
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
        for name, figures in meters:
            print(f"{name}: {figures} (the server's side, per record)")
    finally:
        for pg in servers:
            pg.stop()
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
