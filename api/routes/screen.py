"""The instant check: one record, answered synchronously from the in-process engine
through workers.pipeline.screen_records, the very function batch workers run, with the
same option resolution, so both paths give the same answer for the same record."""

from __future__ import annotations

import logging
import time
from typing import Any

from apiflask import APIBlueprint

from api.auth import SECURITY_SCHEME, current_tenant, tenant_required
from api.context import services
from api.options import clean_record, resolve, versions_for
from api.schemas import ScreenIn, ScreenOut
from matching.config import weights_hash
from matching.engine import ALGORITHM_NAME, ALGORITHM_VERSION
from matching.records import query_from_record
from workers import engines
from workers.pipeline import screen_records

log = logging.getLogger("screening.api")
bp = APIBlueprint("screen", __name__, url_prefix="/v1", tag="Instant check")

_OPTIONS = ("lists", "threshold", "limit", "policy")


@bp.post("/screen")
@tenant_required
@bp.input(ScreenIn, arg_name="body")
@bp.output(ScreenOut, description="The record's matches, best first, with explanations.")
@bp.doc(
    summary="Screen one record now",
    description="Synchronous check of one record (name, plus optional birth_date, "
    "country/nationality, schema, identifiers). Answers exactly as a batch job would for "
    "the same record and options. An optional `policy` object sets the matching policy "
    "for this check over the tenant's (see PolicyIn).",
    security=SECURITY_SCHEME,
    responses={
        400: "Invalid record or options: details.field names the field.",
        401: "Missing, unknown or revoked API key.",
        429: "Rate limit exceeded: wait for Retry-After seconds.",
    },
)
def screen(body: dict[str, Any]) -> Any:
    svc = services()
    ref = engines.current_list_ref()
    applied = resolve(current_tenant(), ref, body.get("threshold"), body.get("limit"),
                      body.get("lists"), body.get("policy"))
    record = clean_record({k: v for k, v in body.items() if k not in _OPTIONS})
    query_from_record(record)  # raises InvalidQuery (400) naming the field
    engine = engines.engine_for(ref)
    started = time.perf_counter()
    try:
        result = screen_records(engine, [record], applied.threshold, applied.limit,
                                applied.lists, applied.policy)[0]
    except Exception:
        svc.metrics.instant_checks.labels(outcome="error").inc()
        raise
    took = time.perf_counter() - started
    svc.metrics.instant_seconds.observe(took)
    hit = bool(result["matches"])
    svc.metrics.instant_checks.labels(outcome="hit" if hit else "clear").inc()
    log.info("instant check", extra={"tenant": current_tenant().name, "hit": hit,
                                     "matches": len(result["matches"]),
                                     "took_ms": round(took * 1000, 2)})
    return {
        "result": {"position": 0, "id": result.get("id"), "name": result.get("name"),
                   "matches": result["matches"], "policy": result["policy"],
                   "algorithm": result["algorithm"]},
        "hit": hit,
        "threshold": applied.threshold,
        "lists": versions_for(ref, applied.lists),
        "algorithm": {"name": ALGORITHM_NAME, "version": ALGORITHM_VERSION,
                      "weights_hash": weights_hash()},
        "policy": applied.policy,
        "took_ms": round(took * 1000, 3),
    }
