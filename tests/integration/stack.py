"""A whole service as separate real processes, for black-box tests: a redis-server with
AOF, `screening api`, tenants made with `screening tenants create`, and workers started
and killed at will."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from api.embedded_redis import EmbeddedRedis, free_port
from api.processes import stop
from tests.integration.http import answers, call
from tests.integration.procs import service_env, start_worker, wait_until


@dataclass
class Stack:
    redis: EmbeddedRedis
    env: dict[str, str]
    base: str
    key: str
    tmp: Path
    api: subprocess.Popen[bytes] | None = field(default=None)

    def start_api(self) -> None:
        """Start (or restart) `screening api` on the stack's port."""
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

    def complete_with_new_worker(self, job_id: str, timeout: float, what: str) -> dict[str, Any]:
        """Start a worker, wait for the job to complete (failing with `what` after
        `timeout` s), stop the worker; the completed job."""
        worker = self.worker()
        try:
            return wait_until(lambda: (j := self.job(job_id))["status"] == "completed" and j,
                              timeout, what)
        finally:
            stop(worker)

    def submit(self, n: int, key: str | None = None) -> str:
        records = [{"id": f"r{i}", "name": f"Person Number{i} Test"} for i in range(n)]
        records[0]["name"] = "Козлов Сергей Михайлович"
        body_in = {"records": records}
        status, body = call("POST", f"{self.base}/v1/jobs", key or self.key, body_in)
        assert status == 202, body
        return str(body["id"])

    def job(self, job_id: str, key: str | None = None) -> dict[str, Any]:
        status, body = call("GET", f"{self.base}/v1/jobs/{job_id}", key or self.key)
        assert status == 200, body
        return dict(body)

    def tenant(self, name: str) -> str:
        return create_tenant(self.env, name)

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
    """A fresh service per test: Redis with AOF, the API, one tenant; no workers yet."""
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
    s = Stack(server, env, f"http://127.0.0.1:{port}", key, tmp_path)
    s.start_api()
    yield s
    if s.api is not None:
        stop(s.api)
    server.stop()
