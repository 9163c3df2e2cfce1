"""One Redis client and one job store per process, built from settings on first use."""

from __future__ import annotations

from functools import lru_cache

import redis

from workers import settings
from workers.jobstore import JobStore


@lru_cache(maxsize=1)
def get_redis() -> redis.Redis:
    return redis.Redis.from_url(settings.redis_url(), health_check_interval=30)


@lru_cache(maxsize=1)
def get_store() -> JobStore:
    return JobStore(get_redis(), prefix=settings.KEY_PREFIX, ttl_seconds=settings.JOB_TTL_SECONDS)


def reset() -> None:
    """Forget cached clients (after the Redis URL changed, e.g. in tests)."""
    get_store.cache_clear()
    get_redis.cache_clear()
