"""`screening serve` runs the whole service from one command, with no system Redis:
it answers /readyz, screens a Cyrillic name through Redis and a worker to a hit on the
built-in kr-mofa list, and on SIGINT stops every child, leaving no redis-server behind."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import redis

from api.embedded_redis import EmbeddedRedis, free_port
from tests.integration.http import answers, call
from tests.integration.procs import wait_until


def _redis_pids(port: int) -> list[int]:
    """PIDs of redis-server processes on this port (redis-server retitles itself
    "redis-server 127.0.0.1:PORT", so the title is what to match)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            args = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "redis-server" in args and f":{port}" in args:
            pids.append(int(proc.name))
    return pids


def _api_pids(port: int) -> list[int]:
    """PIDs of `screening api` processes on this port (a gunicorn master and its forks)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"api" in args and b"--port" in args and str(port).encode() in args:
            pids.append(int(proc.name))
    return pids


def _embedded_port(log: Path) -> int:
    match = re.search(r"embedded Redis on 127\.0\.0\.1:(\d+)", log.read_text())
    assert match, "serve should say where its embedded Redis listens"
    return int(match.group(1))


def test_serve_screens_through_redis_and_a_worker_then_stops_cleanly(tmp_path: Path) -> None:
    port = free_port()
    data_dir = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")}
    env.update(SCREENING_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--api-processes", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: answers(f"{base}/readyz"), 90, "the service to become ready")
        # One API master and two forked request processes sharing its engine.
        wait_until(lambda: len(_api_pids(port)) == 3, 30, "a master and two API processes")
        # One request per connection (SCREENING_API_KEEPALIVE=0): a client's next request
        # goes to whichever API process is free, not back to this one however busy.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/readyz")
        response = conn.getresponse()
        response.read()
        conn.close()
        assert response.status == 200 and response.getheader("Connection") == "close"
        key = (data_dir / "dev-api-key").read_text().strip()
        status, job = call(
            "POST",
            f"{base}/v1/jobs",
            key,
            {"records": [{"id": "c-1", "name": "Козлов Сергей Михайлович"}]},
        )
        assert status == 202, job

        def finished() -> dict[str, object] | None:
            _, body = call("GET", f"{base}/v1/jobs/{job['id']}", key)
            return body if body["status"] in ("completed", "failed") else None

        final = wait_until(finished, 60, "the job to finish")
        assert final["status"] == "completed"
        _, page = call("GET", f"{base}/v1/jobs/{job['id']}/results", key)
        (result,) = page["results"]
        assert result["id"] == "c-1"
        assert any("KOZLOV" in m["name"].upper() for m in result["matches"]), result
        # The dev tenant is audited like any tenant: its creation, then its screening.
        _, trail = call("GET", f"{base}/v1/audit", key)
        kinds = [(e["kind"], e["data"].get("action")) for e in trail["entries"]]
        assert kinds[0] == ("tenant", "created"), kinds
        assert ("screening", None) in kinds, kinds
        redis_port = _embedded_port(tmp_path / "serve.log")
        assert _redis_pids(redis_port), "serve should have started its own redis-server"
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(60)
        log.close()
    assert code == 0, (tmp_path / "serve.log").read_text()
    wait_until(lambda: not _redis_pids(redis_port), 10, "the embedded redis-server to exit")
    wait_until(lambda: not _api_pids(port), 15, "every API process to exit")


def test_serve_uses_the_configured_redis_and_starts_none(tmp_path: Path) -> None:
    external = EmbeddedRedis(tmp_path / "external", appendonly=False)
    external.start()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")}
    env.update(
        SCREENING_DATA_DIR=str(tmp_path / "data"),
        SCREENING_REDIS_URL=external.url,
        PYTHONUNBUFFERED="1",
    )
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_until(lambda: answers(f"http://127.0.0.1:{port}/readyz"), 90, "readiness")
        workers = redis.Redis.from_url(external.url).keys("screening:workers:*")
        assert workers, "the worker should beat in the configured Redis"
        assert "embedded Redis" not in log_path.read_text()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(60)
        external.stop()
