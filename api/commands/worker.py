"""`screening worker`: one Celery worker over Redis, plus its heartbeat and the stall
sweeper that re-queues chunks of jobs whose worker died."""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
import threading
import time
from typing import Any

from matching.errors import ScreeningError

log = logging.getLogger("screening.worker")
EX_CONFIG = 78


def register(sub: Any) -> None:
    p = sub.add_parser("worker", help="run a Celery worker that screens job chunks")
    p.add_argument(
        "--concurrency",
        type=int,
        default=None,
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
    from workers.priority import lower_priority

    # First, before the worker starts its threads (Linux keeps niceness per thread).
    lower_priority(settings.WORKER_NICE)
    settings.redis_url()  # fail now, with instructions, when Redis is not configured
    configure_logging()
    from workers.compliance.db import upgrade

    upgrade()  # the compliance database's migrations (idempotent, locked)
    name = args.name or f"screening-{os.getpid()}@{socket.gethostname()}"
    client = get_redis()
    stop = threading.Event()

    def beat() -> None:
        heartbeat.beat(client, settings.KEY_PREFIX, name)
        # What this worker screens against, for `screening lists show`.
        heartbeat.publish_lists(client, settings.KEY_PREFIX, name,
                                engines.current_list_ref()["versions"])

    def sweep() -> None:
        # One sweeper at a time across workers: a short Redis lock.
        if client.set(f"{settings.KEY_PREFIX}sweeper", name, nx=True, ex=settings.STALL_SECONDS):
            requeued = dispatch.requeue_stalled(get_store(), settings.STALL_SECONDS, time.time())
            if requeued:
                log.warning("requeued stalled chunks", extra={"jobs": requeued})

    try:
        engines.current_engine()  # load the lists before taking work
    except ScreeningError as exc:
        # A list that cannot load will not load on a restart either: say so once, and
        # exit with the configuration-error status so `screening serve` stops.
        print(f"screening worker: the lists cannot be loaded: {exc.message}. Fix "
              "SCREENING_LISTS (or the list files) and start again.", file=sys.stderr)
        return EX_CONFIG
    def purge_audit() -> None:
        # Retention of the audit trail (SCREENING_AUDIT_RETENTION_DAYS), one worker at a
        # time; independent of job data, which expires on its own.
        if client.set(f"{settings.KEY_PREFIX}audit-purge", name, nx=True, ex=3600):
            from workers.compliance import audit
            from workers.compliance.db import get_database

            removed = audit.purge_expired(get_database(), settings.AUDIT_RETENTION_DAYS)
            if removed:
                log.info("audit entries past retention removed", extra={"removed": removed})

    beat()
    threading.Thread(target=_background, args=(3.0, beat, stop), daemon=True).start()
    sweep_every = max(1.0, settings.STALL_SECONDS / 3)
    threading.Thread(target=_background, args=(sweep_every, sweep, stop), daemon=True).start()
    threading.Thread(target=_background, args=(3600.0, purge_audit, stop), daemon=True).start()
    from workers.monitoring import service as monitoring

    monitoring.start_background(stop)  # list deltas, stalled runs, webhook deliveries
    import workers.tasks  # noqa: F401  (registers the tasks)

    argv = ["worker", "--loglevel=INFO", "-Q", settings.CHUNK_QUEUE, "-n", name]
    argv += ["--without-mingle", "--without-gossip"]  # no peer chatter: faster start
    concurrency = args.concurrency or settings.WORKER_CONCURRENCY
    argv += ["--pool=solo"] if concurrency <= 1 else [f"--concurrency={concurrency}"]
    try:
        get_celery().worker_main(argv=argv)
    finally:
        stop.set()
    return 0
