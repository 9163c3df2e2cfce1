"""Liveness (/healthz), readiness (/readyz) and Prometheus metrics (/metrics); no auth,
so orchestrators and scrapers can reach them."""

from __future__ import annotations

import hmac
from typing import Any, cast

from apiflask import APIBlueprint
from flask import Response, current_app, jsonify, request

from api.context import services
from api.errors import NotFound, Unauthorized, error_body
from api.schemas import HealthOut, ReadyOut
from workers.compliance.db import UNREACHABLE
from workers.heartbeat import alive_workers

bp = APIBlueprint("health", __name__, tag="Operations")


@bp.get("/healthz")
@bp.output(HealthOut)
@bp.doc(summary="Liveness", description="Answers while the process lives; it checks "
        "nothing else (not Redis, not the database: see /readyz), so an outage elsewhere "
        "never gets a healthy API process restarted.")
def healthz() -> Any:
    return {"status": "ok"}


_NOT_READY: dict[int | str, Any] = {503: {
    "description": "Not ready: details.reasons says why.",
    "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/HTTPError"},
        "example": {"error": {
            "code": "not_ready",
            "message": f"Not ready: {UNREACHABLE}.",
            "details": {"reasons": [UNREACHABLE],
                        "checks": {"redis": "ok", "workers": "1 alive",
                                   "database": "unavailable", "lists": "lists loaded"}},
        }},
    }},
}}


@bp.get("/readyz")
@bp.output(ReadyOut, description="Ready: Redis and the compliance database answer, a "
           "worker is alive, lists loaded.",
           example={"status": "ready", "checks": {"redis": "ok", "workers": "1 alive",
                                                  "database": "ok",
                                                  "lists": "lists loaded"}})
@bp.doc(
    summary="Readiness",
    description="Ready only when Redis answers, the compliance database answers and is "
    "migrated (no screening is answered without its audit entry), at least one worker is "
    "alive and the lists are loaded. Otherwise 503 (with Retry-After) and the error body: "
    "details.reasons says what is wrong and what to do, details.checks the state of each "
    "part. /healthz (liveness) checks none of these.",
    responses=_NOT_READY,
)
def readyz() -> Any:
    svc = services()
    checks: dict[str, str] = {}
    reasons: list[str] = []
    try:
        svc.redis.ping()
        checks["redis"] = "ok"
        workers = alive_workers(svc.redis, svc.prefix)
        checks["workers"] = f"{len(workers)} alive"
        if not workers:
            reasons.append("no worker is alive: start one with `screening worker`")
    except Exception as exc:  # any Redis failure means "not ready", never a 500
        checks["redis"] = f"unreachable: {type(exc).__name__}"
        checks["workers"] = "unknown"
        reasons.append("Redis does not answer: check SCREENING_REDIS_URL")
    problem = svc.compliance.problem()
    checks["database"] = "ok" if problem is None else "unavailable"
    if problem is not None:
        reasons.append(problem)
    loaded, note = current_app.extensions["screening_warmup"].status()
    checks["lists"] = note
    if not loaded:
        reasons.append(note)
    if reasons:
        body = error_body("not_ready", "Not ready: " + "; ".join(reasons) + ".",
                          {"reasons": reasons, "checks": checks})
        response = jsonify(body)  # the error shape, not ReadyOut
        response.status_code = 503
        response.headers["Retry-After"] = "5"
        return response
    return {"status": "ready", "checks": checks}


@bp.get("/metrics")
@bp.doc(
    summary="Prometheus metrics",
    description="Jobs by state, records screened, records/s, queue depth, instant-check "
    "and chunk latency histograms (text exposition format). Needs the operator's metrics "
    "token (SCREENING_METRICS_TOKEN) as `Authorization: Bearer <token>`, never a tenant key.",
    responses=cast(Any, {200: {"description": "Prometheus text format.",
                               "content": {"text/plain": {"schema": {"type": "string"}}}},
                         401: "Missing or wrong metrics token.",
                         404: "Metrics are disabled (no SCREENING_METRICS_TOKEN)."}),
)
def metrics() -> Response:
    token = str(current_app.config.get("METRICS_TOKEN") or "")
    if not token:
        raise NotFound("Metrics are disabled: set SCREENING_METRICS_TOKEN and scrape with "
                       "`Authorization: Bearer <token>`.")
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(presented.strip(), token):
        raise Unauthorized("/metrics needs the metrics token (SCREENING_METRICS_TOKEN; "
                           "`screening serve` keeps it in <data-dir>/metrics-token), sent as "
                           "`Authorization: Bearer <token>`; tenant API keys are not accepted.",
                           field="Authorization")
    return Response(services().metrics.render(),
                    mimetype="text/plain", headers={"Cache-Control": "no-store"})
