"""The delivery guarantee of the solo pool with the Redis broker (issue 10, item 14).

`screening worker` runs Celery's solo pool: one chunk at a time in the worker process.
When the worker dies in the middle of a chunk, the broker delivers the chunk again once
the visibility timeout passes (at-least-once), and saving is idempotent, so every
record gets exactly one result. This test switches the stall sweeper off (the other
safety net), so the job can only complete through the broker's redelivery.

Measured: with this pool and broker the redelivery happens even when acks_late is
switched off, so this test states the guarantee the deployment really gives; it does
not single out acks_late (which matters for the prefork pool, not tested here)."""

from __future__ import annotations

import signal

import pytest

from api.processes import stop
from tests.integration.procs import wait_until
from tests.integration.stack import Stack

pytestmark = pytest.mark.integration


def test_a_chunk_whose_worker_dies_mid_way_is_redelivered_by_the_broker(stack: Stack) -> None:
    assert stack.api is not None
    stop(stack.api)
    stack.env.update(SCREENING_STALL_SECONDS="100000", SCREENING_CHUNK_SIZE="4000",
                     SCREENING_JOB_PARALLELISM="1", SCREENING_VISIBILITY_TIMEOUT="4")
    stack.start_api()
    first = stack.worker()
    job_id = stack.submit(4000)  # one chunk: several seconds of screening
    wait_until(lambda: stack.job(job_id)["status"] == "running", 180, "the chunk to start",
               every=0.02)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    assert stack.job(job_id)["progress"]["done"] == 0, "killed before the chunk was saved"

    second = stack.worker()
    try:
        final = wait_until(lambda: (j := stack.job(job_id))["status"] == "completed" and j,
                           180, "the broker to redeliver the unacknowledged chunk")
    finally:
        stop(second)
    assert final["progress"]["done"] == 4000
    ids = [r["id"] for r in stack.all_results(job_id)]
    assert len(ids) == 4000 and len(set(ids)) == 4000
