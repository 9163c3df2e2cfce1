"""Worker liveness in Redis: each worker refreshes a short-lived key; /readyz reads them."""

from __future__ import annotations

import time

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
