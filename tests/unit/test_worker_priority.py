"""SCREENING_WORKER_NICE: a worker lowers its CPU priority by the setting (default 10,
at most 19), on its own thread and every thread it starts afterwards, so a batch yields
the CPU to instant checks on a shared machine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import os, threading
from workers.priority import lower_priority
before = os.getpriority(os.PRIO_PROCESS, 0)
early, go = [], threading.Event()  # a thread started BEFORE (as libraries do at import)
def wait():
    go.wait(); early.append(os.getpriority(os.PRIO_PROCESS, 0))
t0 = threading.Thread(target=wait); t0.start()
now = lower_priority({increment})
go.set(); t0.join()
seen = []
t = threading.Thread(target=lambda: seen.append(os.getpriority(os.PRIO_PROCESS, 0)))
t.start(); t.join()
print(before, now, os.getpriority(os.PRIO_PROCESS, 0), early[0], seen[0])
"""


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("increment", [0, 3, 10, 40])
def test_lower_priority_applies_to_every_thread_before_and_after(increment: int) -> None:
    out = _run(PROBE.format(increment=increment))
    assert out.returncode == 0, out.stderr
    before, now, main, early, later = map(int, out.stdout.split())
    expected = min(19, before + increment)
    assert now == main == early == later == expected


def test_a_worker_never_raises_its_priority() -> None:
    from workers.priority import lower_priority

    with pytest.raises(ValueError):
        lower_priority(-1)


@pytest.mark.parametrize(("value", "expected"), [(None, "10"), ("0", "0"), ("19", "19")])
def test_setting_default_and_range(value: str | None, expected: str) -> None:
    env = {} if value is None else {"SCREENING_WORKER_NICE": value}
    out = _run("from workers import settings; print(settings.WORKER_NICE)", **env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == expected


@pytest.mark.parametrize("value", ["20", "-1", "low"])
def test_bad_setting_stops_at_start_naming_the_variable(value: str) -> None:
    out = _run("from workers import settings", SCREENING_WORKER_NICE=value)
    assert out.returncode != 0
    assert "SCREENING_WORKER_NICE" in out.stderr
