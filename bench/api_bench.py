"""End-to-end API benchmark (`make bench-api`): not a test, a measurement.

1. starts `screening serve` with every shared list loaded (SCREENING_REAL_LISTS, default
   ../shared/data/lists) on a free port with a temporary data directory;
2. submits one 100,000-record CSV batch mixing Cyrillic, Hangul and Latin names;
3. polls the job until it completes, printing progress;
4. reports sustained records/s through API -> Redis -> workers;
5. meanwhile runs instant checks (POST /v1/screen) and reports their p50/p99, both idle
   (before the batch) and during the batch;
then stops the service (SIGINT: the service stops its workers and its Redis).
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, ClassVar

ROOT = Path(__file__).resolve().parent.parent

CYR_FIRST = ["Сергей", "Иван", "Алексей", "Дмитрий", "Ольга", "Мария", "Анна", "Николай",
             "Татьяна", "Михаил", "Елена", "Андрей", "Юлия", "Павел", "Наталья"]
CYR_LAST = ["Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов",
            "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Лебедев", "Зайцев"]
CYR_PATRON = ["Сергеевич", "Иванович", "Петрович", "Александрович", "Николаевич", ""]
HANGUL_LAST = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신"]
HANGUL_SYL = ["민", "서", "지", "현", "수", "영", "준", "호", "은", "혜", "철", "광", "성",
              "진", "우", "희", "동", "경", "태", "연"]
LAT_FIRST = ["John", "Maria", "David", "Anna", "Peter", "Laura", "Ahmed", "Sofia", "Lucas",
             "Emma", "Carlos", "Fatima", "Oliver", "Chen", "Yusuf"]
LAT_LAST = ["Smith", "Garcia", "Mueller", "Rossi", "Dubois", "Johnson", "Nowak", "Silva",
            "Jensen", "Okafor", "Tanaka", "Haddad", "Kowalski", "Novak", "Fischer"]
# Designated names (several scripts) sprinkled in, so the batch has real hits.
LISTED = ["Козлов Сергей Михайлович", "KOZLOV, Sergey Mikhaylovich", "김영복", "리창호",
          "LADY R", "ANGARA", "INTELLEKT LLC", "노광철"]


def make_csv(n: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "name", "schema", "birth_date", "country", "identifier"])
    for i in range(n):
        kind = i % 3
        if i % 499 == 0:
            name, schema, country = LISTED[(i // 499) % len(LISTED)], "", ""
        elif kind == 0:
            name = f"{rng.choice(CYR_LAST)} {rng.choice(CYR_FIRST)} {rng.choice(CYR_PATRON)}"
            schema, country = "Person", "ru"
        elif kind == 1:
            name = rng.choice(HANGUL_LAST) + rng.choice(HANGUL_SYL) + rng.choice(HANGUL_SYL)
            schema, country = "Person", rng.choice(["kr", "kp", ""])
        else:
            name = f"{rng.choice(LAT_FIRST)} {rng.choice(LAT_LAST)}"
            schema, country = "", rng.choice(["de", "fr", "us", ""])
        birth = f"{rng.randint(1940, 2004)}-{rng.randint(1, 12):02d}" if i % 4 == 0 else ""
        writer.writerow([f"c{i}", name.strip(), schema, birth, country, ""])
    return out.getvalue().encode("utf-8")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Api:
    """A keep-alive JSON client for one thread."""

    def __init__(self, port: int, key: str) -> None:
        self.port, self.key = port, key
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def request(self, method: str, path: str, body: bytes | None = None,
                content_type: str = "application/json") -> tuple[int, Any, dict[str, str]]:
        headers = {"Authorization": f"Bearer {self.key}"}
        if body is not None:
            headers["Content-Type"] = content_type
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                raw = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
                if attempt:
                    raise
        data = json.loads(raw) if raw and response.getheader("Content-Type", "").startswith(
            "application/json") else raw
        return response.status, data, dict(response.getheaders())


def wait_ready(port: int, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"screening serve exited with code {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/readyz")
            response = conn.getresponse()
            body = response.read().decode()
            if response.status == 200:
                return
            last = body
        except OSError as exc:
            last = str(exc)
        time.sleep(1.0)
    raise SystemExit(f"service not ready after {timeout:.0f}s: {last}")


class InstantProbe(threading.Thread):
    """Sends instant checks back to back (with a small pause), recording latencies."""

    NAMES: ClassVar[list[str]] = [
        "Козлов Сергей Михайлович", "김영복", "John Smith", "Ivan Petrov", "LADY R",
        "Пётр Ильич Чайковский", "박지성", "Maria Garcia Lopez",
    ]

    def __init__(self, port: int, key: str, pause: float) -> None:
        super().__init__(daemon=True)
        self.api = Api(port, key)
        self.pause = pause
        self.stop_event = threading.Event()
        self.client_ms: list[float] = []
        self.server_ms: list[float] = []
        self.errors = 0

    def run(self) -> None:
        i = 0
        while not self.stop_event.is_set():
            name = self.NAMES[i % len(self.NAMES)]
            i += 1
            body = json.dumps({"name": name}).encode()
            started = time.perf_counter()
            status, data, _ = self.api.request("POST", "/v1/screen", body)
            elapsed = (time.perf_counter() - started) * 1000
            if status == 200:
                self.client_ms.append(elapsed)
                self.server_ms.append(float(data["took_ms"]))
            else:
                self.errors += 1
            self.stop_event.wait(self.pause)


def renice_workers(parent: int, increment: int) -> list[int]:
    """Lower the scheduling priority of `screening worker` children of `parent` (Linux)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == parent and b"worker" in cmdline:
            os.setpriority(os.PRIO_PROCESS, int(entry.name), increment)
            pids.append(int(entry.name))
    print(f"reniced workers {pids} to {increment}", flush=True)
    return pids


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def describe(label: str, probe: InstantProbe) -> dict[str, Any]:
    figures = {
        "count": len(probe.client_ms),
        "errors": probe.errors,
        "http_p50_ms": round(pct(probe.client_ms, 0.50), 2),
        "http_p99_ms": round(pct(probe.client_ms, 0.99), 2),
        "engine_p50_ms": round(pct(probe.server_ms, 0.50), 2),
        "engine_p99_ms": round(pct(probe.server_ms, 0.99), 2),
        "http_mean_ms": round(statistics.fmean(probe.client_ms), 2) if probe.client_ms else None,
    }
    print(f"instant check {label}: " + json.dumps(figures), flush=True)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 2)))
    parser.add_argument("--lists", default=os.environ.get("SCREENING_REAL_LISTS")
                        or str(ROOT.parent / "shared" / "data" / "lists"))
    parser.add_argument("--probe-pause", type=float, default=0.05,
                        help="seconds between instant checks")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--nice-workers", type=int, default=0,
                        help="experiment: renice the worker processes by this much, to see "
                        "how much of the instant check's tail is CPU contention")
    args = parser.parse_args()
    lists = Path(args.lists).resolve()
    if not lists.is_dir():
        raise SystemExit(f"shared lists not found at {lists}: set SCREENING_REAL_LISTS")

    data_dir = Path(tempfile.mkdtemp(prefix="screening-bench-"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")}
    env.update(SCREENING_LISTS=str(lists), SCREENING_DATA_DIR=str(data_dir),
               SCREENING_RATE_LIMIT="1000000", SCREENING_PORT=str(port),
               PYTHONUNBUFFERED="1")
    log_path = data_dir / "serve.log"
    print(f"starting screening serve on :{port} with {args.workers} worker(s), lists {lists}; "
          f"log {log_path}", flush=True)
    started = time.monotonic()
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--data-dir",
             str(data_dir), "--workers", str(args.workers)],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
        )
    figures: dict[str, Any] = {"records": args.records, "workers": args.workers}
    try:
        wait_ready(port, proc, timeout=600)
        figures["startup_seconds"] = round(time.monotonic() - started, 1)
        print(f"ready after {figures['startup_seconds']} s", flush=True)
        if args.nice_workers:
            figures["workers_reniced"] = renice_workers(proc.pid, args.nice_workers)
        key = (data_dir / "dev-api-key").read_text().strip()
        api = Api(port, key)
        _, lists_body, _ = api.request("GET", "/v1/lists")
        names = [f"{v['name']}@{v['version']}" for v in lists_body["lists"]]
        figures["lists"] = names
        print(f"lists loaded: {len(names)}: {', '.join(names)}", flush=True)

        idle = InstantProbe(port, key, args.probe_pause)
        idle.start()
        time.sleep(10)
        idle.stop_event.set()
        idle.join()
        figures["instant_idle"] = describe("idle", idle)

        body = make_csv(args.records)
        print(f"submitting {args.records} records as CSV ({len(body) / 1e6:.1f} MB)", flush=True)
        probe = InstantProbe(port, key, args.probe_pause)
        t_submit = time.monotonic()
        status, job, _ = api.request("POST", "/v1/jobs?reference=bench", body, "text/csv")
        t_accepted = time.monotonic()
        if status != 202:
            raise SystemExit(f"submission failed: {status} {job}")
        figures["submit_seconds"] = round(t_accepted - t_submit, 2)
        print(f"accepted job {job['id']} in {figures['submit_seconds']} s", flush=True)
        probe.start()
        while True:
            time.sleep(2.0)
            _, job, _ = api.request("GET", f"/v1/jobs/{job['id']}")
            p = job["progress"]
            print(f"  {job['status']:<9} {p['done']:>7}/{p['total']} ({p['percent']:5.1f}%) "
                  f"{p['records_per_second']:8.1f} rec/s  hits {job['hits']}", flush=True)
            if job["status"] in ("completed", "failed", "cancelled"):
                break
        t_done = time.monotonic()
        probe.stop_event.set()
        probe.join()
        if job["status"] != "completed":
            raise SystemExit(f"job ended {job['status']}: {job.get('error')}")
        end_to_end = args.records / (t_done - t_submit)
        figures.update(
            status=job["status"], hits=job["hits"],
            end_to_end_seconds=round(t_done - t_submit, 1),
            end_to_end_records_per_second=round(end_to_end, 1),
            worker_phase_records_per_second=job["progress"]["records_per_second"],
        )
        print(f"batch: {args.records} records in {figures['end_to_end_seconds']} s end to end "
              f"(submit to completed, polled every 2 s): {figures['end_to_end_records_per_second']}"
              f" records/s; worker phase {figures['worker_phase_records_per_second']} records/s; "
              f"{job['hits']} records with hits", flush=True)
        figures["instant_during_batch"] = describe("during the batch", probe)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        print(f"service stopped (exit code {proc.returncode})", flush=True)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
