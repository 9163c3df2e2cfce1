"""Thin Celery tasks: each takes ids and calls a plain function."""

from __future__ import annotations

from workers import dispatch, engines, pipeline
from workers.celery_app import TASK_SCREEN_CHUNK, get_celery
from workers.compliance.batch import record_chunk
from workers.connections import get_store
from workers.monitoring import service as monitoring
from workers.monitoring import tasks as _monitoring_tasks  # noqa: F401  (registers its task)

app = get_celery()


# Delivery (acks_late, reject_on_worker_lost) is set once, in workers/celery_app.py.
@app.task(name=TASK_SCREEN_CHUNK)
def screen_chunk(job_id: str, chunk: int) -> str:
    outcome = pipeline.run_chunk(
        get_store(), job_id, chunk, engine_for=engines.engine_for, on_saved=dispatch.continue_job,
        on_screened=record_chunk,
    )
    if outcome in ("saved", "failed"):
        monitoring.job_finished(get_store(), job_id)  # job.completed / job.failed webhooks
    return outcome
