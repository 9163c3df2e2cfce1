"""Engine benchmark on every real list loaded together (`make bench`).

Screens the committed bank-traffic mix (bench/data/bank_mix.csv, see make_bank_mix.py)
on ONE core and prints names/s per segment and overall (targets: >= 2,000 overall, no
segment below 1,000), each pass from cold caches, beside the naive baseline (unidecode +
rapidfuzz WRatio over every list name, one core, same run, on every 8th query of the mix:
it is ~100x slower) and the
ratio. Also: list load time and peak memory while parsing, index build time, warm start
(the saved index loaded instead of rebuilt), resident memory, and per-query cost at 10%,
50% and 100% of the lists.
"""

from __future__ import annotations

import gc
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import (  # noqa: E402
    Baseline,
    clear_matching_caches,
    machine_line,
    peak_rss_mb,
    pin_one_core,
    read_mix,
    rss_mb,
)
from matching.engine import DEFAULT_THRESHOLD, Engine  # noqa: E402
from matching.lists import load_spec  # noqa: E402
from matching.model import LoadedList, Query  # noqa: E402
from matching.records import query_from_record  # noqa: E402

SEED = 20260402
BASELINE_EVERY = 8
TARGET_ALL, TARGET_SEGMENT = 2000, 1000


def lists_dir() -> Path:
    return Path(os.environ.get("SCREENING_REAL_LISTS", ROOT.parent / "shared" / "data" / "lists"))


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def typo(rng: random.Random, name: str) -> str:
    if len(name) < 4:
        return name
    i = rng.randrange(1, len(name) - 1)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def scaling_queries(lists: list[LoadedList], n: int, rng: random.Random) -> list[Query]:
    names = [(e.schema, nm) for lst in lists for e in lst.entities for nm, _ in e.all_names()]
    out: list[Query] = []
    for _ in range(n):
        schema, nm = rng.choice(names)
        out.append(Query(name=typo(rng, nm), schema=schema))
    return out


def timed(engine: Engine, queries: list[Query]) -> float:
    """One pass from cold caches (engine and matching.*): only repeats within the
    queries themselves are served from cache, as in real traffic."""
    clear = getattr(engine, "clear_caches", None)  # absent before issue 14 (before figures)
    if clear is not None:
        clear()
    clear_matching_caches()
    started = time.perf_counter()
    engine.screen_many(queries, threshold=DEFAULT_THRESHOLD)
    return time.perf_counter() - started


def warm_start(path: Path) -> None:
    """Two fresh processes get every list ready through the registry, as a restarted
    worker or API does: the first builds and saves the index, the second loads it."""
    if not (ROOT / "matching" / "index_store.py").exists():
        print("warm start: no saved index in this version (every start rebuilds)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")}
        env["SCREENING_DATA_DIR"] = tmp
        runs = []
        for _ in range(2):
            out = subprocess.run(
                [sys.executable, str(ROOT / "bench" / "warm_start.py"), str(path)],
                env=env, capture_output=True, text=True, check=True,
            )
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        size = sum(p.stat().st_size for p in Path(tmp).rglob("*.idx")) / 1e6
    cold, warm = runs
    print(f"cold start (parse + build + save, new process): {cold['total_s']:.1f} s")
    print(f"warm start (saved index, {size:.0f} MB, new process): {warm['total_s']:.2f} s "
          f"(imports {warm['imports_s']:.2f} s + lists ready {warm['ready_s']:.2f} s), "
          f"RSS {warm['rss_mb']} MB (target < 3 s) {verdict(warm['total_s'] < 3)}")


def main() -> int:
    path = lists_dir()
    if not path.is_dir():
        print(f"no list data at {path}: set SCREENING_REAL_LISTS", file=sys.stderr)
        return 2
    pin_one_core()
    print(machine_line())
    print("engine figures on ONE core (pinned); baseline = unidecode + WRatio, one core\n")

    before = peak_rss_mb()
    t0 = time.perf_counter()
    lists = load_spec(str(path))
    load_s = time.perf_counter() - t0
    n_ent = sum(len(lst.entities) for lst in lists)
    n_names = sum(len(e.all_names()) for lst in lists for e in lst.entities)
    disk = sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6
    print(f"lists: {len(lists)} lists, {n_ent:,} entities, {n_names:,} names ({disk:.0f} MB "
          f"of files) from {path}")
    print(f"load time: {load_s:.1f} s; peak memory while parsing: {peak_rss_mb():.0f} MB "
          f"(process peak before: {before:.0f} MB)")

    t0 = time.perf_counter()
    engine = Engine(lists)
    build_s = time.perf_counter() - t0
    gc.collect()
    gc.freeze()  # as workers/engines.py does with every engine it keeps
    print(f"index build: {build_s:.1f} s for {len(engine.names):,} name forms "
          f"(target < 30 s) {verdict(build_s < 30)}")
    warm_start(path)

    mix = read_mix()
    queries = [query_from_record(r.record) for r in mix]
    by_segment: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(mix):
        by_segment[r.segment].append(i)
    batch_s = timed(engine, queries)
    results = engine.screen_many(queries, threshold=DEFAULT_THRESHOLD)
    rate = len(queries) / batch_s
    alerts = sum(1 for r in results if r)

    base = Baseline([nm for lst in lists for e in lst.entities for nm, _ in e.all_names()])
    sample = list(range(0, len(mix), BASELINE_EVERY))
    base_s = 0.0
    base_alerts = 0
    print(f"\nmix: {len(queries):,} queries from {Path('bench/data/bank_mix.csv')}, "
          f"threshold {DEFAULT_THRESHOLD}")
    print(f"{'segment':<18}{'queries':>8}{'engine n/s':>12}{'baseline n/s':>14}{'ratio':>8}"
          f"{'alerts':>8}{'base alerts':>13}")
    worst = float("inf")
    for segment in sorted(by_segment):
        idx = by_segment[segment]
        seg_q = [queries[i] for i in idx]
        seg_rate = len(seg_q) / min(timed(engine, seg_q) for _ in range(2))
        worst = min(worst, seg_rate)
        seg_alerts = sum(1 for i in idx if results[i])
        seg_sample = [i for i in idx if i % BASELINE_EVERY == 0]
        b_s, b_alerts = base.screen([mix[i].record["name"] for i in seg_sample])
        b_rate = len(seg_sample) / b_s if seg_sample else float("nan")
        base_s += b_s
        base_alerts += b_alerts
        print(f"{segment:<18}{len(seg_q):>8}{seg_rate:>12,.0f}{b_rate:>14,.1f}"
              f"{seg_rate / b_rate:>7.0f}x{seg_alerts / len(idx):>8.1%}"
              f"{(b_alerts / len(seg_sample)) if seg_sample else 0:>13.1%}")
    base_rate = len(sample) / base_s
    print(f"{'ALL':<18}{len(queries):>8}{rate:>12,.0f}{base_rate:>14,.1f}"
          f"{rate / base_rate:>7.0f}x{alerts / len(queries):>8.1%}"
          f"{base_alerts / len(sample):>13.1%}")
    print(f"\nbatch: {rate:,.0f} names/s on one core (target >= {TARGET_ALL:,}) "
          f"{verdict(rate >= TARGET_ALL)}; slowest segment {worst:,.0f} names/s "
          f"(target >= {TARGET_SEGMENT:,}) {verdict(worst >= TARGET_SEGMENT)}; "
          f"baseline {base_rate:,.1f} names/s ({rate / base_rate:,.0f}x slower)")
    mem = rss_mb()
    print(f"resident memory: {mem:.0f} MB (target < 1536 MB) {verdict(mem < 1536)}")
    del base

    print("per-query cost by list size (typo'd list names, fresh engine each time):")
    for share in (0.1, 0.5, 1.0):
        part = [
            LoadedList(lst.meta, lst.entities[: max(1, int(len(lst.entities) * share))])
            for lst in lists
        ]
        sub = engine if share == 1.0 else Engine(part)
        sample_q = scaling_queries(part, 1000, random.Random(SEED + int(share * 100)))
        ms = timed(sub, sample_q) / len(sample_q) * 1000
        print(f"  {int(share * 100):>3}% of lists: {sub.entity_count:>6} entities, "
              f"{ms:.3f} ms/query")
    return 0


if __name__ == "__main__":
    sys.exit(main())
