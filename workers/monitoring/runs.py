"""Monitoring runs: chunked work with the jobs' guarantees (a JobStore of its own).

- A "records" run screens new or changed monitored records (forwards, like a job) and
  indexes them for reverse screening.
- A "delta" run screens the entities a list update added or changed against the
  monitored records of every tenant (reverse: index lookup, then a forward re-score of
  the candidates only), closes alerts on removed entities ("delisted") and re-scores
  alerts on changed ones. Delta runs go one at a time, in order (the store's lane).

Each chunk computes its alert changes, applies them in one atomic step that creates or
closes each alert (and queues its event) at most once, then saves the chunk's result
exactly once: a redelivered chunk recomputes the same changes and applies nothing new.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from itertools import combinations
from typing import Any, cast

from matching.engine import DEFAULT_THRESHOLD, Engine
from matching.errors import InvalidQuery, ScreeningError
from matching.model import Entity
from matching.records import query_from_record
from matching.reverse import entity_keys, record_keys
from workers import settings
from workers.celery_app import get_celery
from workers.compliance.db import get_database
from workers.compliance.fingerprints import hit_id as compliance_hit_id
from workers.compliance.store import Context, Screening, list_versions, record_screenings
from workers.jobstore import Job
from workers.monitoring.store import MonitorStore, entity_key, hit_key
from workers.pipeline import screen_records

log = logging.getLogger("screening.monitoring")

TASK_MONITOR_CHUNK = "screening.monitor_chunk"
FETCH_LIMIT = 50  # matches per record asked of the engine before keeping the delta's


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _id(prefix: str, *parts: str) -> str:
    return prefix + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]


def threshold() -> float:
    return DEFAULT_THRESHOLD if settings.THRESHOLD is None else settings.THRESHOLD


# --- creating and dispatching runs ---------------------------------------------------


def send_chunk(run_id: str, chunk: int) -> None:
    get_celery().send_task(TASK_MONITOR_CHUNK, args=[run_id, chunk], queue=settings.CHUNK_QUEUE)


def start_run(store: MonitorStore, run_id: str) -> None:
    for chunk in store.runs.claim_next_chunks(run_id, settings.JOB_PARALLELISM):
        send_chunk(run_id, chunk)


def create_records_run(store: MonitorStore, tenant: str, refs: Sequence[int]) -> Job:
    """Screen and index these records (queued at once: record runs run side by side)."""
    run, _ = store.runs.create_job(
        tenant, [cast(Any, ref) for ref in refs], chunk_size=settings.CHUNK_SIZE,
        options={"kind": "records"}, list_ref={},
    )
    start_run(store, run.id)
    return run


def create_delta_run(
    store: MonitorStore, ops: Sequence[dict[str, Any]], ref: dict[str, Any], info: dict[str, Any]
) -> Job:
    """Store a delta run; it is queued in the lane by the caller, not dispatched here."""
    run, _ = store.runs.create_job(
        "_lists", list(ops), chunk_size=settings.MONITOR_DELTA_CHUNK,
        options={"kind": "delta", **info}, list_ref=ref,
    )
    return run


def advance_lane(store: MonitorStore) -> str | None:
    run_id = store.lane_advance()
    if run_id is not None:
        start_run(store, run_id)
        log.info("list delta run started", extra={"run_id": run_id})
    return run_id


def requeue_stalled(store: MonitorStore, stall_seconds: float, now: float) -> dict[str, list[int]]:
    """The sweeper: missing chunks of runs that made no progress are queued again (saving
    is idempotent), and the lane moves on when its run finished."""
    requeued: dict[str, list[int]] = {}
    current = store.lane_current()
    for run_id in store.runs.active_job_ids():
        run = store.runs.get_job(run_id)
        if run is None or run.finished or now - run.updated_at < stall_seconds:
            continue
        if run.options.get("kind") == "delta" and run_id != current:
            continue  # queued behind the lane's current run
        missing = store.runs.missing_chunks(run)
        if not missing and run.next_chunk < run.chunk_count:
            missing = store.runs.claim_next_chunks(run_id, settings.JOB_PARALLELISM)
        store.runs.touch(run_id)
        for chunk in missing:
            send_chunk(run_id, chunk)
        requeued[run_id] = missing
    advance_lane(store)
    return requeued


# --- alerts ------------------------------------------------------------------------------


def _entity_map(engine: Engine) -> dict[tuple[str, str], Entity]:
    cached: dict[tuple[str, str], Entity] | None = getattr(engine, "_monitoring_map", None)
    if cached is None:
        cached = {(e.list, e.source_id): e for e in engine.entities}
        engine._monitoring_map = cached  # type: ignore[attr-defined]
    return cached


def _record_view(doc: dict[str, Any]) -> dict[str, Any]:
    rec = doc["record"]
    return {k: rec.get(k) for k in ("id", "name", "schema", "birth_date", "country", "identifier")}


def _event(kind: str, tenant: str, alert: dict[str, Any], now: float) -> str:
    import json

    data = {
        "alert_id": alert["alert_id"],
        "record_id": alert["record"]["id"],
        "list": alert["list"],
        "source_id": alert["source_id"],
        "score": alert["score"],
        "state": alert["state"],
        "closed_reason": alert.get("closed_reason"),
        "links": alert["links"],
    }
    event = {
        "id": _id("evt_", kind, tenant, alert["alert_id"]),
        "type": kind,
        "tenant": tenant,
        "timestamp": iso(now),
        "data": data,
    }
    return json.dumps(event, ensure_ascii=False)


def _new_alert(
    tenant: str, doc: dict[str, Any], match: dict[str, Any], entity: Entity | None,
    run: Job, now: float,
) -> dict[str, Any]:
    rid = doc["id"]
    aid = _id("al_", tenant, rid, match["list"], match["source_id"], run.id)
    entity_url = f"/v1/entities/{match['list']}/{match['source_id']}"
    return {
        "alert_id": aid,
        # Its hit in the compliance record (decisions, suppression); a re-score records a
        # new hit of the same pair and points here to it.
        "hit_id": compliance_hit_id(tenant, aid, match["list"], match["source_id"]),
        "job_id": None,
        "screening_id": aid,
        "source": "monitoring",
        "record": _record_view(doc),
        "list": match["list"],
        "source_id": match["source_id"],
        "schema": match["schema"],
        "name": match["name"],
        "matched_name": match["matched_name"],
        "score": match["score"],
        "explanation": match["explanation"],
        # The party's other matched list entries (each has, or gets, its own alert).
        "sources": match.get("sources") or [
            {"list": match["list"], "source_id": match["source_id"]}],
        "profile": {
            "birth_dates": list(entity.birth_dates) if entity else [],
            "countries": list(entity.countries) if entity else [],
            "programs": list(entity.programs) if entity else [],
            "listed_on": entity.listed_on if entity else None,
            "reason": entity.reason if entity else None,
        },
        "entity_url": entity_url,
        "review": {"state": "open", "decision": None},
        "created_at": iso(now),
        "updated_at": iso(now),
        "state": "open",
        "closed_reason": None,
        "closed_at": None,
        "trigger": {
            "kind": "list_update" if run.options.get("kind") == "delta" else "record_screened",
            "run_id": run.id,
            "list_version": run.options.get("version"),
        },
        "links": {
            "self": f"/v1/alerts/{aid}",
            "record": f"/v1/monitored/{rid}",
            "entity": entity_url,
        },
    }


class _Ops:
    """Collects one chunk's alert changes for MonitorStore.apply."""

    def __init__(self, store: MonitorStore, run: Job | None, now: float) -> None:
        self.store, self.run, self.now = store, run, now
        self.ops: list[dict[str, Any]] = []
        self.created = self.closed = self.rescored = 0
        # Hits to record in the compliance record before the alerts change, by tenant.
        self.screenings: dict[str, list[Screening]] = {}

    def _screened(self, tenant: str, screening_id: str, doc: dict[str, Any],
                  match: dict[str, Any]) -> None:
        self.screenings.setdefault(tenant, []).append(
            Screening(screening_id, doc["record"], [dict(match)]))

    def hit(
        self, tenant: str, doc: dict[str, Any], match: dict[str, Any], entity: Entity | None,
        open_aid: str | None,
    ) -> None:
        pkey = hit_key(doc["id"], match["list"], match["source_id"])
        if open_aid is None:
            assert self.run is not None
            alert = _new_alert(tenant, doc, match, entity, self.run, self.now)
            self._screened(tenant, alert["screening_id"], doc, match)
            self.ops.append({
                "op": "create", "t": tenant, "aid": alert["alert_id"], "pkey": pkey,
                "ekey": entity_key(match["list"], match["source_id"]),
                "body": _dumps(alert), "created": self.now,
                "event": _event("alert.created", tenant, alert, self.now),
            })
            self.created += 1
            return
        current = self.store.get_alert(tenant, open_aid)
        if current is None or self.run is None or (
            current["score"] == match["score"]
            and current["matched_name"] == match["matched_name"]
            and current["record"] == _record_view(doc)
            and self.run.options.get("kind") != "delta"
        ):
            return
        # A changed entity or record: a new screening of the pair, recorded as a new hit
        # whose review the pair's decisions set (a suppressed pair stays suppressed while
        # neither side's fingerprint changed; otherwise it is open for review again).
        screening_id = f"{open_aid}:{self.run.id}"
        self._screened(tenant, screening_id, doc, match)
        alert = current
        alert.update(
            score=match["score"], matched_name=match["matched_name"], name=match["name"],
            explanation=match["explanation"], updated_at=iso(self.now),
            record=_record_view(doc), screening_id=screening_id,
            hit_id=compliance_hit_id(tenant, screening_id, match["list"], match["source_id"]),
        )
        alert.pop("review", None)
        self.ops.append({"op": "update", "t": tenant, "aid": open_aid, "body": _dumps(alert)})
        self.rescored += 1

    def close(self, tenant: str, aid: str, reason: str) -> None:
        alert = self.store.get_alert(tenant, aid)
        if alert is None or alert["state"] != "open":
            return
        alert.update(
            state="closed", closed_reason=reason, closed_at=iso(self.now), updated_at=iso(self.now)
        )
        alert.pop("review", None)
        self.ops.append({
            "op": "close", "t": tenant, "aid": aid,
            "pkey": hit_key(alert["record"]["id"], alert["list"], alert["source_id"]),
            "ekey": entity_key(alert["list"], alert["source_id"]),
            "body": _dumps(alert), "event": _event("alert.closed", tenant, alert, self.now),
        })
        self.closed += 1


def record_hits(run: Job, engine: Engine, ops: _Ops) -> None:
    """Record the chunk's new and re-scored hits in the compliance record (hits with their
    review, and the audit trail) before the alerts change: if this fails the chunk is
    retried, so no alert exists without its hit. Idempotent on a redelivered chunk."""
    versions = run.list_ref.get("versions") or engine.versions()
    for tenant, screenings in ops.screenings.items():
        context = Context(
            tenant=tenant, source="monitoring", actor=f"monitoring:{run.id}",
            list_versions=list_versions(versions, None), threshold=threshold(),
            limit=FETCH_LIMIT, lists=None,
        )
        record_screenings(get_database(), engine, context, screenings, skip_audited=True)


def _dumps(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def stop_monitoring(store: MonitorStore, tenant: str, record_id: str) -> bool:
    """Remove a record from the book and close its open alerts ("unmonitored")."""
    if store.ref_of(tenant, record_id) is None:
        return False
    ops = _Ops(store, None, time.time())
    for aid in store.open_alerts_of_record(tenant, record_id).values():
        ops.close(tenant, aid, "unmonitored")
    store.apply(ops.ops)
    return store.delete(tenant, record_id)


# --- chunks ------------------------------------------------------------------------------


def _screen_docs(engine: Engine, docs: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    # One match per list entry, not per party: each designation is its own alert, so a
    # party already alerted on one list who is designated on another alerts again.
    results = screen_records(
        engine, [d["record"] for d in docs], threshold=threshold(), limit=FETCH_LIMIT,
        per_entry=True,
    )
    return [r["matches"] for r in results]


def index_records(
    store: MonitorStore, refs: list[int], docs: list[dict[str, Any] | None]
) -> None:
    """Index records for reverse screening. Done BEFORE a records chunk picks its lists:
    a list update recorded after that pick finds the records in the index."""
    index: list[tuple[int, set[str]]] = []
    for ref, doc in zip(refs, docs, strict=True):
        if doc is None:
            continue
        try:
            index.append((ref, record_keys(query_from_record(doc["record"]))))
        except InvalidQuery:
            index.append((ref, set()))
    store.reindex_many(index)


def records_chunk(
    store: MonitorStore, refs: list[int], docs_all: list[dict[str, Any] | None],
    engine: Engine, versions: dict[str, str], ops: _Ops,
) -> list[dict[str, Any]]:
    docs = [d for d in docs_all if d is not None]
    entities = _entity_map(engine)
    for doc, matches in zip(docs, _screen_docs(engine, docs), strict=True):
        tenant = doc["tenant"]
        pkeys = [hit_key(doc["id"], m["list"], m["source_id"]) for m in matches]
        open_ids = store.open_alert_ids(tenant, pkeys)
        for m, aid in zip(matches, open_ids, strict=True):
            ops.hit(tenant, doc, m, entities.get((m["list"], m["source_id"])), aid)
        if doc["rev"] > 1:  # a changed record: hits it no longer has are closed
            for pkey, aid in store.open_alerts_of_record(tenant, doc["id"]).items():
                if pkey not in pkeys:
                    ops.close(tenant, aid, "record_changed")
    store.mark_screened(((ref, d["rev"]) for ref, d in zip(refs, docs_all, strict=True)
                         if d is not None), ops.now, versions)
    return [{"ref": ref} for ref in refs]


def candidates(store: MonitorStore, keys: Sequence[Any]) -> set[int]:
    """Records sharing a rare key with one name form, or common keys of two different
    tokens of one form; or any exact (Korean name, identifier) key."""
    exact = {k for ek in keys for k in ek.exact}
    all_keys = sorted({k for ek in keys for form in ek.forms for token in form for k in token}
                      | exact)
    sizes = store.posting_sizes(all_keys)
    common = settings.MONITOR_COMMON_KEY
    direct = [k for k in all_keys if sizes[k] and (k in exact or sizes[k] <= common)]
    found: set[int] = set()
    for members in store.postings(direct).values():
        found |= members
    pairs = {
        (a, b)
        for ek in keys
        for form in ek.forms
        for left, right in combinations(form, 2)
        for a in left if sizes[a] > common
        for b in right if sizes[b] > common
    }
    if pairs:
        found |= store.intersections(sorted(pairs))
    return found


def delta_chunk(
    store: MonitorStore, run: Job, items: list[dict[str, Any]], engine: Engine, ops: _Ops
) -> list[dict[str, Any]]:
    entities = _entity_map(engine)
    screened: dict[tuple[str, str], Entity] = {}
    rescore: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for item in items:
        ident = (item["list"], item["source_id"])
        if item["op"] == "removed":
            for tenant, aid in store.open_alerts_on_entity(*ident):
                ops.close(tenant, aid, "delisted")
            continue
        entity = entities.get(ident)
        if entity is None:
            log.warning("delta entity missing from the engine", extra={"run_id": run.id})
            continue
        screened[ident] = entity
        if item["op"] == "changed":
            rescore[ident] = store.open_alerts_on_entity(*ident)
    refs = candidates(store, [entity_keys(e) for e in screened.values()])
    existing: dict[tuple[str, str], str] = {}  # (tenant, record id) -> ...
    for alerts in rescore.values():
        for tenant, aid in alerts:
            alert = store.get_alert(tenant, aid)
            if alert is not None and (ref := store.ref_of(tenant, alert["record"]["id"])):
                refs.add(ref)
                existing[(tenant, aid)] = alert["record"]["id"]
    docs = [d for d in store.get_docs(sorted(refs)) if d is not None]
    still: set[tuple[str, str]] = set()
    for doc, matches in zip(docs, _screen_docs(engine, docs), strict=True):
        mine = [m for m in matches if (m["list"], m["source_id"]) in screened]
        if not mine:
            continue
        tenant = doc["tenant"]
        pkeys = [hit_key(doc["id"], m["list"], m["source_id"]) for m in mine]
        for m, open_aid in zip(mine, store.open_alert_ids(tenant, pkeys), strict=True):
            ops.hit(tenant, doc, m, screened[(m["list"], m["source_id"])], open_aid)
            if open_aid is not None:
                still.add((tenant, open_aid))
    for (tenant, aid), _rid in existing.items():
        if (tenant, aid) not in still:
            ops.close(tenant, aid, "no_longer_matches")
    return [{"op": i["op"], "source_id": i["source_id"], "candidates": len(docs)} for i in items]


def run_chunk(
    store: MonitorStore, run_id: str, chunk: int,
    engine_for: Callable[[dict[str, Any]], Engine],
    current_ref: Callable[[], dict[str, Any]] | None = None,
) -> str:
    run = store.runs.get_job(run_id)
    if run is None:
        return "gone"
    if run.finished:
        return run.status
    if store.runs.has_chunk_result(run_id, chunk):
        return "duplicate"
    items = store.runs.chunk_records(run_id, chunk)
    if items is None:
        return "gone"
    store.runs.mark_running(run_id)
    delta = run.options.get("kind") == "delta"
    refs = [] if delta else [int(cast(Any, x)) for x in items]
    docs = [] if delta else store.get_docs(refs)
    if not delta:
        index_records(store, refs, docs)
    # A delta run screens its own version; a records run the newest list version there
    # is once its records are indexed (not the process's engine, which may lag behind):
    # an update recorded before this pick is screened here, one after it finds the
    # records in the index, so a record added during an update never misses it.
    try:
        ref = run.list_ref if delta or current_ref is None else current_ref()
        engine = engine_for(ref)
    except ScreeningError as exc:
        store.runs.fail(run_id, f"lists cannot be loaded: {exc.message}")
        advance_lane(store)
        return "failed"
    ops = _Ops(store, run, time.time())
    if delta:
        results = delta_chunk(store, run, items, engine, ops)
    else:
        versions = {str(v["name"]): str(v["content_hash"]) for v in ref.get("versions", [])}
        results = records_chunk(store, refs, docs, engine, versions, ops)
    record_hits(run, engine, ops)
    applied = store.apply(ops.ops)
    outcome = store.runs.save_chunk_results(run_id, chunk, results)
    log.info("monitoring chunk", extra={
        "run_id": run_id, "chunk": chunk, "kind": run.options.get("kind"), "outcome": outcome,
        "alerts_created": ops.created, "alerts_closed": ops.closed,
        "alerts_rescored": ops.rescored,
        "applied": applied,
    })
    if outcome not in (1, 2):  # 2: saved, and it completed the run
        return {0: "duplicate", -1: "gone", -2: "cancelled"}.get(outcome, "unknown")
    for nxt in store.runs.claim_next_chunks(run_id, 1) if outcome == 1 else ():
        send_chunk(run_id, nxt)
    done = store.runs.get_job(run_id)
    if done is not None and done.finished and run.options.get("kind") == "delta":
        advance_lane(store)
    return "saved"
