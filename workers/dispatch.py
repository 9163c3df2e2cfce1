"""Queue a stored job's chunks. Only a few chunks per job are in flight at once; each
finished chunk queues the next, so large batches interleave fairly with other jobs."""

from __future__ import annotations

from workers import settings
from workers.celery_app import TASK_SCREEN_CHUNK, get_celery
from workers.jobstore import JobStore


def send_chunk(job_id: str, chunk: int) -> None:
    get_celery().send_task(TASK_SCREEN_CHUNK, args=[job_id, chunk], queue=settings.CHUNK_QUEUE)


def start_job(store: JobStore, job_id: str) -> list[int]:
    """Queue the first chunks of a job that is already saved (enqueue only after save)."""
    chunks = store.claim_next_chunks(job_id, settings.JOB_PARALLELISM)
    for chunk in chunks:
        send_chunk(job_id, chunk)
    return chunks


def continue_job(store: JobStore, job_id: str) -> list[int]:
    """Called after a chunk is saved: queue the job's next chunk, if any."""
    chunks = store.claim_next_chunks(job_id, 1)
    for chunk in chunks:
        send_chunk(job_id, chunk)
    return chunks


def requeue_stalled(store: JobStore, stall_seconds: float, now: float) -> dict[str, list[int]]:
    """Queue again the missing chunks of jobs that made no progress for `stall_seconds`.

    This is the last line of defence behind acks_late: it also covers a crash between
    saving a job and queueing it, and broker messages lost in a Redis restart. Saving
    is idempotent, so a chunk that was merely slow costs only duplicate work.
    """
    requeued: dict[str, list[int]] = {}
    for job_id in store.active_job_ids():
        job = store.get_job(job_id)
        if job is None or job.finished or now - job.updated_at < stall_seconds:
            continue
        missing = store.missing_chunks(job)
        if not missing and job.next_chunk < job.chunk_count:
            missing = store.claim_next_chunks(job_id, settings.JOB_PARALLELISM)
        store.touch(job_id)
        for chunk in missing:
            send_chunk(job_id, chunk)
        requeued[job_id] = missing
    return requeued
