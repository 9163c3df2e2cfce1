"""A worker's CPU priority: batch work yields the CPU to the API's instant checks.

Linux keeps a niceness per thread, and a new thread inherits its creator's. Libraries
start threads at import (numpy's BLAS pool, for one), so `lower_priority` renices every
thread the process already has, and runs before the worker starts its own (heartbeat,
sweeper, monitoring, Celery's pool), which then inherit it."""

from __future__ import annotations

import os
from pathlib import Path

_TASKS = Path("/proc/self/task")


def lower_priority(increment: int) -> int:
    """Add `increment` (>= 0) to this process's niceness, on every thread it has (the
    kernel caps it at 19); return the niceness now in force. 0 leaves it alone."""
    if increment < 0:
        raise ValueError("a worker only lowers its priority: increment must be >= 0")
    target = os.nice(increment) if increment else os.nice(0)  # this thread first
    if increment and _TASKS.is_dir():
        for task in _TASKS.iterdir():
            try:
                tid = int(task.name)
                if os.getpriority(os.PRIO_PROCESS, tid) < target:
                    os.setpriority(os.PRIO_PROCESS, tid, target)
            except (ValueError, ProcessLookupError):
                continue  # a thread that ended meanwhile
    return target
