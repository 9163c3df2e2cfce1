"""One tenant's large batch does not starve another tenant's small job: a job has only a
few chunks in flight, so a later job's chunks are queued between them and finish long
before the large batch does. Real Redis, one real worker, HTTP."""

from __future__ import annotations

import pytest

from api.processes import stop
from tests.integration.procs import wait_until
from tests.integration.stack import Stack

pytestmark = pytest.mark.integration


def test_small_job_finishes_while_a_large_batch_is_still_running(stack: Stack) -> None:
    employer = stack.tenant("fairness-employer")
    worker = stack.worker()
    try:
        big = stack.submit(3000)  # 600 chunks of 5 for the bank
        wait_until(lambda: stack.job(big)["status"] == "running", 60, "the batch to start")
        small = stack.submit(5, key=employer)
        wait_until(
            lambda: stack.job(small, key=employer)["status"] == "completed",
            60,
            "the small job to complete",
        )
        batch = stack.job(big)
    finally:
        stop(worker)
    assert batch["status"] == "running", "the large batch should still be running"
    assert batch["progress"]["done"] < batch["progress"]["total"] // 2
