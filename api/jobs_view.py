"""How a stored job is shown to its tenant: status, progress, lists, links."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from api.options import versions_for
from workers.jobstore import Job
from workers.pipeline import result_status


def _dt(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, tz=UTC)


def progress(job: Job, now: float | None = None) -> dict[str, Any]:
    now = time.time() if now is None else now
    end = job.finished_at if job.finished and job.finished_at else now
    elapsed = (end - job.started_at) if job.started_at is not None else 0.0
    rate = job.done / elapsed if elapsed > 0 else 0.0
    remaining = job.total - job.done
    estimate: datetime | None = None
    if job.finished:
        estimate = _dt(job.finished_at)
    elif rate > 0:
        estimate = _dt(now + remaining / rate)
    return {
        "done": job.done,
        "total": job.total,
        "percent": round(100.0 * job.done / job.total, 2) if job.total else 100.0,
        "records_per_second": round(rate, 2),
        "estimated_finish": estimate,
    }


def retry_after(job: Job, now: float | None = None) -> int:
    """Seconds a poller should wait: short near the end, longer on big jobs, 1..30."""
    if job.status == "queued":
        return 2
    info = progress(job, now)
    rate = float(info["records_per_second"])
    if rate <= 0:
        return 2
    seconds = (job.total - job.done) / rate / 4
    return int(min(30, max(1, seconds)))


def job_view(job: Job) -> dict[str, Any]:
    options = job.options
    return {
        "id": job.id,
        "status": job.status,
        "reference": options.get("reference"),
        "progress": progress(job),
        "hits": job.hits,
        "errors": job.errors,
        "lists": versions_for(job.list_ref, options.get("lists")),
        "options": {
            "threshold": options.get("threshold"),
            "limit": options.get("limit"),
            "lists": options.get("lists"),
            **({"policy": options["policy"]} if options.get("policy") else {}),
        },
        "created_at": _dt(job.created_at),
        "started_at": _dt(job.started_at),
        "updated_at": _dt(job.updated_at),
        "finished_at": _dt(job.finished_at),
        "error": job.error,
        "links": {"self": f"/v1/jobs/{job.id}", "results": f"/v1/jobs/{job.id}/results"},
    }


def result_view(position: int, result: dict[str, Any]) -> dict[str, Any]:
    """One record's result as shown: a record that could not be screened says
    `status: "error"` with its `error`, never a clean miss."""
    out = {"position": position, "id": result.get("id"), "name": result.get("name"),
           "status": result_status(result), "matches": result.get("matches", [])}
    if result.get("error"):
        out["error"] = result["error"]
    # the decision's record: policy, algorithm version, weights hash
    out.update({k: result[k] for k in ("policy", "algorithm") if k in result})
    return out
