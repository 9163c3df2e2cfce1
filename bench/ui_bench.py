"""Analyst page benchmark: not a test, a measurement. Needs Chromium and the compliance
record (GET /v1/hits).

Starts redis-server, `screening api` and one `screening worker` (the built-in kr-mofa
list), signs in with headless Chromium, then loads /ui/queue (newest first, and highest
score first) on an EMPTY queue (the baseline) and again once a job has put N open hits in
it; prints the median of several loads: navigation start to the rows drawn, and the
GET /v1/hits call alone.

    .venv/bin/python bench/ui_bench.py [--hits 10000] [--loads 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.embedded_redis import EmbeddedRedis, free_port  # noqa: E402
from api.processes import stop  # noqa: E402
from tests.browser.conftest import make_driver, sign_in  # noqa: E402
from tests.integration.http import call  # noqa: E402
from tests.integration.procs import service_env, start_worker, wait_until  # noqa: E402
from tests.integration.stack import Stack, create_tenant  # noqa: E402

SPELLINGS = ["Козлов Сергей Михайлович", "KOZLOV, Sergey Mikhaylovich", "Sergei Kozlov",
             "Panfilov Aleksandr Fyodorovich", "INTELLEKT LLC", "LADY R"]


def load_queue(driver: Any, url: str, loads: int) -> tuple[float, float, int]:
    """Median ms from navigation start to the rows drawn, of the API call alone, and the
    number of rows shown."""
    ready, api = [], []
    rows = 0
    for _ in range(loads):
        driver.get(url)
        wait_until(lambda: driver.execute_script("return document.body.dataset.queueReady"),
                   120, "the queue")
        ready.append(float(driver.execute_script("return document.body.dataset.readyMs")))
        api.append(float(driver.execute_script("return document.body.dataset.apiMs")))
        rows = int(driver.execute_script(
            "return document.querySelectorAll('#hits tbody tr').length"))
    return statistics.median(ready), statistics.median(api), rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hits", type=int, default=10_000)
    parser.add_argument("--loads", type=int, default=7)
    args = parser.parse_args()
    tmp = Path(f"/tmp/ui-bench-{uuid.uuid4().hex[:8]}")
    server = EmbeddedRedis(tmp / "redis", appendonly=False)
    server.start()
    env = service_env(server.url, tmp, SCREENING_RATE_LIMIT="1000000",
                      SCREENING_CHUNK_SIZE="500", SCREENING_MAX_RECORDS="1000000")
    key = create_tenant(env, "bench-bank")
    stack = Stack(server, env, f"http://127.0.0.1:{free_port()}", key, tmp)
    worker = start_worker(env, tmp / "worker.log")
    driver = None
    try:
        stack.start_api()
        status, _ = call("GET", f"{stack.base}/v1/hits?limit=1", key)
        if status != 200:
            print(f"GET /v1/hits answered {status}: the compliance record is not installed")
            return 2
        driver = make_driver()
        sign_in(driver, stack.base, key, "bench")
        views = {"newest first": f"{stack.base}/ui/queue?state=open&sort=newest",
                 "highest score first": f"{stack.base}/ui/queue?state=open&sort=score"}
        empty = {name: load_queue(driver, url, args.loads) for name, url in views.items()}

        records = [{"id": f"b{i}", "name": SPELLINGS[i % len(SPELLINGS)]}
                   for i in range(args.hits)]
        started = time.monotonic()
        status, job = call("POST", f"{stack.base}/v1/jobs", key, {"records": records},
                           timeout=300)
        assert status == 202, job
        wait_until(lambda: stack.job(job["id"])["status"] == "completed", 3600,
                   "the job", every=1.0)
        took = time.monotonic() - started
        _, page = call("GET", f"{stack.base}/v1/hits?state=open&limit=1", key)
        open_hits = page["counts"]["open"]
        full = {name: load_queue(driver, url, args.loads) for name, url in views.items()}

        print(f"\n{args.hits:,} records screened and recorded in {took:.1f} s; "
              f"open hits in the queue: {open_hits:,}")
        print(f"Median of {args.loads} loads of /ui/queue (50 rows a page), headless "
              "Chromium, same run:")
        print("| order | empty queue: page / API | "
              f"{open_hits:,} open hits: page / API | rows |")
        print("|---|---|---|---|")
        for name in views:
            (e_page, e_api, _), (f_page, f_api, rows) = empty[name], full[name]
            print(f"| {name} | {e_page:.0f} / {e_api:.0f} ms | {f_page:.0f} / {f_api:.0f} ms "
                  f"| {rows} |")
        return 0
    finally:
        if driver is not None:
            driver.quit()
        stop(worker)
        if stack.api is not None:
            stop(stack.api)
        server.stop()


if __name__ == "__main__":
    raise SystemExit(main())
