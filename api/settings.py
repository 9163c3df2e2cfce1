"""API-side settings: every value read once from a SCREENING_* environment variable.

A bad value fails at import (start-up), not at the first request. Worker settings
(Redis URL, key prefix, chunk size, lists) live in `workers.settings`; the data
directory shares its variable (SCREENING_DATA_DIR) with them.
"""

from __future__ import annotations

import os
from pathlib import Path

from workers.env import env_int, env_str

# Interface the HTTP server binds to; loopback by default so nothing is exposed by accident.
HOST = env_str("SCREENING_HOST", "127.0.0.1")

# TCP port of the HTTP API.
PORT = env_int("SCREENING_PORT", 8000, minimum=1, maximum=65535)

# Bearer token a Prometheus scraper sends to GET /metrics (it shows every tenant's job
# counts, so it is never open). Unset: /metrics answers 404. `screening serve` generates
# one in <data-dir>/metrics-token when unset.
METRICS_TOKEN = env_str("SCREENING_METRICS_TOKEN", "")

# Worker processes `screening serve` starts.
WORKERS = env_int("SCREENING_WORKERS", 1, minimum=1, maximum=64)

# `screening serve` restarts a crashed child (Redis included) with a growing delay, but
# stops with a clear message when one crashes more than this many times in a minute.
MAX_RESTARTS_PER_MINUTE = env_int("SCREENING_MAX_RESTARTS_PER_MINUTE", 5, minimum=1)

# Default ceiling on records in one job (a tenant setting may lower or raise it).
MAX_RECORDS = env_int("SCREENING_MAX_RECORDS", 100_000, minimum=1)

# Most records in one job of an `employer` tenant (employers check new hires a few at a
# time; batch screening is the `bank` role's). See api/roles.py.
EMPLOYER_MAX_RECORDS = env_int("SCREENING_EMPLOYER_MAX_RECORDS", 50, minimum=1)

# Largest request body accepted, in bytes (413 beyond it). 100,000 JSON records fit in ~64 MiB.
MAX_BODY_BYTES = env_int("SCREENING_MAX_BODY_BYTES", 64 * 1024 * 1024, minimum=1024)

# Default requests per minute per tenant (a tenant setting may override it).
RATE_LIMIT = env_int("SCREENING_RATE_LIMIT", 1200, minimum=1)

# Default cap on one tenant's unfinished jobs (a tenant setting may override it).
MAX_CONCURRENT_JOBS = env_int("SCREENING_MAX_CONCURRENT_JOBS", 5, minimum=1)

# API processes sharing one engine copy-on-write (gunicorn, preloaded); 1 = one waitress
# process. Default: one per CPU, so the instant check uses every core.
API_PROCESSES = env_int("SCREENING_API_PROCESSES", os.cpu_count() or 1, minimum=1, maximum=64)

# Request threads per API process. Each process screens on one core (one GIL): more
# threads than a core keeps busy while some wait for their audit commit only queue on
# that GIL, out of order, instead of in the shared accept queue (see api/server.py).
API_THREADS = env_int("SCREENING_API_THREADS", 4, minimum=1, maximum=256)

# Seconds an idle HTTP connection is kept open between requests (gunicorn, several API
# processes). 0 (the default): one request per connection, so every request goes to
# whichever process is free (see api/server.py); a keep-alive connection stays with the
# process that accepted it, however busy that one is.
API_KEEPALIVE = env_int("SCREENING_API_KEEPALIVE", 0, minimum=0, maximum=300)

# Shared with workers: where the dev API key (and embedded Redis data) live.
DATA_DIR = Path(env_str("SCREENING_DATA_DIR", ".screening")).resolve()

# Secret that signs the analyst page's session cookie (/ui/). Empty: generated once and
# kept in <data dir>/session-secret (mode 0600), so every API process on the host shares it.
SESSION_SECRET = env_str("SCREENING_SESSION_SECRET", "")

# Hours an analyst stays signed in to /ui/ after their last request.
SESSION_HOURS = env_int("SCREENING_SESSION_HOURS", 8, minimum=1, maximum=24 * 30)

# Errors listed in a rejected job's 400 body; the total count is always given.
MAX_REPORTED_ERRORS = 100

# Results per page of GET /v1/jobs/{id}/results (default and ceiling).
RESULTS_PAGE_DEFAULT = 100
RESULTS_PAGE_MAX = 1000
