"""Worker-side settings: every value read once from a SCREENING_* environment variable.

A bad value fails at import (start-up), not at the first job.
"""

from __future__ import annotations

import os
from pathlib import Path

from matching.lists.builtin import BUILTIN_LISTS
from workers.env import env_float, env_int, env_list, env_str

# Where embedded Redis keeps its AOF, list snapshots and the dev API key live.
DATA_DIR = Path(os.environ.get("SCREENING_DATA_DIR") or ".screening").resolve()

def lists_in_force(configured: tuple[str, ...], builtins: tuple[str, ...]) -> tuple[str, ...]:
    """Built-in lists stay in force unless excluded with a leading '-' ("-kr-mofa"):
    pointing SCREENING_LISTS at official files must not silently drop a designation."""
    excluded = {c[1:] for c in configured if c.startswith("-")}
    chosen = [c for c in configured if not c.startswith("-")]
    kept = [b for b in builtins if b not in excluded and b not in chosen]
    return (*kept, *chosen)


def _check_specs(specs: tuple[str, ...]) -> tuple[str, ...]:
    """A spec that is neither a built-in list nor an existing path stops the process now,
    with one clear message, instead of every worker failing at its first load."""
    for spec in specs:
        if spec not in BUILTIN_LISTS and not Path(spec).exists():
            raise SystemExit(
                f"SCREENING_LISTS: {spec!r} is neither a built-in list "
                f"({', '.join(BUILTIN_LISTS)}) nor an existing file or folder "
                f"(relative paths start from {Path.cwd()}): fix the path and start again."
            )
    return specs


# Lists screened: built-in names, files or directories, comma-separated. Built-in lists
# (kr-mofa) are always included unless excluded with a leading '-': "-kr-mofa".
LISTS: tuple[str, ...] = _check_specs(
    lists_in_force(env_list("SCREENING_LISTS", ""), BUILTIN_LISTS)
)

# Chunks one `screening worker` screens at once (1: the solo pool, one process).
WORKER_CONCURRENCY = env_int("SCREENING_WORKER_CONCURRENCY", 1, minimum=1)

# Records per chunk: small enough to redeliver cheaply, large enough to amortise overhead.
CHUNK_SIZE = env_int("SCREENING_CHUNK_SIZE", 250, minimum=1)

# Chunks of one job in flight at once; later chunks are queued as earlier ones finish,
# so one tenant's huge batch interleaves with everyone else's jobs.
JOB_PARALLELISM = env_int("SCREENING_JOB_PARALLELISM", 4, minimum=1)

# Seconds a job may make no progress before its missing chunks are queued again.
STALL_SECONDS = env_int("SCREENING_STALL_SECONDS", 60, minimum=1)

# Broker visibility timeout: an unacknowledged chunk (its worker died) comes back after it.
VISIBILITY_TIMEOUT = env_int("SCREENING_VISIBILITY_TIMEOUT", 300, minimum=1)

# Finished jobs (records and results) are kept this long, then expire.
JOB_TTL_SECONDS = env_int("SCREENING_JOB_TTL_SECONDS", 7 * 24 * 3600, minimum=60)

# Prefix of every Redis key we own, so tests and tenants of one Redis never collide.
KEY_PREFIX = os.environ.get("SCREENING_KEY_PREFIX") or "screening:"

# Celery queue names: batch chunks, and list maintenance.
CHUNK_QUEUE = os.environ.get("SCREENING_CHUNK_QUEUE") or "screening.chunks"

# Niceness a worker adds to its own CPU priority at start (0-19; 0: none), so that on a
# machine it shares with the API (`screening serve`) a batch yields the CPU to instant
# checks, whose latency someone is waiting on. 10: at nice 10 the kernel's CFS weights
# the worker 110 against an API process's 1024, so an instant check preempts it at
# once, yet a batch keeps ~10% of a core while the API is saturated (at 19, ~1.5%: a
# long batch would all but stop under steady instant traffic). Measured: p50 9.8 ms ->
# 3.7 ms during a 100k batch at nice 10. Niceness orders processes in one CPU cgroup:
# between containers or pods, their CPU shares/requests decide (see deploy/README.md).
WORKER_NICE = env_int("SCREENING_WORKER_NICE", 10, minimum=0, maximum=19)

# Default match threshold override; empty means the engine's calibrated default.
THRESHOLD: float | None = (
    env_float("SCREENING_THRESHOLD", 0.0, minimum=0.0, maximum=1.0)
    if os.environ.get("SCREENING_THRESHOLD")
    else None
)


# The running service's Redis URL, recorded by `screening serve` in its data directory
# (0600: it holds the embedded Redis's password), so every `screening` command run with
# the same data directory finds the service without SCREENING_REDIS_URL.
SERVICE_URL_FILE = "redis.url"


def service_url_file() -> Path:
    return Path(DATA_DIR) / SERVICE_URL_FILE


def redis_url() -> str:
    """SCREENING_REDIS_URL, else the URL `screening serve` recorded in the data
    directory, else a clear instruction."""
    # Read at call time, not import: `screening serve` sets it after starting its Redis.
    url = os.environ.get("SCREENING_REDIS_URL")
    if url:
        return url
    try:
        recorded = service_url_file().read_text(encoding="utf-8").strip()
    except OSError:
        recorded = ""
    if recorded:
        return recorded
    raise SystemExit(
        f"No Redis to use: SCREENING_REDIS_URL is not set and no service records one in "
        f"{service_url_file()}. Start the service with `screening serve` (with the same "
        "--data-dir / SCREENING_DATA_DIR), or point SCREENING_REDIS_URL at a Redis server "
        "(e.g. redis://localhost:6379/0)."
    )


# --- List registry and updates (issue 4) ---

# Snapshots of downloaded lists kept per list (the current one included); older ones are
# pruned. Jobs pin exact snapshots, so keep enough to outlive any job still in flight.
LIST_KEEP_SNAPSHOTS = env_int("SCREENING_LIST_KEEP_SNAPSHOTS", 5, minimum=2)

# Engines (one per pinned list set) kept in memory per process: the current one plus
# recent ones that in-flight jobs still use. Each holds a full index, so keep this small.
ENGINE_CACHE_SIZE = env_int("SCREENING_ENGINE_CACHE_SIZE", 3, minimum=2)

# Save each list set's built engine under <data dir>/lists/.index and load it at the next
# start instead of rebuilding (seconds instead of half a minute). 0 disables.
INDEX_CACHE = env_int("SCREENING_INDEX_CACHE", 1, minimum=0, maximum=1) == 1

# `lists update` refuses a new file whose entity count is below this fraction of the
# current version's: a list that loses more than 10% overnight is far likelier to be a
# truncated or partial download than a real mass delisting. 0 disables the check.
MIN_ENTITY_RATIO = env_float("SCREENING_MIN_ENTITY_RATIO", 0.9, minimum=0.0, maximum=1.0)

# Download limits for `lists update`: the largest official file (EU FSF XML) is ~30 MB.
LIST_MAX_BYTES = env_int("SCREENING_LIST_MAX_BYTES", 256 * 1024 * 1024, minimum=1)
# Seconds without progress (connect or read) before a download is abandoned...
LIST_TIMEOUT_SECONDS = env_int("SCREENING_LIST_TIMEOUT_SECONDS", 60, minimum=1)
# ...and the longest one download may take in total.
LIST_DOWNLOAD_SECONDS = env_int("SCREENING_LIST_DOWNLOAD_SECONDS", 900, minimum=1)

# Lists `lists update` fetches when no --list is given (names from workers.updates.SOURCES).
# Not by default: uk_ofsi_conlist (OFSI retired it on 28 January 2026 for the UK Sanctions
# List) and opensanctions_* (CC BY-NC data: a licensing decision, not a default).
UPDATE_LISTS: tuple[str, ...] = env_list(
    "SCREENING_UPDATE_LISTS", "us_ofac_sdn,us_ofac_cons,un_sc,eu_fsf,uk_sanctions_list"
)

# --- Compliance record (issue 11): decisions, whitelists and the audit trail ---

# SQLAlchemy URL of the compliance database. Empty: SQLite in the data directory
# (compliance.db), so a single machine needs nothing installed; production uses
# PostgreSQL, e.g. postgresql+psycopg://user:password@host:5432/screening.
DATABASE_URL = os.environ.get("SCREENING_DATABASE_URL") or ""

# Audit entries are kept this many days (default 5 years), independent of job retention:
# job data may expire or be purged while its audit entries remain.
AUDIT_RETENTION_DAYS = env_int("SCREENING_AUDIT_RETENTION_DAYS", 5 * 365 + 1, minimum=1)


def database_url(data_dir: Path | str | None = None) -> str:
    """The compliance database URL: SCREENING_DATABASE_URL, else SQLite in the data dir."""
    if DATABASE_URL:
        return DATABASE_URL
    base = Path(data_dir).resolve() if data_dir is not None else DATA_DIR
    return f"sqlite:///{base / 'compliance.db'}"


# --- Ongoing monitoring and webhooks (issue 12) ---

# List entities per chunk of a list-delta run (each chunk looks up and re-screens the
# monitored records its entities could match).
MONITOR_DELTA_CHUNK = env_int("SCREENING_MONITOR_DELTA_CHUNK", 20, minimum=1)

# A blocking key held by more monitored records than this is "common" (a given name):
# a record must then share two keys with a list name to be re-screened.
MONITOR_COMMON_KEY = env_int("SCREENING_MONITOR_COMMON_KEY", 2000, minimum=1)

# Seconds between checks for a new list version (and for stalled monitoring runs) in
# every worker's background loop; `screening lists update` also triggers at once.
MONITOR_POLL_SECONDS = env_float("SCREENING_MONITOR_POLL_SECONDS", 5.0, minimum=0.1)

# Webhook endpoints may be http:// and resolve to loopback, private or link-local
# addresses only when this is on (development and tests): otherwise https only and
# public addresses only, against server-side request forgery.
WEBHOOKS_ALLOW_PRIVATE = env_str("SCREENING_WEBHOOKS_ALLOW_PRIVATE", "0").lower() in (
    "1",
    "true",
    "yes",
)

# Retries: the n-th retry waits BASE * 4**n seconds, at most MAX_GAP, until GIVE_UP
# seconds after the first attempt; then the delivery is marked failed.
WEBHOOK_RETRY_BASE_SECONDS = env_float("SCREENING_WEBHOOK_RETRY_BASE_SECONDS", 5.0, minimum=0.01)
WEBHOOK_RETRY_MAX_GAP_SECONDS = env_float(
    "SCREENING_WEBHOOK_RETRY_MAX_GAP_SECONDS", 3600.0, minimum=0.01
)
WEBHOOK_GIVE_UP_SECONDS = env_float("SCREENING_WEBHOOK_GIVE_UP_SECONDS", 26 * 3600.0, minimum=1.0)
# Seconds a receiver has to answer one delivery.
WEBHOOK_TIMEOUT_SECONDS = env_float("SCREENING_WEBHOOK_TIMEOUT_SECONDS", 10.0, minimum=0.1)
# A rotated-out secret still signs (beside the new one) for this long.
WEBHOOK_SECRET_OVERLAP_SECONDS = env_int(
    "SCREENING_WEBHOOK_SECRET_OVERLAP_SECONDS", 24 * 3600, minimum=0
)
# Base URL put before the links in payloads (e.g. https://screening.example.com).
PUBLIC_BASE_URL = env_str("SCREENING_PUBLIC_BASE_URL", "").rstrip("/")
