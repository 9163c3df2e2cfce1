"""Thin Celery task for monitoring runs (registered by workers.tasks)."""

from __future__ import annotations

from workers import engines
from workers.celery_app import get_celery
from workers.monitoring import runs, service

app = get_celery()


@app.task(name=runs.TASK_MONITOR_CHUNK, acks_late=True, reject_on_worker_lost=True)
def monitor_chunk(run_id: str, chunk: int) -> str:
    return runs.run_chunk(service.get_monitor(), run_id, chunk, engine_for=engines.engine_for,
                          current_ref=lambda: service.lists_in_force()[0])
