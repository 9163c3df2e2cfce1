"""Engine benchmark on every real list loaded together (`make bench`).

Prints load time, index build time (target < 30 s), batch names/s on one core (target
>= 2,000), resident memory (target < 1.5 GB), and per-query cost at 10%, 50% and 100%
of the lists. Queries: list names re-spelled (Cyrillic, Hangul, Latin with typos) and
invented names, seeded.
"""

from __future__ import annotations

import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matching.engine import DEFAULT_THRESHOLD, Engine  # noqa: E402
from matching.lists import load_spec  # noqa: E402
from matching.model import LoadedList, Query  # noqa: E402

SEED = 20260402
N_QUERIES = 4000


def lists_dir() -> Path:
    return Path(os.environ.get("SCREENING_REAL_LISTS", ROOT.parent / "shared" / "data" / "lists"))


def rss_mb() -> float:
    """Current resident set size (Linux /proc), else peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def typo(rng: random.Random, name: str) -> str:
    if len(name) < 4:
        return name
    i = rng.randrange(1, len(name) - 1)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def make_queries(lists: list[LoadedList], n: int, rng: random.Random) -> list[Query]:
    names = [(e.schema, nm) for lst in lists for e in lst.entities for nm, _ in e.all_names()]
    first = ["Ivan", "Sergey", "Olga", "Min-jun", "Ji-woo", "Peter", "Anna", "Ahmed", "Chen"]
    last = ["Smith", "Kuznetsova", "Park", "Choi", "Novak", "Garcia", "Tanaka", "Wagner"]
    out: list[Query] = []
    for i in range(n):
        if i % 2:
            out.append(Query(name=f"{rng.choice(first)} {rng.choice(last)} {rng.randrange(1000)}"))
        else:
            schema, nm = rng.choice(names)
            out.append(Query(name=typo(rng, nm), schema=schema if i % 4 == 0 else None))
    return out


def per_query_ms(engine: Engine, queries: list[Query]) -> float:
    start = time.perf_counter()
    engine.screen_many(queries, threshold=DEFAULT_THRESHOLD)
    return (time.perf_counter() - start) / len(queries) * 1000


def main() -> int:
    path = lists_dir()
    if not path.is_dir():
        print(f"no list data at {path}: set SCREENING_REAL_LISTS", file=sys.stderr)
        return 2
    rng = random.Random(SEED)
    t0 = time.perf_counter()
    lists = load_spec(str(path))
    load_s = time.perf_counter() - t0
    n_ent = sum(len(lst.entities) for lst in lists)
    print(f"lists: {len(lists)} lists, {n_ent} entities from {path}")
    print(f"load time: {load_s:.1f} s")

    t0 = time.perf_counter()
    engine = Engine(lists)
    build_s = time.perf_counter() - t0
    print(
        f"index build: {build_s:.1f} s for {len(engine.names)} name forms "
        f"(target < 30 s) {'OK' if build_s < 30 else 'MISSED'}"
    )

    queries = make_queries(lists, N_QUERIES, rng)
    engine.screen_many(queries[:200])  # warm caches the way a running worker has them
    t0 = time.perf_counter()
    results = engine.screen_many(queries, threshold=DEFAULT_THRESHOLD)
    batch_s = time.perf_counter() - t0
    rate = len(queries) / batch_s
    hits = sum(1 for r in results if r)
    print(
        f"batch: {len(queries)} names in {batch_s:.2f} s = {rate:.0f} names/s on one core "
        f"(target >= 2000) {'OK' if rate >= 2000 else 'MISSED'}; {hits} with matches"
    )
    mem = rss_mb()
    print(f"resident memory: {mem:.0f} MB (target < 1536 MB) {'OK' if mem < 1536 else 'MISSED'}")

    print("per-query cost by list size (fresh queries each time):")
    for share in (0.1, 0.5, 1.0):
        part = [
            LoadedList(lst.meta, lst.entities[: max(1, int(len(lst.entities) * share))])
            for lst in lists
        ]
        sub = Engine(part)
        sample = make_queries(part, 1000, random.Random(SEED + int(share * 100)))
        sub.screen_many(sample[:100])
        ms = per_query_ms(sub, sample)
        print(
            f"  {int(share * 100):>3}% of lists: {sub.entity_count:>6} entities, {ms:.3f} ms/query"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
