"""Monitored records, their blocking index and their alerts, in Redis (AOF-persistent like
the job store). Everything monitoring keeps goes through this module, so it can move to
the compliance database later.

Keys (under `<prefix>mon:`):
  seq                     counter: every monitored record gets a small integer ref
  rec                     hash ref -> JSON {tenant, id, record, rev, status, updated_at, ...}
  t:{t}:ids               hash record id -> ref (one tenant's book)
  rk                      hash ref -> JSON list of the blocking keys it is indexed under
  ix:{key}                set of refs (integers: Redis packs small ones as intsets)
  t:{t}:alerts            hash alert id -> JSON alert (the <hit> shape, source "monitoring")
  t:{t}:astate            hash alert id -> "open" | "closed"
  t:{t}:aorder            sorted set alert id -> created_at (newest first listings)
  t:{t}:open              hash "record id␟list␟source id" -> open alert id (current hits)
  ent:{list}␟{source id}  set "tenant␟alert id" of open alerts on a list entity
  fp:{list}               hash source id -> entity fingerprint of the version last seen
  seen                    hash list name -> content hash of the version last seen
  runs:...                a JobStore of monitoring runs (chunks saved exactly once)
  lane                    list of queued list-delta run ids; lane:current, the running one
  outbox                  list of events (JSON) waiting to be fanned out to webhooks
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, cast

import redis

from workers.jobstore import JobStore

SEP = "\x1f"

# Alert changes of one chunk, applied atomically: each create/close happens once and
# queues its event in the same step, so a redelivered chunk changes and emits nothing.
_APPLY = """
local p = ARGV[1]
local outbox = p .. 'outbox'
local ops = cjson.decode(ARGV[2])
local applied = 0
for _, op in ipairs(ops) do
  local t = p .. 't:' .. op.t .. ':'
  if op.op == 'create' then
    if redis.call('HSETNX', t .. 'open', op.pkey, op.aid) == 1 then
      redis.call('HSET', t .. 'alerts', op.aid, op.body)
      redis.call('HSET', t .. 'astate', op.aid, 'open')
      redis.call('ZADD', t .. 'aorder', op.created, op.aid)
      redis.call('SADD', p .. 'ent:' .. op.ekey, op.t .. ARGV[3] .. op.aid)
      redis.call('RPUSH', outbox, op.event)
      applied = applied + 1
    end
  elseif op.op == 'update' then
    if redis.call('HGET', t .. 'astate', op.aid) == 'open' then
      redis.call('HSET', t .. 'alerts', op.aid, op.body)
    end
  elseif op.op == 'close' then
    if redis.call('HGET', t .. 'astate', op.aid) == 'open' then
      redis.call('HSET', t .. 'astate', op.aid, 'closed')
      redis.call('HSET', t .. 'alerts', op.aid, op.body)
      if redis.call('HGET', t .. 'open', op.pkey) == op.aid then
        redis.call('HDEL', t .. 'open', op.pkey)
      end
      redis.call('SREM', p .. 'ent:' .. op.ekey, op.t .. ARGV[3] .. op.aid)
      redis.call('RPUSH', outbox, op.event)
      applied = applied + 1
    end
  end
end
return applied
"""


def _s(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def hit_key(record_id: str, list_name: str, source_id: str) -> str:
    return f"{record_id}{SEP}{list_name}{SEP}{source_id}"


def entity_key(list_name: str, source_id: str) -> str:
    return f"{list_name}{SEP}{source_id}"


OPEN_REVIEW: dict[str, Any] = {"state": "open", "decision": None}
Reviews = Callable[[str, Sequence[str]], dict[str, dict[str, Any]]]


def no_reviews(tenant: str, hit_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Without a compliance record every alert is open."""
    return {}


class MonitorStore:
    def __init__(self, client: redis.Redis, prefix: str, ttl_seconds: int = 604800) -> None:
        self.r = client
        self.base = prefix
        self.p = f"{prefix}mon:"
        self.runs = JobStore(client, prefix=f"{self.p}runs:", ttl_seconds=ttl_seconds)
        self._apply = client.register_script(_APPLY)
        # The alerts' review (open, decided, suppressed...) by hit id: the compliance
        # record's (workers.compliance.store.reviews_for), wired by whoever builds the store.
        self.reviews: Reviews = no_reviews

    # -- records -------------------------------------------------------------------------
    def upsert(self, tenant: str, records: Sequence[dict[str, Any]]) -> list[int]:
        """Store records (new or changed); returns their refs, to be screened and indexed.
        A record whose content is unchanged keeps its state and is not returned."""
        ids_key = f"{self.p}t:{tenant}:ids"
        ids = [str(r["id"]) for r in records]
        existing = self.r.hmget(ids_key, ids) if ids else []
        refs_raw = [int(x) if x is not None else None for x in existing]
        known = [ref for ref in refs_raw if ref is not None]
        stored = dict(zip(known, self.r.hmget(f"{self.p}rec", known), strict=True)) if known else {}
        now = time.time()
        pipe = self.r.pipeline(transaction=False)
        changed: list[int] = []
        new_count = sum(1 for ref in refs_raw if ref is None)
        first = int(self.r.incrby(f"{self.p}seq", new_count)) - new_count + 1 if new_count else 0
        for record, ref in zip(records, refs_raw, strict=True):
            rev = 1
            if ref is not None:
                old_raw = stored.get(ref)
                old = json.loads(old_raw) if old_raw else None
                if old is not None and old["record"] == record:
                    continue
                rev = (old or {}).get("rev", 0) + 1
            else:
                ref, first = first, first + 1
                pipe.hset(ids_key, str(record["id"]), ref)
            doc = {
                "tenant": tenant, "id": str(record["id"]), "record": record, "rev": rev,
                "status": "pending", "updated_at": now, "screened_at": None,
            }
            pipe.hset(f"{self.p}rec", str(ref), json.dumps(doc, ensure_ascii=False))
            changed.append(ref)
        pipe.execute()
        return changed

    def ref_of(self, tenant: str, record_id: str) -> int | None:
        raw = self.r.hget(f"{self.p}t:{tenant}:ids", record_id)
        return None if raw is None else int(raw)

    def get_docs(self, refs: Sequence[int]) -> list[dict[str, Any] | None]:
        if not refs:
            return []
        raw = self.r.hmget(f"{self.p}rec", [str(r) for r in refs])
        return [json.loads(x) if x else None for x in raw]

    def get_record(self, tenant: str, record_id: str) -> dict[str, Any] | None:
        ref = self.ref_of(tenant, record_id)
        return None if ref is None else self.get_docs([ref])[0]

    def mark_screened(self, refs_revs: Iterable[tuple[int, int]], now: float,
                      versions: dict[str, str] | None = None) -> None:
        """Mark records screened, unless they changed since (a newer rev is pending),
        with the list versions ({name: content hash}) they were screened against."""
        pairs = list(refs_revs)
        docs = self.get_docs([ref for ref, _ in pairs])
        pipe = self.r.pipeline(transaction=False)
        for (ref, rev), doc in zip(pairs, docs, strict=True):
            if doc is not None and doc["rev"] == rev:
                doc.update(status="screened", screened_at=now, lists=versions or {})
                pipe.hset(f"{self.p}rec", str(ref), json.dumps(doc, ensure_ascii=False))
        pipe.execute()

    def delete(self, tenant: str, record_id: str) -> bool:
        ref = self.ref_of(tenant, record_id)
        if ref is None:
            return False
        self.reindex(ref, set())
        pipe = self.r.pipeline()
        pipe.hdel(f"{self.p}t:{tenant}:ids", record_id)
        pipe.hdel(f"{self.p}rec", str(ref))
        pipe.execute()
        return True

    def iter_records(self, tenant: str, cursor: int = 0, count: int = 500) -> tuple[
        list[dict[str, Any]], int
    ]:
        """One page of a tenant's records (HSCAN order: stable while the book is not
        rehashed); returns (docs, next cursor, 0 at the end)."""
        nxt, found = self.r.hscan(f"{self.p}t:{tenant}:ids", cursor=cursor, count=count)
        refs = [int(v) for v in cast(dict[bytes, bytes], found).values()]
        docs = [d for d in self.get_docs(refs) if d is not None]
        docs.sort(key=lambda d: d["id"])
        return docs, int(nxt)

    def count_records(self, tenant: str) -> int:
        return int(self.r.hlen(f"{self.p}t:{tenant}:ids"))

    # -- index ---------------------------------------------------------------------------
    def reindex(self, ref: int, keys: set[str]) -> None:
        """Index a record under exactly `keys` (idempotent: safe to repeat)."""
        old_raw = self.r.hget(f"{self.p}rk", str(ref))
        old = set(json.loads(old_raw)) if old_raw else set()
        pipe = self.r.pipeline(transaction=False)
        for key in old - keys:
            pipe.srem(f"{self.p}ix:{key}", ref)
        for key in keys - old:
            pipe.sadd(f"{self.p}ix:{key}", ref)
        if keys:
            pipe.hset(f"{self.p}rk", str(ref), json.dumps(sorted(keys), ensure_ascii=False))
        else:
            pipe.hdel(f"{self.p}rk", str(ref))
        pipe.execute()

    def reindex_many(self, items: Sequence[tuple[int, set[str]]]) -> None:
        if not items:
            return
        olds = self.r.hmget(f"{self.p}rk", [str(ref) for ref, _ in items])
        pipe = self.r.pipeline(transaction=False)
        for (ref, keys), old_raw in zip(items, olds, strict=True):
            old = set(json.loads(old_raw)) if old_raw else set()
            for key in old - keys:
                pipe.srem(f"{self.p}ix:{key}", ref)
            for key in keys - old:
                pipe.sadd(f"{self.p}ix:{key}", ref)
            pipe.hset(f"{self.p}rk", str(ref), json.dumps(sorted(keys), ensure_ascii=False))
        pipe.execute()

    def posting_sizes(self, keys: Sequence[str]) -> dict[str, int]:
        pipe = self.r.pipeline(transaction=False)
        for key in keys:
            pipe.scard(f"{self.p}ix:{key}")
        return dict(zip(keys, (int(n) for n in pipe.execute()), strict=True))

    def postings(self, keys: Sequence[str]) -> dict[str, set[int]]:
        pipe = self.r.pipeline(transaction=False)
        for key in keys:
            pipe.smembers(f"{self.p}ix:{key}")
        return {
            k: {int(x) for x in members}
            for k, members in zip(keys, pipe.execute(), strict=True)
        }

    def intersections(self, pairs: Sequence[tuple[str, str]]) -> set[int]:
        pipe = self.r.pipeline(transaction=False)
        for a, b in pairs:
            pipe.sinter([f"{self.p}ix:{a}", f"{self.p}ix:{b}"])
        return {int(x) for members in pipe.execute() for x in members}

    # -- alerts --------------------------------------------------------------------------
    def apply(self, ops: list[dict[str, Any]]) -> int:
        if not ops:
            return 0
        return int(self._apply(args=[self.p, json.dumps(ops, ensure_ascii=False), SEP]))

    def open_alert_ids(self, tenant: str, pkeys: Sequence[str]) -> list[str | None]:
        if not pkeys:
            return []
        raw = self.r.hmget(f"{self.p}t:{tenant}:open", list(pkeys))
        return [None if x is None else _s(x) for x in raw]

    def open_alerts_of_record(self, tenant: str, record_id: str) -> dict[str, str]:
        """pkey -> alert id of the record's open alerts."""
        out: dict[str, str] = {}
        pattern = _glob_escape(record_id) + SEP + "*"
        for k, v in self.r.hscan_iter(f"{self.p}t:{tenant}:open", match=pattern, count=200):
            out[_s(k)] = _s(v)
        return out

    def open_alerts_on_entity(self, list_name: str, source_id: str) -> list[tuple[str, str]]:
        """(tenant, alert id) of every open alert on a list entity, across tenants."""
        members = self.r.smembers(f"{self.p}ent:{entity_key(list_name, source_id)}")
        out = []
        for m in cast(set[bytes], members):
            tenant, _, aid = _s(m).partition(SEP)
            out.append((tenant, aid))
        return sorted(out)

    def get_alert(self, tenant: str, alert_id: str) -> dict[str, Any] | None:
        raw = self.r.hget(f"{self.p}t:{tenant}:alerts", alert_id)
        if raw is None:
            return None
        alert: dict[str, Any] = json.loads(raw)
        self._review([alert], tenant)
        return alert

    def get_alerts(self, tenant: str, ids: Sequence[str]) -> list[dict[str, Any]]:
        if not ids:
            return []
        raw = self.r.hmget(f"{self.p}t:{tenant}:alerts", list(ids))
        out = [json.loads(body) for body in raw if body is not None]
        self._review(out, tenant)
        return out

    def _review(self, alerts: list[dict[str, Any]], tenant: str) -> None:
        found = self.reviews(tenant, [a.get("hit_id") or a["alert_id"] for a in alerts])
        for a in alerts:
            a["review"] = found.get(a.get("hit_id") or a["alert_id"], OPEN_REVIEW)

    def iter_alerts(self, tenant: str, state: str | None = None) -> Iterator[dict[str, Any]]:
        """A tenant's alerts, newest first, optionally only "open" or "closed"."""
        key = f"{self.p}t:{tenant}:aorder"
        start = 0
        while True:
            ids = [_s(x) for x in cast(list[bytes], self.r.zrevrange(key, start, start + 499))]
            if not ids:
                return
            start += len(ids)
            for alert in self.get_alerts(tenant, ids):
                if state is None or alert["state"] == state:
                    yield alert

    def alert_counts(self, tenant: str) -> dict[str, int]:
        states = [_s(x) for x in self.r.hvals(f"{self.p}t:{tenant}:astate")]
        return {"open": states.count("open"), "closed": states.count("closed")}

    # -- list versions seen, entity fingerprints ----------------------------------------
    def seen(self) -> dict[str, str]:
        return {_s(k): _s(v) for k, v in self.r.hgetall(f"{self.p}seen").items()}

    def fingerprints(self, list_name: str) -> dict[str, str]:
        return {_s(k): _s(v) for k, v in self.r.hgetall(f"{self.p}fp:{list_name}").items()}

    def record_version(
        self, list_name: str, content_hash: str, fingerprints: dict[str, str],
        run_id: str | None,
    ) -> None:
        """Remember a list version as seen (with its entities' fingerprints) and queue its
        delta run behind any other, in one transaction."""
        pipe = self.r.pipeline(transaction=True)
        pipe.delete(f"{self.p}fp:{list_name}")
        if fingerprints:
            pipe.hset(f"{self.p}fp:{list_name}", mapping=cast(Any, fingerprints))
        pipe.hset(f"{self.p}seen", list_name, content_hash)
        if run_id is not None:
            pipe.rpush(f"{self.p}lane", run_id)
        pipe.execute()

    # -- the list-delta lane (one run at a time, in order) --------------------------------
    def lane_current(self) -> str | None:
        raw = self.r.get(f"{self.p}lane:current")
        return None if raw is None else _s(raw)

    def lane_advance(self) -> str | None:
        """Make the next queued run current when none is (or the current one finished);
        returns the run that became current, if any."""
        current = self.lane_current()
        if current is not None:
            run = self.runs.get_job(current)
            if run is not None and not run.finished:
                return None
            self.r.delete(f"{self.p}lane:current")
        nxt = self.r.lpop(f"{self.p}lane")
        if nxt is None:
            return None
        run_id = _s(cast(bytes, nxt))
        self.r.set(f"{self.p}lane:current", run_id)
        return run_id

    def lane_queued(self) -> list[str]:
        return [_s(x) for x in self.r.lrange(f"{self.p}lane", 0, -1)]

    # -- events ------------------------------------------------------------------------
    def emit(self, event: dict[str, Any]) -> None:
        self.r.rpush(f"{self.p}outbox", json.dumps(event, ensure_ascii=False))

    @property
    def outbox_key(self) -> str:
        return f"{self.p}outbox"


def _glob_escape(text: str) -> str:
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)
