"""An accepted job is never lost and never duplicated.

- A worker SIGKILLed in the middle of a multi-chunk job: a new worker finishes the job
  with exactly one result for every record.
- Redis restarted (AOF on) while a job is queued, and the API restarted too: the job
  still completes once a worker runs.

Everything is real: redis-server, `screening api` and `screening worker` processes, and
HTTP between them.
"""

from __future__ import annotations

import signal

import pytest

from api.processes import stop
from tests.integration.procs import wait_until
from tests.integration.stack import Stack

pytestmark = pytest.mark.integration


def test_worker_killed_mid_job_another_finishes_it_exactly_once(stack: Stack) -> None:
    first = stack.worker()
    job_id = stack.submit(2000)  # 400 chunks of 5
    wait_until(lambda: stack.job(job_id)["progress"]["done"] >= 50, 120, "work to start")
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    at_kill = stack.job(job_id)
    assert at_kill["status"] != "completed", "the job finished before the worker was killed"

    final = stack.complete_with_new_worker(job_id, 180, "the second worker to finish the job")
    assert final["progress"]["done"] == 2000
    results = stack.all_results(job_id)
    ids = [r["id"] for r in results]
    assert len(ids) == 2000 and sorted(ids) == sorted(f"r{i}" for i in range(2000))
    kozlov = next(r for r in results if r["id"] == "r0")
    assert kozlov["matches"], "the Cyrillic Kozlov record should hit"


def test_job_queued_across_redis_and_api_restart_still_completes(stack: Stack) -> None:
    job_id = stack.submit(40)
    assert stack.job(job_id)["status"] == "queued"

    assert stack.api is not None
    stop(stack.api)
    stack.redis.stop()  # SHUTDOWN flushes the AOF
    stack.redis.start()
    stack.start_api()
    assert stack.job(job_id)["status"] == "queued"

    final = stack.complete_with_new_worker(job_id, 120, "the job to complete after the restart")
    assert final["progress"]["done"] == 40
    assert len(stack.all_results(job_id)) == 40
