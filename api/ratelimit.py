"""Per-tenant request rate limit: a fixed one-minute window counted in Redis, so every
API process shares the count. Over the limit -> RateLimited (429 with Retry-After).

The count itself is taken in the same Redis round trip as authentication
(TenantStore.authenticate_counting); this module owns the window and the verdict."""

from __future__ import annotations

import time

from api.errors import RateLimited

WINDOW_SECONDS = 60


def current_window(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // WINDOW_SECONDS)


def enforce(count: int, limit: int, window: int, now: float | None = None) -> None:
    """Raise RateLimited when `count` requests in `window` exceed `limit`."""
    if count <= limit:
        return
    now = time.time() if now is None else now
    retry_after = max(1, int((window + 1) * WINDOW_SECONDS - now + 0.999))
    raise RateLimited(
        f"Rate limit of {limit} requests per minute exceeded: wait {retry_after} s "
        "(see Retry-After) or ask the operator to raise your tenant's rate limit.",
        details={"limit": limit, "window_seconds": WINDOW_SECONDS, "retry_after": retry_after},
        headers={"Retry-After": str(retry_after)},
    )
