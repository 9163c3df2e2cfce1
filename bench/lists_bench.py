"""Load time of every real list together, per list and in total, and the engine build;
then the peak memory of parsing one 250 MB list file (the UN XML's individuals repeated
with fresh ids: official files reach that size), in a fresh process.

    python bench/lists_bench.py [FOLDER]   (default: $SCREENING_REAL_LISTS or ../shared/data/lists)
    BENCH_BIG_MB=0 skips the 250 MB file.

Each top-level folder of the shared data is one spec (the OFAC CSV set and the EU
Official Journal CSVs are folders of several files that make one list).
"""

from __future__ import annotations

import gc
import json
import os
import re
import subprocess
import sys
import tempfile
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
    megabytes = int(os.environ.get("BENCH_BIG_MB", "250"))
    if megabytes > 0:
        big_file_memory(root, megabytes)
    return 0


_PARSE = """
import json, resource, sys, time
from matching.lists import load_spec
t = time.perf_counter()
(loaded,) = load_spec(sys.argv[1])
print(json.dumps({"seconds": time.perf_counter() - t, "entities": len(loaded.entities),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def big_file_memory(root: Path, megabytes: int) -> None:
    """Peak RSS of a fresh process parsing one UN XML file of `megabytes`."""
    source = (root / "un_sc" / "consolidated.xml").read_text(encoding="utf-8")
    head, rest = source.split("<INDIVIDUALS>", 1)
    people, tail = rest.split("</INDIVIDUALS>", 1)
    copies = max(1, megabytes * 1_000_000 // len(people.encode()))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "un_big.xml"
        with path.open("w", encoding="utf-8") as fh:
            fh.write(head + "<INDIVIDUALS>")
            for i in range(copies):
                fh.write(re.sub(r"<DATAID>(\d+)", rf"<DATAID>{i}\1", people))
            fh.write("</INDIVIDUALS>" + tail)
        size = path.stat().st_size / 1e6
        out = subprocess.run([sys.executable, "-c", _PARSE, str(path)], cwd=ROOT,
                             capture_output=True, text=True)
    if out.returncode != 0:
        print(f"parsing a {size:.0f} MB UN XML file failed: {out.stderr.strip()[-300:]}")
        return
    fig = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"parsing one {size:.0f} MB list file (UN XML, {fig['entities']:,} entities): "
          f"{fig['seconds']:.1f} s, peak memory {fig['peak_mb']:,.0f} MB (fresh process)")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
