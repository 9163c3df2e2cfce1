"""Screening one chunk: plain functions, testable without Celery."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from matching.config import weights_hash
from matching.engine import ALGORITHM_NAME, ALGORITHM_VERSION, DEFAULT_THRESHOLD, Engine
from matching.errors import InvalidQuery, ScreeningError
from matching.model import Match, Query
from matching.policy import MatchingPolicy, policy_from
from matching.records import query_from_record
from workers import settings
from workers.jobstore import JobStore

CHUNK_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)

log = logging.getLogger("screening.worker")

def result_status(result: dict[str, Any]) -> str:
    """"error" for a record that could not be screened (it was NOT checked), else "ok"."""
    return "error" if result.get("error") else "ok"


RECORD_ERROR = (
    "this record could not be screened because of an internal error; it was not "
    "checked against the lists: resubmit it, and report the job id if it fails again"
)


def _screen_all(
    engine: Engine, queries: list[Query], policy: MatchingPolicy, limit: int,
    per_entry: bool = False,
) -> list[list[Match] | None]:
    """Matches per query; None for a query the engine failed on.

    A record that crashes the engine must not sink its whole chunk (which would be
    redelivered and fail forever): on failure, screen one by one and flag only it.
    """
    opts = {"per_entry": True} if per_entry else {}
    try:
        return list(engine.screen_many(queries, limit=limit, policy=policy, **opts))
    except Exception as exc:
        # The exception type only: messages could quote a screened name.
        log.error(
            "batch screening failed; retrying record by record", extra={"error": type(exc).__name__}
        )
    out: list[list[Match] | None] = []
    for query in queries:
        try:
            out.append(engine.screen(query, limit=limit, policy=policy, **opts))
        except Exception as exc:
            log.error("record could not be screened", extra={"error": type(exc).__name__})
            out.append(None)
    return out


def screen_records(
    engine: Engine,
    records: list[dict[str, Any]],
    threshold: float,
    limit: int,
    lists: list[str] | None = None,
    policy: dict[str, Any] | None = None,
    per_entry: bool = False,
) -> list[dict[str, Any]]:
    """Results for records, in order. The instant check uses this too, so both paths
    answer alike. Every result records the policy, algorithm version and weights hash
    it was decided with. `per_entry`: one match per list entry (Engine.screen_many)."""
    applied = policy_from(policy).merged({"threshold": threshold})
    algorithm = {"name": ALGORITHM_NAME, "version": ALGORITHM_VERSION,
                 "weights_hash": weights_hash()}
    recorded = applied.to_dict()
    queries: list[Query | None] = []
    for record in records:
        try:
            queries.append(query_from_record(record))
        except InvalidQuery:
            queries.append(None)  # validated at submission; kept only for robustness
    valid = [q for q in queries if q is not None]
    # Ask for more when filtering by list, so filtering cannot starve the top N.
    fetch = limit if not lists else max(limit * 4, 40)
    answers = iter(_screen_all(engine, valid, applied, fetch, per_entry))
    out: list[dict[str, Any]] = []
    for record, query in zip(records, queries, strict=True):
        found = None if query is None else next(answers)
        matches = [m for m in found or [] if not lists or m.list in lists]
        result: dict[str, Any] = {
            "id": record.get("id"),
            "name": record.get("name"),
            "status": "ok" if found is not None else "error",
            "matches": [m.to_dict() for m in matches[:limit]],
            "policy": recorded,
            "algorithm": algorithm,
        }
        if found is None:
            result["error"] = RECORD_ERROR
        out.append(result)
    return out


def run_chunk(
    store: JobStore,
    job_id: str,
    chunk: int,
    engine_for: Callable[[dict[str, Any]], Engine],
    on_saved: Callable[[JobStore, str], object],
    on_screened: Callable[..., object] | None = None,
) -> str:
    """Screen one chunk and save it once. Returns what happened, for logs and tests.
    `on_screened(job, chunk, records, results, engine, meanwhile=…)` (the compliance
    record) runs before the save; if it raises, nothing is saved and the chunk is
    screened again later. It may run `meanwhile` (encoding the results for the store)
    while its commit is on its way, so that wait overlaps useful work; the results are
    saved only after it returned, i.e. after the commit."""
    job = store.get_job(job_id)
    if job is None:
        return "gone"
    if job.finished:
        return job.status
    if store.has_chunk_result(job_id, chunk):
        return "duplicate"
    records = store.chunk_records(job_id, chunk)
    if records is None:
        return "gone"
    store.mark_running(job_id)
    try:
        engine = engine_for(job.list_ref)
    except ScreeningError as exc:
        # The job's pinned list version can no longer be loaded (e.g. pruned): retrying
        # cannot help, so fail the job with the reason instead of re-queueing it forever.
        store.fail(job_id, f"lists for this job cannot be loaded: {exc.message}")
        log.error("job failed: lists unavailable", extra={"job_id": job_id})
        return "failed"
    threshold = job.options.get("threshold")
    results = screen_records(
        engine,
        records,
        threshold=DEFAULT_THRESHOLD if threshold is None else float(threshold),
        limit=int(job.options.get("limit") or 10),
        lists=job.options.get("lists") or None,
        policy=job.options.get("policy"),
    )
    encoded: list[str] = []
    if on_screened is not None:
        on_screened(job, chunk, records, results, engine,
                    meanwhile=lambda: encoded.append(store.encode_results(results)))
    outcome = store.save_chunk_results(job_id, chunk, results,
                                       encoded[0] if encoded else None)
    log.info(
        "chunk screened",
        extra={"job_id": job_id, "chunk": chunk, "records": len(records), "outcome": outcome},
    )
    if outcome == 2:
        store.observe_chunk_seconds(job_id, CHUNK_BUCKETS, settings.JOB_PARALLELISM)
        return "saved"
    if outcome == 1:
        on_saved(store, job_id)
        return "saved"
    return {0: "duplicate", -1: "gone", -2: "cancelled"}.get(outcome, "unknown")
