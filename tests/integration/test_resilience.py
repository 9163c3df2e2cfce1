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
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from api.embedded_redis import EmbeddedRedis, free_port
from api.processes import stop
from tests.integration.http import answers, call
from tests.integration.procs import service_env, start_worker, wait_until

pytestmark = pytest.mark.integration


@dataclass
class Stack:
    redis: EmbeddedRedis
    env: dict[str, str]
    base: str
    key: str
    tmp: Path
    api: subprocess.Popen[bytes]

    def start_api(self) -> None:
        port = self.base.rsplit(":", 1)[1]
        self.api = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "api", "--port", port],
            env=self.env,
            stdout=(self.tmp / "api.log").open("ab"),
            stderr=subprocess.STDOUT,
        )
        wait_until(lambda: answers(f"{self.base}/healthz"), 60, "the API to answer")

    def worker(self) -> subprocess.Popen[bytes]:
        return start_worker(self.env, self.tmp / "worker.log")

    def submit(self, n: int) -> str:
        records = [{"id": f"r{i}", "name": f"Person Number{i} Test"} for i in range(n)]
        records[0]["name"] = "Козлов Сергей Михайлович"
        status, body = call("POST", f"{self.base}/v1/jobs", self.key, {"records": records})
        assert status == 202, body
        return str(body["id"])

    def job(self, job_id: str) -> dict[str, Any]:
        status, body = call("GET", f"{self.base}/v1/jobs/{job_id}", self.key)
        assert status == 200, body
        return dict(body)

    def all_results(self, job_id: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        url = f"{self.base}/v1/jobs/{job_id}/results?limit=500"
        cursor: str | None = None
        while True:
            status, page = call("GET", url + (f"&cursor={cursor}" if cursor else ""), self.key)
            assert status == 200, page
            out += page["results"]
            cursor = page.get("next_cursor")
            if not cursor:
                return out


def create_tenant(env: dict[str, str], name: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", "tenants", "create", name, "--role", "bank"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().split()[-1]


@pytest.fixture()
def stack(tmp_path: Path) -> Iterator[Stack]:
    server = EmbeddedRedis(tmp_path / "redis", appendonly=True)
    server.start()
    env = service_env(
        server.url,
        tmp_path,
        SCREENING_CHUNK_SIZE="5",
        SCREENING_JOB_PARALLELISM="2",
        SCREENING_STALL_SECONDS="3",
        SCREENING_VISIBILITY_TIMEOUT="4",
        SCREENING_RATE_LIMIT="100000",
    )
    key = create_tenant(env, "resilience-bank")
    port = free_port()
    s = Stack(server, env, f"http://127.0.0.1:{port}", key, tmp_path, None)  # type: ignore[arg-type]
    s.start_api()
    yield s
    stop(s.api)
    server.stop()


def test_worker_killed_mid_job_another_finishes_it_exactly_once(stack: Stack) -> None:
    first = stack.worker()
    job_id = stack.submit(2000)  # 400 chunks of 5
    wait_until(lambda: stack.job(job_id)["progress"]["done"] >= 50, 120, "work to start")
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    at_kill = stack.job(job_id)
    assert at_kill["status"] != "completed", "the job finished before the worker was killed"

    second = stack.worker()
    try:
        final = wait_until(
            lambda: (j := stack.job(job_id))["status"] == "completed" and j,
            180,
            "the second worker to finish the job",
        )
    finally:
        stop(second)
    assert final["progress"]["done"] == 2000
    results = stack.all_results(job_id)
    ids = [r["id"] for r in results]
    assert len(ids) == 2000 and sorted(ids) == sorted(f"r{i}" for i in range(2000))
    kozlov = next(r for r in results if r["id"] == "r0")
    assert kozlov["matches"], "the Cyrillic Kozlov record should hit"


def test_job_queued_across_redis_and_api_restart_still_completes(stack: Stack) -> None:
    job_id = stack.submit(40)
    assert stack.job(job_id)["status"] == "queued"

    stop(stack.api)
    stack.redis.stop()  # SHUTDOWN flushes the AOF
    stack.redis.start()
    stack.start_api()
    assert stack.job(job_id)["status"] == "queued"

    worker = stack.worker()
    try:
        final = wait_until(
            lambda: (j := stack.job(job_id))["status"] == "completed" and j,
            120,
            "the job to complete after the restart",
        )
    finally:
        stop(worker)
    assert final["progress"]["done"] == 40
    assert len(stack.all_results(job_id)) == 40
