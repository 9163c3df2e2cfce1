"""Thin Celery tasks: each takes ids and calls a plain function."""

from __future__ import annotations

import time

from workers import dispatch, engines, pipeline, settings
from workers.celery_app import TASK_SCREEN_CHUNK, TASK_SWEEP, get_celery
from workers.connections import get_store

app = get_celery()


@app.task(name=TASK_SCREEN_CHUNK, acks_late=True, reject_on_worker_lost=True)
def screen_chunk(job_id: str, chunk: int) -> str:
    return pipeline.run_chunk(
        get_store(), job_id, chunk, engine_for=engines.engine_for, on_saved=dispatch.continue_job
    )


@app.task(name=TASK_SWEEP)
def sweep() -> dict[str, list[int]]:
    return dispatch.requeue_stalled(get_store(), settings.STALL_SECONDS, time.time())
