"""Ongoing-monitoring benchmark (`make bench-monitor`): not a test, a measurement.

1. starts a Redis (AOF) and two `screening worker` processes with every shared list in
   force (SCREENING_REAL_LISTS) plus a small internal watchlist that plays the list
   being updated;
2. loads a book of N monitored records (default 1,000,000; --records) through the
   monitoring store, and times its screening by the workers: the full rescreen a list
   update would otherwise need (it also indexes the book for reverse screening);
3. updates the watchlist by a daily-size delta (150 entities added, 50 changed, names
   taken from the real lists) exactly as `screening lists update` does, and times it
   end to end until every alert is saved (worker engine rebuild included);
4. checks the alerts: every planted record (a customer bearing a delta entity's name)
   alerted, and a forward screening of a random sample of the book finds no delta hit
   the reverse screening missed; prints the ratio full rescreen / delta.

With --rescreen-sample N (when a full rescreen of the book does not fit the time there
is), the bench indexes the whole book itself (2 processes, no screening), times the
workers' screening run on N records of it, and extrapolates the full rescreen linearly
from that; the output says so. The delta is always run against the whole book.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from evaluate import (  # noqa: E402  (bench/ is not a package)
    KO_GIVEN,
    KO_SURNAMES,
    RU_FIRST,
    RU_PATRONYMIC,
    RU_SURNAMES,
    WESTERN,
)

HEADER = ["id", "name", "schema", "aliases", "birth_date", "country", "identifiers", "program"]
ADDED, CHANGED = 150, 50
TENANT = "bench-bank"


def book(n: int, rng: random.Random) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        kind = i % 4
        if kind == 0:
            name = f"{rng.choice(RU_SURNAMES)} {rng.choice(RU_FIRST)} {rng.choice(RU_PATRONYMIC)}"
        elif kind == 1:
            name = rng.choice(KO_SURNAMES) + rng.choice(KO_GIVEN) + rng.choice(KO_GIVEN)
        elif kind == 2:
            name = f"{rng.choice(WESTERN[0])} {rng.choice(WESTERN[1])}"
        else:
            first = rng.choice(RU_FIRST)
            name = f"{first} {rng.choice(RU_SURNAMES)}"
        out.append({"id": f"c{i}", "name": name, "schema": "Person",
                    "birth_date": str(rng.randint(1940, 2005))})
    return out


def delta_entities(lists_dir: str, rng: random.Random) -> list[Any]:
    from matching.lists import load_spec

    people = [e for lst in load_spec(lists_dir) for e in lst.entities
              if e.schema == "Person" and len(e.name.split()) >= 2 and not e.weak_aliases]
    return rng.sample(people, ADDED + CHANGED)


def write_watchlist(path: Path, entities: list[Any], version: int) -> None:
    """v1: the 50 to-be-changed entities without aliases; v2: all 200, with aliases."""
    rows = entities[ADDED:] if version == 1 else entities
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerow(["bench-0", "BENCH PLACEHOLDER ENTRY", "Organization", "", "", "", "", "b"])
        for i, e in enumerate(rows):
            # v2 gives each entity an alias more (its name in the other order, if it has none)
            more = e.aliases[:3] or [" ".join(reversed(e.name.split()))]
            aliases = ";".join(more) if version == 2 else ""
            w.writerow([f"bench-{i + 1 if version == 2 else i + 1 + ADDED}", e.name, "Person",
                        aliases, (e.birth_dates or [""])[0], (e.countries or [""])[0], "",
                        "bench"])
    os.replace(tmp, path)


def _index_slice(refs: list[int]) -> int:
    """Index monitored records for reverse screening (as a records chunk does), in a
    bench helper process; marks them screened without screening them."""
    from workers.monitoring import runs, service

    store = service.get_monitor()
    for start in range(0, len(refs), 1000):
        part = refs[start:start + 1000]
        docs = store.get_docs(part)
        runs.index_records(store, part, docs)
        store.mark_screened(((r, d["rev"]) for r, d in zip(part, docs, strict=True) if d),
                            time.time())
    return len(refs)


def wait_runs(store: Any, run_ids: list[str], label: str) -> None:
    last = 0.0
    while True:
        runs = [store.runs.get_job(r) for r in run_ids]
        done = sum(r.done for r in runs if r)
        total = sum(r.total for r in runs if r)
        if all(r is not None and r.finished for r in runs):
            return
        if time.monotonic() - last > 10:
            print(f"  {label}: {done:,}/{total:,}", file=sys.stderr, flush=True)
            last = time.monotonic()
        time.sleep(0.2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=int(
        os.environ.get("MONITOR_BENCH_RECORDS") or 1_000_000))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--rescreen-sample", type=int, default=0,
                        help="time the full rescreen on this many records and extrapolate")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop workers and Redis too
    lists_dir = os.environ.get("SCREENING_REAL_LISTS") or str(ROOT.parent / "shared/data/lists")
    if not Path(lists_dir).is_dir():
        raise SystemExit(f"no lists at {lists_dir}: set SCREENING_REAL_LISTS")
    rng = random.Random(12)
    tmp = Path(tempfile.mkdtemp(prefix="monitor-bench-"))
    watch = tmp / "bench_delta.csv"
    entities = delta_entities(lists_dir, rng)
    write_watchlist(watch, entities, 1)

    from api.embedded_redis import EmbeddedRedis
    from api.processes import stop

    redis_server = EmbeddedRedis(tmp / "redis", appendonly=True)
    url = redis_server.start()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")}
    env.update(SCREENING_REDIS_URL=url, SCREENING_DATA_DIR=str(tmp / "data"),
               SCREENING_LISTS=f"{lists_dir},{watch}", SCREENING_KEY_PREFIX="bench:",
               SCREENING_MONITOR_POLL_SECONDS="3600", PYTHONUNBUFFERED="1")
    os.environ.update({k: v for k, v in env.items() if k.startswith("SCREENING_")})
    import subprocess

    from workers.connections import get_redis
    from workers.heartbeat import alive_workers
    from workers.monitoring import runs, service

    workers = [subprocess.Popen([sys.executable, "-m", "api.cli", "worker", "--name", f"w{i}"],
                                env=env, stdout=(tmp / f"w{i}.log").open("ab"),
                                stderr=subprocess.STDOUT) for i in range(args.workers)]
    try:
        while len(alive_workers(get_redis(), "bench:")) < args.workers:
            time.sleep(0.5)
        store = service.get_monitor()
        t0 = time.perf_counter()
        service.check_lists(store)  # baseline: every list in force, watchlist v1
        print(f"lists in force as baseline in {time.perf_counter() - t0:.1f} s", file=sys.stderr)

        records = book(args.records, rng)
        planted = {}
        for i, e in enumerate(entities[:100]):
            rid = f"p{i}"
            planted[rid] = e
            records.append({"id": rid, "name": e.name, "schema": "Person"})
        print(f"book: {len(records):,} records ({len(planted)} planted)", file=sys.stderr)
        sampled = 0 < args.rescreen_sample < len(records)
        t0 = time.perf_counter()
        all_refs: list[int] = []
        for start in range(0, len(records), 20_000):
            all_refs += store.upsert(TENANT, records[start:start + 20_000])
        stored = time.perf_counter() - t0
        if sampled:
            from multiprocessing import get_context

            t1 = time.perf_counter()
            rest = sorted(set(all_refs) - set(rng.sample(all_refs, args.rescreen_sample)))
            slices = [rest[i::args.workers] for i in range(args.workers)]
            with get_context("fork").Pool(args.workers) as pool:
                pool.map(_index_slice, slices)
            indexed = time.perf_counter() - t1
            print(f"book: {len(rest):,} records indexed (not screened) by the bench in "
                  f"{indexed:.1f} s", file=sys.stderr)
            screen_refs = sorted(set(all_refs) - set(rest))
        else:
            screen_refs = all_refs
        t0 = time.perf_counter()
        run_ids = [runs.create_records_run(store, TENANT, screen_refs[i:i + 20_000]).id
                   for i in range(0, len(screen_refs), 20_000)]
        wait_runs(store, run_ids, "book screening")
        screened = time.perf_counter() - t0
        full = screened * len(records) / len(screen_refs)
        before = store.alert_counts(TENANT)["open"]
        print(f"book stored in {stored:.1f} s; {len(screen_refs):,} records screened and "
              f"indexed in {screened:.1f} s ({len(screen_refs) / screened:,.0f} records/s); "
              f"{before:,} open alerts", file=sys.stderr)

        write_watchlist(watch, entities, 2)
        t0 = time.perf_counter()
        delta_runs = service.check_lists(store)  # what `screening lists update` calls
        assert len(delta_runs) == 1, delta_runs
        wait_runs(store, delta_runs, "delta")
        delta = time.perf_counter() - t0
        run = store.runs.get_job(delta_runs[0])
        assert run is not None and run.status == "completed", run
        by_run = [a for a in store.iter_alerts(TENANT, "open")
                  if a["trigger"]["run_id"] == delta_runs[0]]
        alerted = {a["record"]["id"] for a in by_run}
        found_planted = sum(1 for rid in planted if rid in alerted)

        # Recall of the reverse screening against a forward one on a random sample.
        from workers import engines

        ref, _ = service.lists_in_force()
        engine = engines.engine_for(ref)
        delta_ids = {(f"internal_{watch.stem}", f"bench-{i + 1}") for i in range(len(entities))}
        sample = rng.sample(records, min(args.sample, len(records)))
        from workers.pipeline import screen_records

        # Per list entry, as monitoring alerts (a party on several lists is one job match).
        results = screen_records(engine, sample, threshold=runs.threshold(), limit=50,
                                 per_entry=True)
        forward = {r["id"] for r in results
                   if any((m["list"], m["source_id"]) in delta_ids for m in r["matches"])}
        missed = forward - alerted
        print()
        print(f"monitored records            {len(records):,}")
        print(f"delta                        {ADDED} added + {CHANGED} changed entities "
              f"(internal watchlist over {lists_dir})")
        if sampled:
            print(f"full rescreen (book run)     {full:,.1f} s  EXTRAPOLATED: the workers "
                  f"screened and indexed a random {len(screen_refs):,}-record sample in "
                  f"{screened:,.1f} s ({len(screen_refs) / screened:,.0f} records/s, "
                  f"{args.workers} workers), scaled linearly to {len(records):,} records; the "
                  f"rest of the book was only indexed, by the bench")
        else:
            print(f"full rescreen (book run)     {full:,.1f} s  ({len(records) / full:,.0f} "
                  f"records/s, {args.workers} workers; includes indexing)")
        print(f"delta end to end             {delta:,.1f} s  (target < 60 s)")
        print(f"ratio                        {full / delta:,.1f}x faster than a full rescreen"
              f"{' (extrapolated)' if sampled else ''}")
        print(f"alerts from the delta        {len(by_run):,} on {len(alerted):,} records")
        print(f"planted records alerted      {found_planted}/{len(planted)}")
        print(f"forward sample ({len(sample):,})      {len(forward)} records hit a delta entity;"
              f" missed by reverse: {len(missed)}")
        return 0
    finally:
        for w in workers:
            stop(w)
        redis_server.stop()


if __name__ == "__main__":
    raise SystemExit(main())
