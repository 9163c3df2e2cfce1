"""Helpers to run the real parts in tests: redis-server, workers, the API, as processes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from api.processes import spawn

T = TypeVar("T")


def wait_until(predicate: Callable[[], T], timeout: float, what: str, every: float = 0.1) -> T:
    """Poll until `predicate()` is truthy; fail naming what never happened."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(every)


def job_pinning(
    run_job: Callable[[], dict[str, Any]], list_name: str, version: str
) -> dict[str, Any]:
    """Run jobs (`run_job` submits one and returns it completed) until one pins `version`.

    Each API process picks a list update up on its own, so just after an update a job
    may still pin the previous version; the job says which one in its `lists`."""
    for _ in range(30):
        job = run_job()
        if any(v["name"] == list_name and v["version"] == version for v in job["lists"]):
            return job
        time.sleep(1)
    raise AssertionError(f"no job pinned {list_name} {version}")


def service_env(redis_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """Environment for child processes of one test: its own Redis and key prefix."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")}
    env.update(
        SCREENING_REDIS_URL=redis_url,
        SCREENING_DATA_DIR=str(data_dir),
        SCREENING_KEY_PREFIX=f"test-{uuid.uuid4().hex[:8]}:",
        SCREENING_LISTS="kr-mofa",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "api.cli", "worker"], env=env, stdout=out, stderr=out
        )


def start_process(argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return spawn(argv, env=env)
