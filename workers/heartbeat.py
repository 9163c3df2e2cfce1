"""Worker liveness in Redis: each worker refreshes a short-lived key; /readyz reads them."""

from __future__ import annotations

import json
import time
from typing import Any

import redis

HEARTBEAT_TTL = 15  # seconds; a worker beats every few seconds, so 15 s of silence = gone


def _key(prefix: str, worker: str) -> str:
    return f"{prefix}workers:{worker}"


def beat(client: redis.Redis, prefix: str, worker: str) -> None:
    client.set(_key(prefix, worker), str(time.time()), ex=HEARTBEAT_TTL)


def alive_workers(client: redis.Redis, prefix: str) -> list[str]:
    start = len(f"{prefix}workers:")
    keys = client.scan_iter(match=f"{prefix}workers:*", count=100)
    return sorted((k.decode() if isinstance(k, bytes) else k)[start:] for k in keys)


def _lists_key(prefix: str) -> str:
    return f"{prefix}lists:in_force"


def publish_lists(client: redis.Redis, prefix: str, worker: str,
                  versions: list[dict[str, Any]]) -> None:
    """Record the lists a live worker screens against (expires with its heartbeat)."""
    body = {"worker": worker, "reported_at": time.time(), "lists": versions}
    client.set(_lists_key(prefix), json.dumps(body), ex=HEARTBEAT_TTL)


def service_lists(client: redis.Redis, prefix: str) -> dict[str, Any] | None:
    """The lists the running service's workers reported, or None when none is alive."""
    raw = client.get(_lists_key(prefix))
    return None if raw is None else dict(json.loads(raw))
