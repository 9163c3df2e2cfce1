"""Thin Celery tasks: each takes ids and calls a plain function."""

from __future__ import annotations

from workers import dispatch, engines, pipeline
from workers.celery_app import TASK_SCREEN_CHUNK, get_celery
from workers.compliance.batch import record_chunk
from workers.connections import get_store

app = get_celery()


@app.task(name=TASK_SCREEN_CHUNK, acks_late=True, reject_on_worker_lost=True)
def screen_chunk(job_id: str, chunk: int) -> str:
    return pipeline.run_chunk(
        get_store(), job_id, chunk, engine_for=engines.engine_for, on_saved=dispatch.continue_job,
        on_screened=record_chunk,
    )
