"""The rate-limit verdict: requests up to the limit pass in a one-minute window; the next
one raises RateLimited (429) whose Retry-After is the wait until the window ends."""

from __future__ import annotations

import pytest

from api.errors import RateLimited, status_for
from api.ratelimit import WINDOW_SECONDS, current_window, enforce


def test_up_to_the_limit_passes() -> None:
    enforce(count=10, limit=10, window=current_window())


def test_over_the_limit_says_how_long_to_wait() -> None:
    now = 1_000_000 * WINDOW_SECONDS + 45.2  # 45.2 s into a window
    with pytest.raises(RateLimited) as err:
        enforce(count=11, limit=10, window=current_window(now), now=now)
    assert status_for(err.value) == 429
    assert err.value.headers["Retry-After"] == "15"
    assert err.value.details["limit"] == 10
    assert "Retry-After" in err.value.message


def test_retry_after_is_at_least_one_second() -> None:
    now = 5 * WINDOW_SECONDS + 59.99
    with pytest.raises(RateLimited) as err:
        enforce(count=2, limit=1, window=current_window(now), now=now)
    assert err.value.headers["Retry-After"] == "1"
