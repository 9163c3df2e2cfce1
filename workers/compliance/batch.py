"""The batch workers' side: record a screened chunk (hits, suppression, audit) before
its results are saved. Called from `workers.pipeline.run_chunk`; if it raises, the chunk
is not saved and comes back later (the sweeper re-queues stalled chunks), so no batch
record is ever reported without its audit entry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matching.engine import DEFAULT_THRESHOLD, Engine
from workers.compliance.db import Database, get_database
from workers.compliance.store import Context, Screening, list_versions, record_screenings
from workers.jobstore import Job


def job_screening_id(job_id: str, position: int) -> str:
    return f"{job_id}:{position}"


def record_chunk(job: Job, chunk: int, records: list[dict[str, Any]],
                 results: list[dict[str, Any]], engine: Engine,
                 db: Database | None = None,
                 meanwhile: Callable[[], object] | None = None) -> None:
    """Complete `results` in place (hit ids, profiles, review) and write one bulk
    transaction of hits and audit entries for the chunk. `meanwhile` (run_chunk's
    encoding of the completed results) may run while the commit is on its way; this
    returns only once it is committed."""
    options = job.options
    lists = options.get("lists") or None
    threshold = options.get("threshold")
    context = Context(
        tenant=job.tenant, source="job", actor=f"job:{job.id}", job_id=job.id,
        list_versions=list_versions(job.list_ref.get("versions", []), lists),
        threshold=float(DEFAULT_THRESHOLD if threshold is None else threshold),
        limit=int(options.get("limit") or 10), lists=lists,
    )
    first = chunk * job.chunk_size
    screenings = [
        Screening(job_screening_id(job.id, first + i), record, result["matches"],
                  position=first + i, error=result.get("error"))
        for i, (record, result) in enumerate(zip(records, results, strict=True))
    ]
    record_screenings(db or get_database(), engine, context, screenings, skip_audited=True,
                      shared_context=True, meanwhile=meanwhile)
