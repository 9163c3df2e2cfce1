"""Load time of every real list together, per list and in total, and the engine build.

    python bench/lists_bench.py [FOLDER]   (default: $SCREENING_REAL_LISTS or ../shared/data/lists)

Each top-level folder of the shared data is one spec (the OFAC CSV set and the EU
Official Journal CSVs are folders of several files that make one list).
"""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # runnable as a script without installing the package

from matching.engine import Engine  # noqa: E402
from matching.lists import load_spec  # noqa: E402
from matching.model import LoadedList  # noqa: E402


def _folder(argv: list[str]) -> Path:
    raw = (
        argv[1]
        if len(argv) > 1
        else os.environ.get("SCREENING_REAL_LISTS") or "../shared/data/lists"
    )
    path = Path(raw).resolve()
    if not path.is_dir():
        raise SystemExit(
            f"{path} is not a folder: set SCREENING_REAL_LISTS to the shared list data"
        )
    return path


def main(argv: list[str]) -> int:
    root = _folder(argv)
    specs = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    print(f"lists under {root}\n")
    print(f"{'LIST':<42}{'ENTITIES':>10}{'NAMES':>10}{'LOAD s':>10}")
    lists: list[LoadedList] = []
    gc.collect()
    total_start = time.perf_counter()
    for spec in specs:
        start = time.perf_counter()
        loaded = load_spec(str(spec))
        took = time.perf_counter() - start
        lists += loaded
        for item in loaded:
            share = took / len(loaded)  # a folder holding several lists: split evenly
            m = item.meta
            print(f"{m.name:<42}{m.entity_count:>10,}{m.name_count:>10,}{share:>10.3f}")
    load_total = time.perf_counter() - total_start
    entities = sum(x.meta.entity_count for x in lists)
    names = sum(x.meta.name_count for x in lists)
    label = f"TOTAL ({len(lists)} lists)"
    print(f"{label:<42}{entities:>10,}{names:>10,}{load_total:>10.3f}")

    start = time.perf_counter()
    engine = Engine(lists)
    build = time.perf_counter() - start
    print(f"\nengine index build: {build:.3f} s for {engine.entity_count:,} entities")
    print(f"load + build: {load_total + build:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
