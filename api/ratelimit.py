"""Per-tenant request rate limit: a fixed one-minute window counted in Redis, so every
API process shares the count. Over the limit -> RateLimited (429 with Retry-After)."""

from __future__ import annotations

import time

import redis

from api.errors import RateLimited

WINDOW_SECONDS = 60


def check_rate(client: redis.Redis, prefix: str, tenant: str, limit: int) -> int:
    """Count one request; returns the requests left in this window, raises when over."""
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"{prefix}ratelimit:{tenant}:{window}"
    pipe = client.pipeline(transaction=True)
    pipe.incr(key)
    pipe.expire(key, WINDOW_SECONDS * 2)
    count = int(pipe.execute()[0])
    if count > limit:
        retry_after = max(1, int((window + 1) * WINDOW_SECONDS - now + 0.999))
        raise RateLimited(
            f"Rate limit of {limit} requests per minute exceeded: wait {retry_after} s "
            "(see Retry-After) or ask the operator to raise your tenant's rate limit.",
            details={"limit": limit, "window_seconds": WINDOW_SECONDS, "retry_after": retry_after},
            headers={"Retry-After": str(retry_after)},
        )
    return limit - count
