"""A real `screening worker` runs every one of its threads at the niceness
SCREENING_WORKER_NICE adds (default 10), so a batch yields the CPU to instant checks."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def _nice(stat: Path) -> int:
    # /proc/.../stat: field 19 is the niceness (the fields after "(comm)" start at 3).
    return int(stat.read_text().rsplit(")", 1)[1].split()[16])


def test_every_worker_thread_runs_at_the_default_niceness(
    celery_worker: subprocess.Popen[bytes],
) -> None:
    # The fixture's worker inherits this process's niceness and adds the default, 10.
    expected = min(19, os.getpriority(os.PRIO_PROCESS, 0) + 10)
    tasks = list(Path(f"/proc/{celery_worker.pid}/task").iterdir())
    assert len(tasks) > 1  # heartbeat, sweeper, monitoring...: threads started later too
    assert {t.name: _nice(t / "stat") for t in tasks} == {t.name: expected for t in tasks}
