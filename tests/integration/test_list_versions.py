"""List updates across real processes: `screening lists update` (CLI), `screening api` and
`screening worker` share one data dir; nothing is restarted after an update.

- A job queued on version 1 is screened on version 1 even though version 2 is in force
  by the time a worker takes it (its pinned snapshot is rebuilt exactly).
- The running API pins new jobs to the new version without a restart.
- The running worker screens them on it, and picks up a later change too.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from api.embedded_redis import EmbeddedRedis, free_port
from api.processes import stop
from tests.integration.http import answers, call
from tests.integration.procs import job_pinning, service_env, start_worker, wait_until

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "registry"
OFAC_FILES = ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")
DELISTED = "ANGLO-CARIBBEAN CO., LTD."  # ent 173: in v1, not in v2
ADDED = "FIXTURE VERSION TWO SHIPPING LLC"  # ent 90002: in v2 only


@pytest.fixture
def list_server() -> Iterator[str]:
    """Serves tests/fixtures/registry/ofac_v1/ and ofac_v2/ as OFAC download folders."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = self.path.strip("/").split("/")
            path = FIXTURES / f"ofac_{parts[0]}" / parts[-1]
            ok = len(parts) == 2 and parts[0] in ("v1", "v2") and parts[1] in OFAC_FILES
            body = path.read_bytes() if ok else b"not found"
            self.send_response(200 if ok else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@dataclass
class Service:
    env: dict[str, str]
    base: str
    key: str
    lists_url: str

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "api.cli", *args], env=self.env,
                              capture_output=True, text=True, timeout=120)  # fmt: skip

    def update(self, version: str) -> str:
        done = self.cli("lists", "update", "--url", f"us_ofac_sdn={self.lists_url}/{version}/")
        assert done.returncode == 0, done.stderr
        return done.stdout

    def ofac_in_force(self) -> dict[str, Any]:
        status, body = call("GET", f"{self.base}/v1/lists", self.key)
        assert status == 200, body
        return next(v for v in body["lists"] if v["name"] == "us_ofac_sdn")

    def submit(self) -> str:
        records = [{"id": "old", "name": DELISTED}, {"id": "new", "name": ADDED}]
        status, body = call("POST", f"{self.base}/v1/jobs", self.key, {"records": records})
        assert status == 202, body
        return str(body["id"])

    def finished(self, job_id: str) -> dict[str, Any]:
        def done() -> dict[str, Any] | None:
            body = call("GET", f"{self.base}/v1/jobs/{job_id}", self.key)[1]
            return body if body["status"] == "completed" else None

        return wait_until(done, 90, f"job {job_id} to complete")

    def submit_pinned(self, version: str) -> str:
        """A completed job that pinned `version` of the OFAC list."""
        job = job_pinning(lambda: self.finished(self.submit()), "us_ofac_sdn", version)
        return str(job["id"])

    def hits(self, job_id: str) -> dict[str, set[str]]:
        status, page = call("GET", f"{self.base}/v1/jobs/{job_id}/results?limit=10", self.key)
        assert status == 200, page
        return {r["id"]: {m["source_id"] for m in r["matches"]} for r in page["results"]}


@pytest.fixture
def service(tmp_path: Path, list_server: str) -> Iterator[Service]:
    redis_server = EmbeddedRedis(tmp_path / "redis", appendonly=False)
    redis_server.start()
    env = service_env(redis_server.url, tmp_path / "data", SCREENING_RATE_LIMIT="100000")
    created = subprocess.run(
        [sys.executable, "-m", "api.cli", "tenants", "create", "lists-bank", "--role", "bank"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    port = free_port()
    svc = Service(env, f"http://127.0.0.1:{port}", created.stdout.strip().split()[-1], list_server)
    svc.update("v1")
    api = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "api", "--port", str(port)], env=env,
        stdout=(tmp_path / "api.log").open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_until(lambda: answers(f"{svc.base}/healthz"), 60, "the API to answer")
        yield svc
    finally:
        stop(api)
        redis_server.stop()


def test_jobs_keep_their_version_and_running_processes_follow_updates(
    service: Service, tmp_path: Path
) -> None:
    v1 = service.ofac_in_force()
    assert v1["entity_count"] == 10
    job_on_v1 = service.submit()  # no worker yet: it waits in the queue, pinned to v1

    assert "-> undated+" in service.update("v2")
    # The running API moves to v2 by itself (background rebuild, no restart).
    v2 = wait_until(lambda: (v := service.ofac_in_force())["version"] != v1["version"] and v,
                    60, "the API to pick up list version 2")  # fmt: skip
    assert v2["entity_count"] == 11

    worker = start_worker(service.env, tmp_path / "worker.log")
    try:
        # The worker started on v2, yet screens the queued job on its pinned v1.
        done_v1 = service.finished(job_on_v1)
        assert [v["version"] for v in done_v1["lists"] if v["name"] == "us_ofac_sdn"] == [
            v1["version"]
        ]
        assert service.hits(job_on_v1) == {"old": {"173"}, "new": set()}
        job_on_v2 = service.submit_pinned(v2["version"])
        assert service.hits(job_on_v2) == {"old": set(), "new": {"90002"}}

        # v1's content again: its snapshot is reused and made current; the same worker
        # process and the same API process follow without a restart.
        service.update("v1")
        wait_until(lambda: service.ofac_in_force()["version"] == v1["version"], 60,
                   "the API to pick up list version 1 again")  # fmt: skip
        job_back_on_v1 = service.submit_pinned(v1["version"])
        assert service.hits(job_back_on_v1) == {"old": {"173"}, "new": set()}
        assert worker.poll() is None  # never restarted
    finally:
        stop(worker)
