"""API-side settings: every value read once from a SCREENING_* environment variable.

A bad value fails at import (start-up), not at the first request. Worker settings
(Redis URL, key prefix, chunk size, lists) live in `workers.settings`; the data
directory shares its variable (SCREENING_DATA_DIR) with them.
"""

from __future__ import annotations

import os
from pathlib import Path


def _int(name: str, default: int, minimum: int = 0, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise SystemExit(f"{name}={raw!r} must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise SystemExit(f"{name}={raw!r} must be at most {maximum}")
    return value


def _str(name: str, default: str) -> str:
    raw = os.environ.get(name)
    return raw.strip() if raw and raw.strip() else default


# Interface the HTTP server binds to; loopback by default so nothing is exposed by accident.
HOST = _str("SCREENING_HOST", "127.0.0.1")

# TCP port of the HTTP API.
PORT = _int("SCREENING_PORT", 8000, minimum=1, maximum=65535)

# Default ceiling on records in one job (a tenant setting may lower or raise it).
MAX_RECORDS = _int("SCREENING_MAX_RECORDS", 100_000, minimum=1)

# Largest request body accepted, in bytes (413 beyond it). 100,000 JSON records fit in ~64 MiB.
MAX_BODY_BYTES = _int("SCREENING_MAX_BODY_BYTES", 64 * 1024 * 1024, minimum=1024)

# Default requests per minute per tenant (a tenant setting may override it).
RATE_LIMIT = _int("SCREENING_RATE_LIMIT", 1200, minimum=1)

# Default cap on one tenant's unfinished jobs (a tenant setting may override it).
MAX_CONCURRENT_JOBS = _int("SCREENING_MAX_CONCURRENT_JOBS", 5, minimum=1)

# Waitress worker threads serving requests.
API_THREADS = _int("SCREENING_API_THREADS", 8, minimum=1, maximum=256)

# Shared with workers: where the dev API key (and embedded Redis data) live.
DATA_DIR = Path(_str("SCREENING_DATA_DIR", ".screening")).resolve()

# Errors listed in a rejected job's 400 body; the total count is always given.
MAX_REPORTED_ERRORS = 100

# Results per page of GET /v1/jobs/{id}/results (default and ceiling).
RESULTS_PAGE_DEFAULT = 100
RESULTS_PAGE_MAX = 1000
