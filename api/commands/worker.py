"""`screening worker`: one Celery worker over Redis, plus its heartbeat and the stall
sweeper that re-queues chunks of jobs whose worker died."""

from __future__ import annotations

import argparse
import logging
import os
import socket
import threading
import time
from typing import Any

log = logging.getLogger("screening.worker")


def register(sub: Any) -> None:
    p = sub.add_parser("worker", help="run a Celery worker that screens job chunks")
    p.add_argument(
        "--concurrency",
        type=int,
        default=int(os.environ.get("SCREENING_WORKER_CONCURRENCY") or 1),
        help="chunks screened at once by this worker (default 1: one process, no pool)",
    )
    p.add_argument("--name", default=None, help="worker name (default: screening-<pid>@<host>)")
    p.set_defaults(func=run)


def _background(interval: float, fn: Any, stop: threading.Event) -> None:
    while not stop.wait(interval):
        try:
            fn()
        except Exception:  # keep beating through transient Redis errors
            log.exception("background task failed")


def run(args: argparse.Namespace) -> int:
    from api.logging_setup import configure_logging
    from workers import dispatch, engines, heartbeat, settings
    from workers.celery_app import get_celery
    from workers.connections import get_redis, get_store

    settings.redis_url()  # fail now, with instructions, when Redis is not configured
    configure_logging()
    if settings.WORKER_NICE:
        os.nice(settings.WORKER_NICE)
    name = args.name or f"screening-{os.getpid()}@{socket.gethostname()}"
    client = get_redis()
    stop = threading.Event()

    def beat() -> None:
        heartbeat.beat(client, settings.KEY_PREFIX, name)

    def sweep() -> None:
        # One sweeper at a time across workers: a short Redis lock.
        if client.set(f"{settings.KEY_PREFIX}sweeper", name, nx=True, ex=settings.STALL_SECONDS):
            requeued = dispatch.requeue_stalled(get_store(), settings.STALL_SECONDS, time.time())
            if requeued:
                log.warning("requeued stalled chunks", extra={"jobs": requeued})

    engines.current_engine()  # load the lists before taking work
    beat()
    threading.Thread(target=_background, args=(3.0, beat, stop), daemon=True).start()
    sweep_every = max(1.0, settings.STALL_SECONDS / 3)
    threading.Thread(target=_background, args=(sweep_every, sweep, stop), daemon=True).start()
    from workers.monitoring import service as monitoring

    monitoring.start_background(stop)  # list deltas, stalled runs, webhook deliveries
    import workers.tasks  # noqa: F401  (registers the tasks)

    argv = ["worker", "--loglevel=INFO", "-Q", settings.CHUNK_QUEUE, "-n", name]
    argv += ["--without-mingle", "--without-gossip"]  # no peer chatter: faster start
    argv += ["--pool=solo"] if args.concurrency <= 1 else [f"--concurrency={args.concurrency}"]
    try:
        get_celery().worker_main(argv=argv)
    finally:
        stop.set()
    return 0
