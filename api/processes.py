"""Child processes that cannot outlive their parent.

Linux's PR_SET_PDEATHSIG makes the kernel send SIGTERM to a child when the parent dies,
even by SIGKILL, so neither an embedded redis-server nor a worker is ever orphaned.
"""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def spawn(
    argv: Sequence[str],
    env: dict[str, str] | None = None,
    before: Callable[[], None] | None = None,
) -> subprocess.Popen[bytes]:
    """Start a child that dies with us; `before` runs in the child before exec."""

    def prepare() -> None:
        _die_with_parent()
        if before is not None:
            before()

    return subprocess.Popen(list(argv), env=env, preexec_fn=prepare)


def stop(proc: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    """SIGTERM, then SIGKILL if it does not exit in time."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
