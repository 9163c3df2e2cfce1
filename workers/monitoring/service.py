"""Per-process monitoring services, the hooks other parts call, and the background loop
every worker runs (list-version detection, stalled runs, webhook fan-out and sending)."""

from __future__ import annotations

import logging
import threading
import time
from functools import lru_cache
from typing import Any

from matching.model import LoadedList
from workers import engines, registry, settings
from workers.compliance.db import get_database
from workers.compliance.store import reviews_for
from workers.connections import get_redis
from workers.jobstore import JobStore
from workers.monitoring import delta, runs
from workers.monitoring.store import MonitorStore
from workers.monitoring.webhooks import Webhooks

log = logging.getLogger("screening.monitoring")


@lru_cache(maxsize=1)
def get_monitor() -> MonitorStore:
    store = MonitorStore(get_redis(), settings.KEY_PREFIX, settings.JOB_TTL_SECONDS)
    store.reviews = lambda tenant, ids: reviews_for(get_database(), tenant, ids)
    return store


@lru_cache(maxsize=1)
def get_webhooks() -> Webhooks:
    return Webhooks(get_redis(), settings.KEY_PREFIX, get_monitor().outbox_key)


def reset() -> None:
    get_monitor.cache_clear()
    get_webhooks.cache_clear()


def lists_in_force() -> tuple[dict[str, Any], list[LoadedList]]:
    """The ref a new job would pin (same key and specs as workers.engines computes), and
    the lists, loaded without building an engine."""
    manifest = registry.read_manifest()
    specs = registry.in_force_specs(manifest)
    pairs = registry.load_lists(specs)
    versions = registry.describe(pairs, manifest)
    ref = {
        "key": engines.ref_key(versions), "specs": specs, "versions": versions,
        "generation": int(manifest.get("generation") or 0),
    }
    return ref, [loaded for _, loaded in pairs]


def check_lists(store: MonitorStore | None = None) -> list[str]:
    """Queue delta runs for list versions not seen yet; returns their ids."""
    ref, lists = lists_in_force()
    return delta.detect(store or get_monitor(), ref, lists)


def job_finished(jobs: JobStore, job_id: str) -> None:
    """Emit job.completed / job.failed for a finished job of a tenant with webhooks.
    Safe to call more than once: deliveries are derived from the event id."""
    job = jobs.get_job(job_id)
    if job is None or job.status not in ("completed", "failed"):
        return
    hooks = get_webhooks()
    if not hooks.r.sismember(f"{hooks.p}tenants", job.tenant):
        return
    get_monitor().emit({
        "id": f"evt_job_{job_id}_{job.status}",
        "type": f"job.{job.status}",
        "tenant": job.tenant,
        "timestamp": runs.iso(job.finished_at or time.time()),
        "data": {
            "job_id": job_id, "status": job.status, "total": job.total, "hits": job.hits,
            "error": job.error,
            "links": {"job": f"/v1/jobs/{job_id}", "results": f"/v1/jobs/{job_id}/results"},
        },
    })


def _locked(name: str, seconds: int) -> bool:
    return bool(get_redis().set(f"{settings.KEY_PREFIX}mon:{name}", "1", nx=True, ex=seconds))


def sweep_once() -> None:
    store = get_monitor()
    if _locked("sweep-lock", max(2, int(settings.MONITOR_POLL_SECONDS))):
        check_lists(store)
        runs.requeue_stalled(store, settings.STALL_SECONDS, time.time())


def deliver_once() -> None:
    hooks = get_webhooks()
    if _locked("fanout-lock", 30):
        try:
            hooks.fan_out()
        finally:
            get_redis().delete(f"{settings.KEY_PREFIX}mon:fanout-lock")
    hooks.deliver_due()


def _loop(interval: float, fn: Any, stop: threading.Event) -> None:
    while not stop.wait(interval):
        try:
            fn()
        except Exception:
            log.exception("monitoring background task failed")


def start_background(stop: threading.Event) -> None:
    threading.Thread(
        target=_loop, args=(settings.MONITOR_POLL_SECONDS, sweep_once, stop),
        name="monitoring-sweep", daemon=True,
    ).start()
    threading.Thread(
        target=_loop, args=(0.25, deliver_once, stop), name="webhook-delivery", daemon=True
    ).start()
