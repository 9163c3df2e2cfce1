"""CPU milliseconds per instant check, in one process (not a test, a measurement).

Wall-clock figures mean little on a shared machine; CPU time per request does not
depend on what else runs. This drives POST /v1/screen through the Flask app in-process
(no HTTP server, no sockets: what the API process itself spends per check, engine
included) with a real Redis (the embedded redis-server) and a real SQLite compliance
database, over the names of bench/data/bank_mix.csv, and prints CPU ms per request,
overall and without the engine's share. Logging is configured as
`screening serve` configures it (JSON lines, INFO), written to /dev/null. Profile it
with py-spy (`py-spy record --gil -- .venv/bin/python bench/api_cpu.py`).

    .venv/bin/python bench/api_cpu.py [--requests 4000] [--threads 8] [--lists SPEC]

Default lists: the built-in kr-mofa list only (fast to load: the figure is the API's
own overhead plus a small engine); pass --lists ../shared/data/lists for every list.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--lists", default="kr-mofa")
    parser.add_argument("--threads", type=int, default=8,
                        help="client threads (default 8: one API process's request threads, "
                        "so audit entries group-commit as they do under load)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="screening-apicpu-"))
    for key in [k for k in os.environ if k.startswith("SCREENING_")]:
        del os.environ[key]
    os.environ.update(SCREENING_LISTS=str(args.lists), SCREENING_DATA_DIR=str(tmp / "data"),
                      SCREENING_RATE_LIMIT="100000000")
    import logging

    from api.embedded_redis import EmbeddedRedis

    server = EmbeddedRedis(tmp / "redis", appendonly=False)
    url = server.start()
    os.environ["SCREENING_REDIS_URL"] = url
    try:
        from api.app import create_app
        from api.logging_setup import configure_logging
        from api.tenants import TenantStore
        from bench.machine import machine_line, read_mix
        from workers.compliance.db import upgrade

        configure_logging()  # as `screening serve`: one JSON line per request, and more
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler):
                handler.setStream(open(os.devnull, "w"))  # noqa: SIM115
        db_url = f"sqlite:///{tmp / 'compliance.db'}"
        upgrade(db_url)
        app = create_app({"REDIS_URL": url, "DATABASE_URL": db_url})
        app.extensions["screening_warmup"].done.wait()
        store: TenantStore = app.extensions["screening"].tenants
        _, key = store.create("bench", "bank")
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        bodies = [json.dumps(r.record).encode() for r in read_mix()]
        warm = app.test_client()
        for body in bodies[:200]:  # warm: caches, connections, the writer thread
            assert warm.post("/v1/screen", data=body, headers=headers).status_code == 200
        from matching.engine import Engine

        original = Engine.screen_many
        engine_cpu: list[float] = []

        def timed(self: Engine, *a: object, **kw: object) -> object:
            started = time.thread_time()
            try:
                return list(original(self, *a, **kw))  # type: ignore[arg-type]
            finally:
                engine_cpu.append(time.thread_time() - started)

        statuses: dict[int, int] = {}

        def drive(offset: int) -> None:
            client = app.test_client()
            for i in range(offset, args.requests, args.threads):
                status = client.post("/v1/screen", data=bodies[i % len(bodies)],
                                     headers=headers).status_code
                statuses[status] = statuses.get(status, 0) + 1

        Engine.screen_many = timed  # type: ignore[method-assign]
        threads = [threading.Thread(target=drive, args=(t,)) for t in range(args.threads)]
        cpu = time.process_time()
        wall = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        cpu = time.process_time() - cpu  # every thread: the audit writer's included
        wall = time.perf_counter() - wall
        Engine.screen_many = original  # type: ignore[method-assign]
        n = args.requests
        print(machine_line())
        engine = sum(engine_cpu)
        print(f"lists {args.lists}: {n} instant checks in-process from {args.threads} threads, "
              f"statuses {statuses}")
        print(f"CPU per request {cpu / n * 1000:.2f} ms (engine {engine / n * 1000:.2f} ms, "
              f"the rest {(cpu - engine) / n * 1000:.2f} ms); wall {wall / n * 1000:.2f} ms")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
