"""The Celery application. Chunks are acknowledged late and rejected when their worker
is lost, so a chunk whose worker dies is delivered again."""

from __future__ import annotations

from functools import lru_cache

from celery import Celery

from workers import settings

TASK_SCREEN_CHUNK = "screening.screen_chunk"


def create_celery(broker_url: str | None = None) -> Celery:
    app = Celery("screening", broker=broker_url or settings.redis_url(), include=["workers.tasks"])
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_ignore_result=True,
        task_default_queue=settings.CHUNK_QUEUE,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": settings.VISIBILITY_TIMEOUT,
            # Sweep for abandoned (unacked) chunks every quarter timeout, unthrottled,
            # so a dead worker's chunk returns soon after its timeout.
            "unacked_restore_interval": max(1, settings.VISIBILITY_TIMEOUT // 4),
            "unacked_restore_throttle": 1,
            "socket_connect_timeout": 5,
        },
        task_serializer="json",
        accept_content=["json"],
    )
    return app


@lru_cache(maxsize=1)
def get_celery() -> Celery:
    return create_celery()
