"""What the broker guarantees when a worker dies mid-chunk (issue 10, item 14), for both
pools `screening worker` runs: the solo pool (the default, `--concurrency 1`, as serve,
compose and Kubernetes run it: one chunk at a time in the worker process) and prefork
(`--concurrency N` or SCREENING_WORKER_CONCURRENCY: chunks run in forked pool children).
Real Redis, real Celery workers, SIGKILL in the middle of a chunk; the stall sweeper (the
other safety net) is switched off, so only the broker can bring the chunk back; saving
is idempotent, so every record gets exactly one result.

- prefork, the whole worker killed (its container dies): `task_acks_late` keeps the
  chunk's message unacknowledged while it runs, so the broker delivers it again after
  SCREENING_VISIBILITY_TIMEOUT. Without acks_late the main process acknowledges the
  message as soon as a child accepts the chunk, and the chunk is lost.
- prefork, one pool child killed: the main process survives and sees its child lost;
  `task_reject_on_worker_lost` (with acks_late) puts the chunk back on the queue at once.
  Without either, Celery acknowledges the lost chunk as failed and it is never screened.
  The visibility timeout is set far beyond the test, so it cannot help.
- solo, worker killed: redelivered after the visibility timeout. Here acks_late makes
  no observable difference (measured, Celery 5.7): Celery sends acknowledgements through
  its event loop, which the solo pool blocks while a chunk runs, so an early ack would
  reach Redis only after the chunk anyway. What this path relies on is the broker's
  visibility timeout (`broker_transport_options`), and acks_late stays on so the
  guarantee does not hang on that implementation detail."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import redis

from api.processes import stop
from tests.integration.procs import wait_until
from tests.integration.stack import Stack
from workers.celery_app import TASK_SCREEN_CHUNK

pytestmark = pytest.mark.integration

CHUNK = 30_000  # one chunk of a few seconds of screening, so the kill lands mid-way
UNACKED = "unacked"  # kombu's Redis transport keeps delivered, unacknowledged messages here
QUEUE = "screening.chunks"


def _one_chunk_job_env(stack: Stack, visibility_timeout: int) -> None:
    assert stack.api is not None
    stop(stack.api)
    stack.env.update(SCREENING_STALL_SECONDS="100000", SCREENING_CHUNK_SIZE=str(CHUNK),
                     SCREENING_JOB_PARALLELISM="1",
                     SCREENING_VISIBILITY_TIMEOUT=str(visibility_timeout))
    stack.start_api()


def _chunk_messages(broker: redis.Redis, job_id: str) -> tuple[int, int]:
    """(queued, unacknowledged) broker messages carrying a chunk of this job."""

    def ours(message: dict[str, Any]) -> bool:
        headers = message["headers"]
        return bool(headers["task"] == TASK_SCREEN_CHUNK and job_id in headers["argsrepr"])

    queued = sum(ours(json.loads(m)) for m in broker.lrange(QUEUE, 0, -1))
    # Each unacknowledged entry is [message, exchange, routing key].
    unacked = sum(ours(json.loads(v)[0]) for v in broker.hvals(UNACKED))
    return queued, unacked


def _children(pid: int) -> list[int]:
    """PIDs of `pid`'s children (the prefork pool), as the kernel lists them per thread."""
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            out.update(int(c) for c in (task / "children").read_text().split())
    return sorted(out)


def _exactly_once(stack: Stack, job_id: str, final: dict[str, Any]) -> None:
    assert final["progress"]["done"] == CHUNK
    ids = [r["id"] for r in stack.all_results(job_id)]
    assert len(ids) == CHUNK and len(set(ids)) == CHUNK


def _start_running(stack: Stack, worker: subprocess.Popen[bytes]) -> str:
    job_id = stack.submit(CHUNK)
    wait_until(lambda: stack.job(job_id)["status"] == "running" or worker.poll() is not None,
               180, "the chunk to start", every=0.02)
    assert worker.poll() is None, "the worker exited before the chunk started"
    return job_id


def _redelivered_after_death(stack: Stack, broker: redis.Redis, job_id: str) -> None:
    """The dead worker's chunk is still with the broker, unacknowledged; a new worker
    gets it once the visibility timeout passes and completes the job exactly once."""
    assert stack.job(job_id)["progress"]["done"] == 0, "killed before the chunk was saved"
    assert _chunk_messages(broker, job_id) == (0, 1), "the chunk's message was acknowledged"
    final = stack.complete_with_new_worker(
        job_id, 180, "the broker to redeliver the unacknowledged chunk")
    _exactly_once(stack, job_id, final)
    assert _chunk_messages(broker, job_id) == (0, 0), "acknowledged once saved"


def _prefork_worker(stack: Stack) -> subprocess.Popen[bytes]:
    with (stack.tmp / "worker.log").open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "api.cli", "worker", "--concurrency", "2"],
            env=stack.env, stdout=out, stderr=out)


def _pool_children(worker: subprocess.Popen[bytes]) -> list[int]:
    return wait_until(lambda: c if len(c := _children(worker.pid)) >= 2 else [], 30,
                      "the prefork pool's children")


def test_solo_pool_a_chunk_whose_worker_dies_is_redelivered_after_the_timeout(
    stack: Stack,
) -> None:
    _one_chunk_job_env(stack, visibility_timeout=4)
    broker = redis.Redis.from_url(stack.redis.url)
    first = stack.worker()  # `screening worker`: the solo pool
    job_id = _start_running(stack, first)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    _redelivered_after_death(stack, broker, job_id)


def test_prefork_pool_a_chunk_whose_whole_worker_dies_is_redelivered_after_the_timeout(
    stack: Stack,
) -> None:
    _one_chunk_job_env(stack, visibility_timeout=4)
    broker = redis.Redis.from_url(stack.redis.url)
    worker = _prefork_worker(stack)
    try:
        job_id = _start_running(stack, worker)
        children = _pool_children(worker)
        # The main process first, so it cannot react; then its children, at once.
        worker.send_signal(signal.SIGKILL)
        for child in children:
            os.kill(child, signal.SIGKILL)
        worker.wait(10)
    finally:
        stop(worker)
    _redelivered_after_death(stack, broker, job_id)


def test_prefork_pool_a_chunk_whose_pool_child_dies_is_requeued_at_once(
    stack: Stack,
) -> None:
    _one_chunk_job_env(stack, visibility_timeout=100_000)  # no redelivery by timeout
    broker = redis.Redis.from_url(stack.redis.url)
    worker = _prefork_worker(stack)
    try:
        job_id = _start_running(stack, worker)
        for child in _pool_children(worker):  # the one running the chunk among them
            os.kill(child, signal.SIGKILL)
        time.sleep(0.5)
        assert worker.poll() is None, "the worker's main process must survive its children"
        assert stack.job(job_id)["progress"]["done"] == 0, "killed before the chunk was saved"

        # Fail fast when the chunk is lost: neither queued nor delivered, for 5 s in a
        # row (fetching it moves it between the two, never out of both for long).
        missing_since: float | None = None

        def done_or_lost() -> dict[str, Any] | None:
            nonlocal missing_since
            job = stack.job(job_id)
            if job["status"] == "completed":
                return job
            assert job["status"] == "running", job["status"]
            if _chunk_messages(broker, job_id) == (0, 0):
                missing_since = missing_since or time.monotonic()
                assert time.monotonic() - missing_since < 5, (
                    "the killed child's chunk was acknowledged: it is neither queued nor "
                    "delivered, and the job will never complete")
            else:
                missing_since = None
            return None

        final = wait_until(done_or_lost, 180, "the lost chunk to be requeued and completed",
                           every=0.2)
        assert final is not None
        assert worker.poll() is None
    finally:
        stop(worker)
    _exactly_once(stack, job_id, final)
    assert _chunk_messages(broker, job_id) == (0, 0)
    text = (stack.tmp / "worker.log").read_text(errors="replace")
    assert "WorkerLostError" in text, "no pool child was lost while running the chunk"
