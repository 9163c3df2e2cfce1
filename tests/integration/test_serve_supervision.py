"""`screening serve` heals and explains itself (issue 10, items 6, 9, 15, 16):

- its embedded Redis, SIGKILLed in the middle of a batch, is restarted on the same port;
  meanwhile the API answers 503 (never 500), and the job completes with exactly one
  result per record;
- the Redis data is private (0700 directory, 0600 files) and needs a password;
- the README's tenant-creation command works exactly as written, from the folder serve
  runs in, with no SCREENING_REDIS_URL;
- a bad configuration stops serve at once with one clear message, no traceback."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis

from api.embedded_redis import free_port
from tests.integration.http import answers, call
from tests.integration.procs import wait_until
from tests.integration.test_serve import _redis_pids

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")}
    env.update(PYTHONUNBUFFERED="1", PYTHONPATH=str(ROOT), **extra)
    return env


def _readme_tenant_command() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return next(line for line in text.splitlines() if "tenants create acme-bank" in line)


def test_redis_killed_mid_batch_is_restarted_and_the_job_completes(tmp_path: Path) -> None:
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")  # the README runs in a project folder
    port = free_port()
    env = _env(SCREENING_CHUNK_SIZE="20", SCREENING_STALL_SECONDS="3",
               SCREENING_VISIBILITY_TIMEOUT="5", SCREENING_RATE_LIMIT="100000")
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
                                env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    data = tmp_path / ".screening"
    try:
        wait_until(lambda: answers(f"{base}/readyz"), 120, "the service to become ready")

        # Item 15: the README's command, verbatim, finds the running service's Redis.
        made = subprocess.run(["bash", "-c", _readme_tenant_command() + ' && echo "$KEY"'],
                              cwd=tmp_path, env=_env(), capture_output=True, text=True)
        assert made.returncode == 0, made.stderr
        key = made.stdout.strip()
        assert key.startswith("sk_")

        # Item 6: private files, and a password.
        redis_dir = data / "redis"
        assert stat.S_IMODE(redis_dir.stat().st_mode) == 0o700
        files = [p for p in redis_dir.rglob("*") if p.is_file()]
        assert any("appendonly" in p.name for p in files), files
        assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files), [
            (p.name, oct(p.stat().st_mode)) for p in files]
        assert stat.S_IMODE((data / "redis.url").stat().st_mode) == 0o600
        redis_port = int((redis_dir / "port").read_text())
        with pytest.raises(redis.exceptions.AuthenticationError):
            redis.Redis(port=redis_port).ping()

        # Item 9: kill Redis in the middle of a batch.
        records = [{"id": f"r{i}", "name": f"Person Number{i} Testcase"} for i in range(600)]
        records[0]["name"] = "Козлов Сергей Михайлович"
        status, job = call("POST", f"{base}/v1/jobs", key, {"records": records})
        assert status == 202, job
        statuses: list[int] = []
        stop = threading.Event()

        def poll() -> None:
            while not stop.is_set():
                for method, path, body in (("GET", f"/v1/jobs/{job['id']}", None),
                                           ("POST", "/v1/screen", {"name": "Anna Example"})):
                    with contextlib.suppress(OSError):
                        statuses.append(call(method, base + path, key, body, timeout=10)[0])
                time.sleep(0.05)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        wait_until(lambda: call("GET", f"{base}/v1/jobs/{job['id']}", key)[1]["progress"]["done"]
                   >= 40, 120, "the batch to start")
        (pid,) = _redis_pids(redis_port)
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: "embedded Redis restarted" in log_path.read_text(), 60,
                   "serve to restart Redis")

        def finished() -> bool:
            code, body = call("GET", f"{base}/v1/jobs/{job['id']}", key)
            return code == 200 and body["status"] == "completed"

        wait_until(finished, 300, "the job to complete after the Redis restart", every=0.5)
        stop.set()
        poller.join(15)
        results: list[dict[str, object]] = []
        cursor = ""
        while True:
            code, page = call("GET", f"{base}/v1/jobs/{job['id']}/results?limit=500"
                              f"&cursor={cursor}", key)
            assert code == 200, page
            results += page["results"]
            cursor = page["next_cursor"]
            if not cursor:
                break
        ids = [r["id"] for r in results]
        assert sorted(ids) == sorted(f"r{i}" for i in range(600)) and len(set(ids)) == 600
        assert all(r["status"] == "ok" for r in results)
        assert 500 not in statuses, f"a 500 was answered: {sorted(set(statuses))}"
        assert set(statuses) <= {200, 503}, sorted(set(statuses))
        text = log_path.read_text()
        assert re.search(r"embedded Redis exited with code -?\d+; restarting it in", text)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(60)


def _serve_fails(tmp_path: Path, *args: str, **env: str) -> str:
    done = subprocess.run([sys.executable, "-m", "api.cli", "serve", *args], cwd=tmp_path,
                          env=_env(SCREENING_DATA_DIR=str(tmp_path / "d"), **env),
                          capture_output=True, text=True, timeout=120)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "Traceback" not in output, output
    return output


def test_a_wrong_lists_path_stops_at_once_with_one_message(tmp_path: Path) -> None:
    out = _serve_fails(tmp_path, SCREENING_LISTS="/nowhere/lists.xml")
    assert "SCREENING_LISTS: '/nowhere/lists.xml' is neither a built-in list" in out
    assert "restarting" not in out


def test_a_bad_number_setting_is_one_clear_line(tmp_path: Path) -> None:
    out = _serve_fails(tmp_path, SCREENING_WORKERS="two")
    assert "SCREENING_WORKERS='two' is not a whole number" in out


def test_a_port_in_use_stops_at_once(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        out = _serve_fails(tmp_path, "--port", str(port))
    assert f"port {port} on 127.0.0.1 is already in use" in out


def test_a_list_file_that_cannot_load_stops_serve_instead_of_restarting(tmp_path: Path) -> None:
    bad = ROOT / "tests" / "fixtures" / "lists" / "bad" / "malformed.xml"
    out = _serve_fails(tmp_path, "--port", str(free_port()), SCREENING_LISTS=str(bad))
    assert "the lists cannot be loaded" in out
    assert "refused its configuration" in out
    assert out.count("restarting it") == 0


def test_redis_crashing_more_than_five_times_a_minute_stops_serve(tmp_path: Path) -> None:
    """Item 9: serve restarts a crashed Redis with backoff up to the limit (5 crashes a
    minute by default); the 6th crash within the minute stops serve with one clear line
    and a non-zero exit, leaving no process behind."""
    port = free_port()
    data = tmp_path / "d"
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port),
             "--api-processes", "1"],
            env=_env(SCREENING_DATA_DIR=str(data)), cwd=tmp_path, stdout=log,
            stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: answers(f"http://127.0.0.1:{port}/readyz") or proc.poll() is not None,
                   120, "the service to become ready")
        assert proc.poll() is None, log_path.read_text()
        redis_port = int((data / "redis" / "port").read_text())
        password = (data / "redis" / "password").read_text().strip()

        def one_redis() -> int | None:
            pids = _redis_pids(redis_port)
            return pids[0] if len(pids) == 1 else None

        for crash in range(1, 6):  # below the limit: restarted every time
            os.kill(wait_until(one_redis, 30, "one redis-server"), signal.SIGKILL)
            wait_until(lambda n=crash: log_path.read_text().count("embedded Redis restarted")
                       >= n or proc.poll() is not None, 60, f"restart {crash}")
            assert proc.poll() is None, f"serve stopped after {crash} crash(es):\n" + \
                log_path.read_text()[-3000:]
            assert f"(crash {crash} in the last minute)" in log_path.read_text()
            assert redis.Redis(port=redis_port, password=password).ping()

        os.kill(wait_until(one_redis, 30, "one redis-server"), signal.SIGKILL)  # the 6th
        code = proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            proc.wait(60)
    text = log_path.read_text()
    assert code == 1, text[-3000:]
    stops = [line for line in text.splitlines() if "keeps crashing" in line]
    assert stops == [
        "screening serve: stopping: embedded Redis keeps crashing (6 times in the last "
        "minute, last exit code -9); not restarting it again. Its messages above say why; "
        "fix the cause and start again."], stops
    assert text.count("embedded Redis restarted") == 5
    assert text.rstrip().endswith("stopped."), text[-1000:]
    assert _redis_pids(redis_port) == [], "serve left a redis-server behind"
