"""Batch jobs: submit, list, poll, read results, cancel or purge.

A tenant sees only its own jobs: another tenant's job id answers 404, never 403.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any, cast

from apiflask import APIBlueprint
from flask import Response, request

from api import settings
from api.auth import SECURITY_SCHEME, current_tenant, tenant_required
from api.compliance_export import overlaid, overlay_reviews
from api.context import services
from api.errors import (
    BadRequest,
    IdempotencyInProgress,
    IdempotencyKeyReused,
    JobLimitReached,
    JobNotFinished,
    NotFound,
)
from api.jobs_view import job_view, result_view, retry_after
from api.options import resolve
from api.results_export import csv_lines, jsonl_lines, spool
from api.roles import check_job_size
from api.schemas import (
    CsvJobQuery,
    IdempotencyHeader,
    JobOut,
    JobPage,
    JobsQuery,
    ResultPage,
    ResultsQuery,
)
from api.submission import fingerprint, parse_submission
from workers import dispatch, engines
from workers import settings as wsettings
from workers.jobstore import ActiveJobLimit, Job

log = logging.getLogger("screening.api")
bp = APIBlueprint("jobs", __name__, url_prefix="/v1", tag="Jobs")

IDEMPOTENCY_LOCK_SECONDS = 120  # longer than validating and storing the largest batch
IDEMPOTENCY_WAIT_SECONDS = 10.0  # a concurrent retry waits this long for the first attempt
_JOB_REF = {"$ref": "#/components/schemas/JobOut"}
_AUTH_ERRORS: dict[Any, Any] = {
    401: "Missing, unknown or revoked API key.",
    429: "Rate limit exceeded (or, on POST /v1/jobs, too many unfinished jobs): "
    "wait for Retry-After seconds.",
}


def _own_job(job_id: str) -> Job:
    job = services().jobs.get_job(job_id)
    if job is None or job.tenant != current_tenant().name:
        raise NotFound(
            f"No job {job_id!r} for this API key: GET /v1/jobs lists your jobs.", field="job_id"
        )
    return job


def _cursor(raw: str | None) -> int:
    if raw is None or raw == "":
        return 0
    if not raw.isdigit():
        raise BadRequest("cursor must be a value taken from `next_cursor`.", field="cursor")
    return int(raw)


@bp.post("/jobs")
@tenant_required
@bp.input(CsvJobQuery, location="query", arg_name="csv_query")
@bp.input(IdempotencyHeader, location="headers", arg_name="idem")
@bp.output(JobOut, status_code=202, description="Accepted: the job is stored and queued.")
@bp.doc(
    summary="Submit a batch job",
    description=(
        "Send JSON `{\"records\": [...], \"lists\", \"threshold\", \"limit\", \"reference\"}`, "
        "a `text/csv` body, or a multipart upload with the CSV in field `file` (CSV options "
        "go in the query string). CSV header: `id,name,schema,birth_date,country,identifier` "
        "(UTF-8, BOM allowed; delimiter `,` `;` tab or `|`). Every record is validated; an "
        "invalid job is rejected whole with 400 listing `{row, field, problem}` (first 100, "
        "plus `total_errors`). With an `Idempotency-Key` header a retried POST returns the "
        "original job with 200 instead of creating another (202). An optional `policy` "
        "object (a JSON `policy` query parameter for CSV) sets this job's matching policy "
        "over the tenant's: threshold, list_thresholds, lists, strict_types, "
        "namesake_year_gap, missing_data; every result records the policy and the "
        "algorithm's version and weights hash."
    ),
    security=SECURITY_SCHEME,
    responses=cast(Any, {
        200: {"description": "Idempotent replay: the job created earlier with this "
              "Idempotency-Key.", "content": {"application/json": {"schema": _JOB_REF}}},
        400: "Invalid job (nothing stored): details.errors lists {row, field, problem}.",
        403: "The tenant's role does not allow this job (employers: small jobs only); "
        "the message says what the role allows.",
        409: "The Idempotency-Key was used before with a different body, or its first "
        "request is still being processed (retry after Retry-After).",
        413: "Body or record count over the limit: split the batch.",
        415: "Unsupported Content-Type.",
        **_AUTH_ERRORS,
    }),
)
def create_job(csv_query: dict[str, Any], idem: dict[str, Any]) -> Any:
    svc = services()
    tenant = current_tenant()
    key = idem.get("idempotency_key")
    digest = fingerprint(request)
    if not key:
        return _create(digest, None)
    # A retry can arrive while the first attempt is still validating a large batch: only
    # one request per key creates at a time; a concurrent one waits, then replays its job
    # (or, if that attempt was rejected, makes its own). create_job re-checks the key.
    lock = f"{svc.prefix}idem-lock:{tenant.name}:{key}"
    deadline = time.monotonic() + IDEMPOTENCY_WAIT_SECONDS
    while True:
        existing = _idempotent_job(tenant.name, key)
        if existing is not None:
            return _replay(existing, digest)
        if svc.redis.set(lock, "1", nx=True, ex=IDEMPOTENCY_LOCK_SECONDS):
            break
        if time.monotonic() > deadline:
            raise IdempotencyInProgress(
                "A request with this Idempotency-Key is still being processed: retry it in "
                "a few seconds to get its job.",
                field="Idempotency-Key",
                headers={"Retry-After": "5"},
            )
        time.sleep(0.1)
    try:
        return _create(digest, key)
    finally:
        svc.redis.delete(lock)


def _replay(existing: Job, digest: str) -> Any:
    if existing.options.get("request_hash") not in (None, digest):
        raise IdempotencyKeyReused(
            "This Idempotency-Key was already used for a different request: use a "
            "new key for a new job.",
            field="Idempotency-Key",
            details={"job_id": existing.id},
        )
    return job_view(existing), 200, {"Location": f"/v1/jobs/{existing.id}"}


def _create(digest: str, key: str | None) -> Any:
    svc = services()
    tenant = current_tenant()
    cap = tenant.settings.max_concurrent_jobs or settings.MAX_CONCURRENT_JOBS
    active = svc.jobs.count_active(tenant.name)
    if active >= cap:  # early refusal, before reading the body; create_job re-checks
        raise _limit_reached(active, cap)
    max_records = tenant.settings.max_batch_size or settings.MAX_RECORDS
    submission = parse_submission(request, max_records)
    check_job_size(tenant, len(submission.records))
    list_ref = engines.current_list_ref()
    applied = resolve(tenant, list_ref, submission.threshold, submission.limit, submission.lists,
                      submission.policy)
    options = {
        **applied.to_dict(),
        "reference": submission.reference,
        "source": submission.source,
        "request_hash": digest,
    }
    try:
        job, created = svc.jobs.create_job(
            tenant.name,
            submission.records,
            chunk_size=wsettings.CHUNK_SIZE,
            options=options,
            list_ref=list_ref,
            idempotency_key=key,
            max_active=cap,
        )
    except ActiveJobLimit as exc:  # a parallel POST took the last slot
        raise _limit_reached(exc.active, cap) from None
    if not created:  # another request with this key got there first
        return _replay(job, digest)
    if created:
        dispatch.start_job(svc.jobs, job.id)  # enqueue only after the job is saved
        svc.metrics.jobs_submitted.inc()
        svc.metrics.records_submitted.inc(job.total)
        log.info("job accepted", extra={"job_id": job.id, "tenant": tenant.name,
                                        "records": job.total, "source": submission.source})
    status = 202 if created else 200
    return job_view(job), status, {"Location": f"/v1/jobs/{job.id}"}


def _limit_reached(active: int, cap: int) -> JobLimitReached:
    return JobLimitReached(
        f"You have {active} unfinished jobs, the most allowed at once is {cap}: wait for "
        "one to finish (poll GET /v1/jobs/{id}) or cancel one, then resubmit.",
        details={"active_jobs": active, "max_concurrent_jobs": cap},
        headers={"Retry-After": "30"},
    )


def _idempotent_job(tenant: str, key: str) -> Job | None:
    job = services().jobs.find_idempotent(tenant, key)
    return job if job is not None and job.tenant == tenant else None


@bp.get("/jobs")
@tenant_required
@bp.input(JobsQuery, location="query", arg_name="query")
@bp.output(JobPage)
@bp.doc(summary="List your jobs", description="Newest first; page with `cursor`.",
        security=SECURITY_SCHEME, responses={400: "Invalid query parameter.", **_AUTH_ERRORS})
def list_jobs(query: dict[str, Any]) -> Any:
    store = services().jobs
    offset = _cursor(query.get("cursor"))
    limit = int(query["limit"])
    ids = store.tenant_job_ids(current_tenant().name, limit=limit + 1, offset=offset)
    jobs = [job for job in (store.get_job(i) for i in ids[:limit]) if job is not None]
    more = len(ids) > limit
    next_cursor = str(offset + limit) if more else None
    return {"jobs": [job_view(j) for j in jobs], "next_cursor": next_cursor}


@bp.get("/jobs/<job_id>")
@tenant_required
@bp.output(JobOut)
@bp.doc(
    summary="Poll a job",
    description="Status (queued, running, completed, failed, cancelled), progress, list "
    "versions, hit count and timestamps. While the job is unfinished a `Retry-After` header "
    "says when to poll again.",
    security=SECURITY_SCHEME,
    responses={404: "No such job for this API key.", **_AUTH_ERRORS},
)
def get_job(job_id: str) -> Any:
    job = _own_job(job_id)
    headers = {} if job.finished else {"Retry-After": str(retry_after(job))}
    return job_view(job), 200, headers


@bp.get("/jobs/<job_id>/results")
@tenant_required
@bp.input(ResultsQuery, location="query", arg_name="query")
@bp.output(ResultPage, description="A page of results in input order.")
@bp.doc(
    summary="Read a job's results",
    description="Results in stable input order, paginated with `cursor`; each carries the "
    "engine's explanation. `only_hits=true` keeps records with matches. `format=csv` or "
    "`format=jsonl` streams every result of a finished job as a download.",
    security=SECURITY_SCHEME,
    responses=cast(Any, {
        200: {"content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/x-ndjson": {"schema": {"type": "string"}},
        }},
        400: "Invalid query parameter.",
        404: "No such job for this API key.",
        409: "Downloads need a finished job: poll until it completes.",
        **_AUTH_ERRORS,
    }),
)
def get_results(job_id: str, query: dict[str, Any]) -> Any:
    job = _own_job(job_id)
    store = services().jobs
    only_hits = bool(query.get("only_hits"))
    fmt = query.get("format") or "json"
    if fmt != "json":
        if not job.finished:
            raise JobNotFinished(
                f"Job {job.id} is {job.status}: downloads are available once it finishes; "
                "poll GET /v1/jobs/{id} (or page through results as they arrive).",
                details={"status": job.status},
                headers={"Retry-After": str(retry_after(job))},
            )
        items = overlaid(services().compliance, job.tenant,
                         (r for _, r in store.iter_results(job, 0, only_hits)))
        lines: Iterator[str] = (
            csv_lines(items, query.get("layout") or "records") if fmt == "csv"
            else jsonl_lines(items)
        )
        handle, size = spool(lines)
        mimetype = "text/csv" if fmt == "csv" else "application/x-ndjson"
        log.info("results downloaded", extra={"job_id": job.id, "format": fmt})
        response = Response(
            iter(lambda: handle.read(1 << 16), b""),
            mimetype=mimetype,
            headers={"Content-Disposition": f'attachment; filename="{job.id}.{fmt}"',
                     "Content-Length": str(size)},
        )
        response.call_on_close(handle.close)
        return response
    cursor = _cursor(query.get("cursor"))
    limit = int(query.get("limit") or settings.RESULTS_PAGE_DEFAULT)
    page: list[dict[str, Any]] = []
    last = cursor - 1
    for position, result in store.iter_results(job, cursor, only_hits):
        page.append(result_view(position, result))
        last = position
        if len(page) >= limit:
            break
    overlay_reviews(services().compliance, job.tenant, page)  # reviews as they are now
    full = len(page) >= limit and last + 1 < job.total
    done = job.finished and not full
    next_cursor = None if done else str(max(cursor, last + 1))
    headers = {} if job.finished else {"Retry-After": str(retry_after(job))}
    return {"job_id": job.id, "status": job.status, "results": page,
            "next_cursor": next_cursor, "complete": done}, 200, headers


@bp.delete("/jobs/<job_id>")
@tenant_required
@bp.output(JobOut, description="The job was running or queued: it is now cancelled.")
@bp.doc(
    summary="Cancel or purge a job",
    description="Cancels an unfinished job (200, its results so far stay readable until "
    "they expire), or deletes a finished job's records and results (204).",
    security=SECURITY_SCHEME,
    responses={204: "The finished job and its data were deleted.",
               404: "No such job for this API key.", **_AUTH_ERRORS},
)
def delete_job(job_id: str) -> Any:
    job = _own_job(job_id)
    store = services().jobs
    if not job.finished and store.cancel(job.id):
        log.info("job cancelled", extra={"job_id": job.id})
        cancelled = store.get_job(job.id)
        return job_view(cancelled or job)
    store.purge(job.id)
    log.info("job purged", extra={"job_id": job.id})
    return Response(status=204)


