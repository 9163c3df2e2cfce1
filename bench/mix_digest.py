"""Every result of the bank mix, written out exactly, to prove a speed change changed
nothing (`python bench/mix_digest.py OUT.json`, then compare two files with --compare).

Screens bench/data/bank_mix.csv on every shared list at the default policy and at
threshold 0 (top 10 per query, below-threshold names included), and records each match's
list, id, score (exact float repr) and whole explanation.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import read_mix  # noqa: E402
from matching.engine import Engine  # noqa: E402
from matching.lists import load_spec  # noqa: E402
from matching.records import query_from_record  # noqa: E402


def digest(lists_path: str) -> dict[str, Any]:
    engine = Engine(load_spec(lists_path))
    mix = read_mix()
    queries = [query_from_record(r.record) for r in mix]
    out: dict[str, Any] = {}
    for label, threshold in (("default", None), ("zero", 0.0)):
        results = engine.screen_many(queries, threshold=threshold)
        out[label] = {
            row.id: [
                [m.list, m.source_id, repr(m.score), m.matched_name,
                 json.dumps(m.explanation, sort_keys=True, ensure_ascii=False)]
                for m in matches
            ]
            for row, matches in zip(mix, results, strict=True)
        }
    blob = json.dumps(out, sort_keys=True, ensure_ascii=False).encode()
    out["sha256"] = hashlib.sha256(blob).hexdigest()
    return out


def compare(a: dict[str, Any], b: dict[str, Any]) -> int:
    diffs = 0
    for label in ("default", "zero"):
        for qid, matches in a[label].items():
            if b[label].get(qid) != matches:
                diffs += 1
                if diffs <= 10:
                    print(f"{label} {qid}:\n  a={matches}\n  b={b[label].get(qid)}")
    print(f"{diffs} queries differ" if diffs else "identical")
    return 1 if diffs else 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", nargs="?")
    ap.add_argument("--compare", nargs=2, metavar=("A", "B"))
    args = ap.parse_args()
    if args.compare:
        a, b = (json.loads(Path(p).read_text("utf-8")) for p in args.compare)
        return compare(a, b)
    lists = os.environ.get("SCREENING_REAL_LISTS", str(ROOT.parent / "shared" / "data" / "lists"))
    found = digest(lists)
    Path(args.out).write_text(json.dumps(found, ensure_ascii=False), "utf-8")
    print(found["sha256"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
