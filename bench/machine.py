"""What the benchmarks ran on, and the naive baseline every figure is shown beside."""

from __future__ import annotations

import csv
import os
import platform
import resource
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process, utils
from unidecode import unidecode

ROOT = Path(__file__).resolve().parent.parent
MIX = ROOT / "bench" / "data" / "bank_mix.csv"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_line() -> str:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"machine: {os.cpu_count()} cores ({usable} usable), CPU {cpu_model()}, "
        f"Python {platform.python_version()}, load average {load:.2f}"
    )


def pin_one_core() -> None:
    """Single-threaded and on one CPU: the figure means 'one core'."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[-1]})


def _proc_mb(path: str, field: str) -> float | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def rss_mb(pid: int | str = "self") -> float:
    found = _proc_mb(f"/proc/{pid}/status", "VmRSS:")
    return found if found is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pss_mb(pid: int | str) -> float:
    """Proportional set size: shared (copy-on-write) pages split between sharers."""
    found = _proc_mb(f"/proc/{pid}/smaps_rollup", "Pss:")
    return found if found is not None else float("nan")


def clear_matching_caches() -> None:
    """Empty every per-input lru_cache in matching.*: a timed pass starts cold, so
    screening the same queries twice cannot flatter the figure. The data-table loaders
    (lru_cache(maxsize=1): glossary, lexicon, romanisation models) stay loaded, as in a
    running worker or API process, which loads them once."""
    import sys

    for name, module in list(sys.modules.items()):
        if name == "matching" or name.startswith("matching."):
            for value in vars(module).values():
                clear = getattr(value, "cache_clear", None)
                if (
                    callable(clear)
                    and getattr(value, "__module__", None) == name
                    and value.cache_parameters().get("maxsize") != 1
                ):
                    clear()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass(slots=True)
class MixRow:
    id: str
    segment: str
    record: dict[str, str]


def read_mix(path: Path = MIX) -> list[MixRow]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            MixRow(r["id"], r["segment"], {k: v for k, v in r.items() if k != "segment" and v})
            for r in csv.DictReader(fh)
        ]


class Baseline:
    """The naive screener: unidecode, rapidfuzz default processing, WRatio against every
    list name, alert at >= 90. One core (workers=1), like the engine figure."""

    CUTOFF = 90.0

    def __init__(self, names: Sequence[str]) -> None:
        self.names = [utils.default_process(unidecode(n)) for n in names]

    def screen(self, queries: Sequence[str]) -> tuple[float, int]:
        """(seconds, queries alerting)."""
        qs = [utils.default_process(unidecode(q)) for q in queries]
        started = time.perf_counter()
        alerts = 0
        for start in range(0, len(qs), 50):
            block = process.cdist(
                qs[start : start + 50], self.names, scorer=fuzz.WRatio, dtype=np.uint8,
                workers=1,
            )
            alerts += int((block.max(axis=1) >= self.CUTOFF).sum())
        return time.perf_counter() - started, alerts
