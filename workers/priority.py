"""A worker's CPU priority: batch work yields the CPU to the API's instant checks.

Linux keeps a niceness per thread, and a new thread inherits its creator's: so this
runs first thing in `screening worker`, before any thread starts (heartbeat, sweeper,
monitoring, Celery's pool), and every thread and pool process the worker later creates
runs at the lowered priority."""

from __future__ import annotations

import os


def lower_priority(increment: int) -> int:
    """Add `increment` (>= 0) to this thread's niceness (the kernel caps it at 19);
    return the niceness now in force. 0 leaves it alone."""
    if increment < 0:
        raise ValueError("a worker only lowers its priority: increment must be >= 0")
    return os.nice(increment) if increment else os.nice(0)
