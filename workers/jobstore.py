"""Our own job store in Redis. The API writes and reads jobs only through this module;
workers write results only through it. Celery's result backend is never used: results
must outlive Celery's expiry and carry explanations.

Keys (all under the configured prefix):
  job:{id}            hash: status, counters, timestamps, options (JSON), list_ref (JSON)
  job:{id}:chunks     hash: chunk index -> JSON list of input records
  job:{id}:results    hash: chunk index -> JSON list of results (written once per chunk)
  jobs:active         set of job ids not yet finished (the sweeper scans it)
  tenant:{t}:jobs     sorted set of the tenant's job ids by creation time
  idem:{t}:{key}      job id created for an Idempotency-Key
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import redis

STATUSES = ("queued", "running", "completed", "failed", "cancelled")
FINISHED = ("completed", "failed", "cancelled")

# Saving a chunk is atomic and happens once: a redelivered chunk finds its field set and
# changes nothing, so a worker crash can never duplicate or double-count results.
_SAVE_CHUNK = """
if redis.call('HEXISTS', KEYS[2], 'id') == 0 then return -1 end
local status = redis.call('HGET', KEYS[2], 'status')
if status == 'cancelled' or status == 'failed' then return -2 end
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
local done = redis.call('HINCRBY', KEYS[2], 'done', ARGV[3])
redis.call('HINCRBY', KEYS[2], 'hits', ARGV[4])
redis.call('HINCRBY', KEYS[2], 'errors', ARGV[8])
redis.call('HINCRBY', KEYS[5], 'records_screened', ARGV[3])
redis.call('HINCRBY', KEYS[2], 'chunks_done', 1)
redis.call('HSET', KEYS[2], 'updated_at', ARGV[5])
if tonumber(done) >= tonumber(redis.call('HGET', KEYS[2], 'total')) then
  redis.call('HSET', KEYS[2], 'status', 'completed', 'finished_at', ARGV[5])
  redis.call('SREM', KEYS[3], ARGV[6])
  local ttl = tonumber(ARGV[7])
  redis.call('EXPIRE', KEYS[1], ttl)
  redis.call('EXPIRE', KEYS[2], ttl)
  redis.call('DEL', KEYS[4])
  redis.call('HINCRBY', KEYS[5], 'completed', 1)
  return 2
end
return 1
"""

# Making a job visible checks the tenant's cap on unfinished jobs in the same atomic step,
# so parallel submissions can never exceed it. The records are written before (under the
# fresh job id, invisible to everyone) and dropped here if the cap is reached.
_ACTIVATE = """
local cap = tonumber(ARGV[1])
if cap > 0 then
  local n = 0
  for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
    if redis.call('HGET', ARGV[4] .. 'job:' .. id, 'tenant') == ARGV[2] then n = n + 1 end
  end
  if n >= cap then
    redis.call('DEL', KEYS[4])
    return n
  end
end
for i = 7, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[3])
if KEYS[5] ~= '' then redis.call('SET', KEYS[5], ARGV[3], 'EX', ARGV[6]) end
return -1
"""

# Every write to an existing job checks, in the same atomic step, that the job still
# exists: a write racing a purge (DELETE) must not recreate a partial hash with no TTL.
_CLAIM = """
if redis.call('HEXISTS', KEYS[1], 'id') == 0 then return {} end
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'cancelled' or status == 'failed' or status == 'completed' then return {} end
local count = tonumber(redis.call('HGET', KEYS[1], 'chunk_count'))
local claimed = {}
for _ = 1, tonumber(ARGV[1]) do
  local nxt = redis.call('HINCRBY', KEYS[1], 'next_chunk', 1) - 1
  if nxt >= count then break end
  table.insert(claimed, nxt)
end
return claimed
"""

_TOUCH = """
if redis.call('HEXISTS', KEYS[1], 'id') == 0 then return 0 end
redis.call('HSET', KEYS[1], 'updated_at', ARGV[1])
return 1
"""

# ARGV[1] = "failed" or "cancelled". Only an unfinished job changes state.
_FINISH = """
if redis.call('HEXISTS', KEYS[1], 'id') == 0 then return 0 end
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'cancelled' or status == 'failed' or status == 'completed' then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'finished_at', ARGV[2], 'updated_at', ARGV[2])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'error', ARGV[4]) end
redis.call('SREM', KEYS[2], ARGV[5])
redis.call('DEL', KEYS[3])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[4], ARGV[3])
redis.call('HINCRBY', KEYS[5], ARGV[1], 1)
return 1
"""

_MARK_RUNNING = """
if redis.call('HGET', KEYS[1], 'status') == 'queued' then
  redis.call('HSET', KEYS[1], 'status', 'running', 'started_at', ARGV[1], 'updated_at', ARGV[1])
  return 1
end
return 0
"""


_REQUIRED = ("id", "tenant", "status", "total", "chunk_size", "chunk_count", "created_at")


def _now() -> float:
    return time.time()


@dataclass(slots=True)
class Job:
    """A snapshot of one job's state as stored."""

    id: str
    tenant: str
    status: str
    total: int
    chunk_size: int
    chunk_count: int
    done: int
    hits: int
    chunks_done: int
    next_chunk: int
    created_at: float
    updated_at: float
    started_at: float | None
    finished_at: float | None
    options: dict[str, Any] = field(default_factory=dict)
    list_ref: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    errors: int = 0  # records that could not be screened (each result says so)

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @classmethod
    def from_hash(cls, data: dict[str, str]) -> Job:
        def opt(name: str) -> float | None:
            raw = data.get(name)
            return float(raw) if raw else None

        return cls(
            id=data["id"],
            tenant=data["tenant"],
            status=data["status"],
            total=int(data["total"]),
            chunk_size=int(data["chunk_size"]),
            chunk_count=int(data["chunk_count"]),
            done=int(data.get("done", 0)),
            hits=int(data.get("hits", 0)),
            chunks_done=int(data.get("chunks_done", 0)),
            next_chunk=int(data.get("next_chunk", 0)),
            created_at=float(data["created_at"]),
            updated_at=float(data.get("updated_at") or data["created_at"]),
            started_at=opt("started_at"),
            finished_at=opt("finished_at"),
            options=json.loads(data.get("options") or "{}"),
            list_ref=json.loads(data.get("list_ref") or "{}"),
            error=data.get("error") or None,
            errors=int(data.get("errors", 0)),
        )


class ActiveJobLimit(Exception):
    """The tenant already has `active` unfinished jobs, its cap: nothing was stored."""

    def __init__(self, active: int) -> None:
        super().__init__(f"{active} unfinished jobs")
        self.active = active


class JobStore:
    """Create jobs, hand out chunks, save results once, read progress and results."""

    def __init__(self, client: redis.Redis, prefix: str = "screening:", ttl_seconds: int = 604800):
        self.r = client
        self.prefix = prefix
        self.ttl = ttl_seconds
        self._save_chunk = client.register_script(_SAVE_CHUNK)
        self._mark_running = client.register_script(_MARK_RUNNING)
        self._activate = client.register_script(_ACTIVATE)
        self._claim = client.register_script(_CLAIM)
        self._touch = client.register_script(_TOUCH)
        self._finish = client.register_script(_FINISH)

    # -- keys ---------------------------------------------------------------
    def _job(self, job_id: str) -> str:
        return f"{self.prefix}job:{job_id}"

    def _chunks(self, job_id: str) -> str:
        return f"{self.prefix}job:{job_id}:chunks"

    def _results(self, job_id: str) -> str:
        return f"{self.prefix}job:{job_id}:results"

    def _active(self) -> str:
        return f"{self.prefix}jobs:active"

    def _tenant_jobs(self, tenant: str) -> str:
        return f"{self.prefix}tenant:{tenant}:jobs"

    def stats_key(self) -> str:
        """Counters kept as jobs change state (for /metrics: no scan of job keys)."""
        return f"{self.prefix}stats"

    def stats(self) -> dict[str, float]:
        raw = cast(dict[bytes, bytes], self.r.hgetall(self.stats_key()))
        return {_s(k): float(_s(v)) for k, v in raw.items()}

    def observe_chunk_seconds(self, job_id: str, buckets: Sequence[float],
                              parallelism: int) -> None:
        """On completion: the job's mean seconds per chunk, into a histogram in `stats`."""
        job = self.get_job(job_id)
        if job is None or not job.started_at or not job.finished_at:
            return
        in_flight = min(parallelism, job.chunk_count)
        seconds = (job.finished_at - job.started_at) * in_flight / max(job.chunk_count, 1)
        bucket = next((str(b) for b in buckets if seconds <= b), "+Inf")
        pipe = self.r.pipeline()
        pipe.hincrby(self.stats_key(), f"chunk_le_{bucket}", 1)
        pipe.hincrbyfloat(self.stats_key(), "chunk_seconds_sum", seconds)
        pipe.execute()

    def _idem(self, tenant: str, key: str) -> str:
        return f"{self.prefix}idem:{tenant}:{key}"

    # -- writing --------------------------------------------------------------
    def create_job(
        self,
        tenant: str,
        records: Sequence[dict[str, Any]],
        *,
        chunk_size: int,
        options: dict[str, Any],
        list_ref: dict[str, Any],
        idempotency_key: str | None = None,
        max_active: int = 0,
    ) -> tuple[Job, bool]:
        """Store a job with all its records before anything is queued.

        Returns (job, created). With an idempotency key already used by this tenant,
        the original job is returned and nothing is stored. With `max_active` > 0, raises
        ActiveJobLimit when the tenant already has that many unfinished jobs (atomic).
        """
        if idempotency_key and (job := self.find_idempotent(tenant, idempotency_key)):
            return job, False
        job_id = uuid.uuid4().hex
        now = _now()
        chunk_count = max(1, -(-len(records) // chunk_size))
        meta: dict[str, str | int | float] = {
            "id": job_id,
            "tenant": tenant,
            "status": "queued",
            "total": len(records),
            "chunk_size": chunk_size,
            "chunk_count": chunk_count,
            "done": 0,
            "hits": 0,
            "chunks_done": 0,
            "next_chunk": 0,
            "created_at": now,
            "updated_at": now,
            "options": json.dumps(options),
            "list_ref": json.dumps(list_ref),
        }
        chunks = {
            str(i): json.dumps(list(records[i * chunk_size : (i + 1) * chunk_size]))
            for i in range(chunk_count)
        }
        self.r.hset(self._chunks(job_id), mapping=cast(Any, chunks))
        fields = [str(x) for pair in meta.items() for x in pair]
        idem = self._idem(tenant, idempotency_key) if idempotency_key else ""
        outcome = int(self._activate(
            keys=[self._job(job_id), self._active(), self._tenant_jobs(tenant),
                  self._chunks(job_id), idem],
            args=[max_active, tenant, job_id, self.prefix, now, self.ttl, *fields],
        ))
        if outcome >= 0:
            raise ActiveJobLimit(outcome)
        if not len(records):  # nothing to do: complete at once
            self.r.hset(self._job(job_id), mapping={"status": "completed", "finished_at": now})
            self.r.srem(self._active(), job_id)
        job = self.get_job(job_id)
        assert job is not None
        return job, True

    def find_idempotent(self, tenant: str, key: str) -> Job | None:
        """The job a tenant already created with this Idempotency-Key, if any."""
        existing = self.r.get(self._idem(tenant, key))
        return None if not existing else self.get_job(_s(cast(bytes, existing)))

    def claim_next_chunks(self, job_id: str, count: int) -> list[int]:
        """Reserve the next `count` undispatched chunk indexes of a job (atomic counter)."""
        claimed = cast(list[int], self._claim(keys=[self._job(job_id)], args=[count]))
        return [int(c) for c in claimed]

    def mark_running(self, job_id: str) -> None:
        self._mark_running(keys=[self._job(job_id)], args=[_now()])

    def touch(self, job_id: str) -> None:
        self._touch(keys=[self._job(job_id)], args=[_now()])

    @staticmethod
    def encode_results(results: list[dict[str, Any]]) -> str:
        """A chunk's results as `save_chunk_results` stores them."""
        return json.dumps(results)

    def save_chunk_results(self, job_id: str, chunk: int, results: list[dict[str, Any]],
                           encoded: str | None = None) -> int:
        """Write one chunk's results once (`encoded`: `encode_results(results)`, if the
        caller already made it). 1 = saved (2: and the job completed), 0 = already
        saved (redelivery),
        -1 = the job is gone (purged), -2 = the job was cancelled or failed."""
        hits = sum(1 for r in results if r.get("matches"))
        errors = sum(1 for r in results if r.get("error"))
        return int(
            self._save_chunk(
                keys=[
                    self._results(job_id),
                    self._job(job_id),
                    self._active(),
                    self._chunks(job_id),
                    self.stats_key(),
                ],
                args=[chunk, self.encode_results(results) if encoded is None else encoded,
                      len(results), hits, _now(), job_id, self.ttl,
                      errors],
            )
        )

    def _end(self, job_id: str, status: str, error: str = "") -> bool:
        keys = [self._job(job_id), self._active(), self._chunks(job_id), self._results(job_id),
                self.stats_key()]
        args: list[str | float | int] = [status, _now(), self.ttl, error, job_id]
        return bool(self._finish(keys=keys, args=args))

    def fail(self, job_id: str, error: str) -> None:
        self._end(job_id, "failed", error)

    def cancel(self, job_id: str) -> bool:
        """Cancel a job that has not finished; False when it had already finished."""
        return self._end(job_id, "cancelled")

    def purge(self, job_id: str) -> None:
        """Delete a job and everything it stored."""
        tenant = self.r.hget(self._job(job_id), "tenant")
        pipe = self.r.pipeline()
        pipe.delete(self._job(job_id), self._chunks(job_id), self._results(job_id))
        pipe.srem(self._active(), job_id)
        if tenant:
            pipe.zrem(
                self._tenant_jobs(tenant.decode() if isinstance(tenant, bytes) else tenant), job_id
            )
        pipe.execute()

    # -- reading --------------------------------------------------------------
    def get_job(self, job_id: str) -> Job | None:
        raw = self.r.hgetall(self._job(job_id))
        if not raw:
            return None
        data = {_s(k): _s(v) for k, v in raw.items()}
        if any(name not in data for name in _REQUIRED):
            # A partial hash (a write that raced a purge) is a job that is gone, not a 500.
            return None
        return Job.from_hash(data)

    def chunk_records(self, job_id: str, chunk: int) -> list[dict[str, Any]] | None:
        raw = self.r.hget(self._chunks(job_id), str(chunk))
        return None if raw is None else list(json.loads(raw))

    def has_chunk_result(self, job_id: str, chunk: int) -> bool:
        return bool(self.r.hexists(self._results(job_id), str(chunk)))

    def missing_chunks(self, job: Job) -> list[int]:
        """Dispatched chunks that have no results yet."""
        have = {int(_s(k)) for k in self.r.hkeys(self._results(job.id))}
        return [i for i in range(min(job.next_chunk, job.chunk_count)) if i not in have]

    def active_job_ids(self) -> list[str]:
        members = cast(set[bytes], self.r.smembers(self._active()))
        return sorted(_s(x) for x in members)

    def tenant_job_ids(self, tenant: str, limit: int = 100, offset: int = 0) -> list[str]:
        """The tenant's job ids, newest first."""
        ids = cast(
            list[bytes], self.r.zrevrange(self._tenant_jobs(tenant), offset, offset + limit - 1)
        )
        return [_s(x) for x in ids]

    def count_active(self, tenant: str) -> int:
        return sum(
            1
            for job_id in self.active_job_ids()
            if (job := self.get_job(job_id)) is not None and job.tenant == tenant
        )

    def iter_results(
        self, job: Job, cursor: int = 0, only_hits: bool = False
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        """(position, result) pairs in input order from position `cursor` onwards, over
        the chunks saved so far; stops at the first chunk still missing, so the order
        is stable while the job runs."""
        first = cursor // job.chunk_size
        for chunk in range(first, job.chunk_count):
            raw = self.r.hget(self._results(job.id), str(chunk))
            if raw is None:
                return
            for offset, result in enumerate(json.loads(raw)):
                position = chunk * job.chunk_size + offset
                if position < cursor:
                    continue
                if only_hits and not result.get("matches"):
                    continue
                yield position, result


def _s(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
