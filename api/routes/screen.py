"""The instant check: one record, answered synchronously from the in-process engine
through workers.pipeline.screen_records, the very function batch workers run, with the
same option resolution, so both paths give the same answer for the same record."""

from __future__ import annotations

import logging
import time
from typing import Any

from apiflask import APIBlueprint
from flask import current_app

from api.auth import SECURITY_SCHEME, current_tenant, tenant_required
from api.context import services
from api.errors import ScreeningFailed
from api.fast_dump import compile_dumper
from api.group_commit import group_commit
from api.jobs_view import result_view
from api.lean_input import lean_json_input
from api.options import clean_record, resolve, versions_for
from api.schemas import ScreenIn, ScreenOut
from matching.config import weights_hash
from matching.engine import ALGORITHM_NAME, ALGORITHM_VERSION
from matching.records import query_from_record
from workers import engines
from workers.compliance.fingerprints import new_id
from workers.compliance.store import Context, Screening, list_versions
from workers.pipeline import screen_records

log = logging.getLogger("screening.api")
bp = APIBlueprint("screen", __name__, url_prefix="/v1", tag="Instant check")

_OPTIONS = ("lists", "threshold", "limit", "policy")
# The hot path's own (de)serialisers: the same contract as ScreenIn/ScreenOut, a
# fraction of the CPU (see api/lean_input.py and api/fast_dump.py).
_SCREEN_IN = ScreenIn()
_DUMP_OUT = compile_dumper(ScreenOut())


@bp.post("/screen")
@tenant_required
@bp.input(_SCREEN_IN, arg_name="body", validation=False)  # the spec; validated below
@lean_json_input(_SCREEN_IN, arg_name="body")
@bp.output(ScreenOut, description="The record's matches, best first, with explanations.")
@bp.doc(
    summary="Screen one record now",
    description="Synchronous check of one record (name, plus optional birth_date, "
    "country/nationality, schema, identifiers). Answers exactly as a batch job would for "
    "the same record and options. Each match carries `hit_id`, a compact `profile`, "
    "`entity_url` and its `review` (a pair cleared as a false positive is `suppressed`); "
    "`screening_id` and `screened_at` find the check's audit entry. An optional `policy` "
    "object sets the matching policy for this check over the tenant's (see PolicyIn).",
    security=SECURITY_SCHEME,
    responses={
        400: "Invalid record or options: details.field names the field.",
        401: "Missing, unknown or revoked API key.",
        429: "Rate limit exceeded: wait for Retry-After seconds.",
        500: "The engine failed on this record: it was NOT checked (never a clean miss).",
        503: "The service is temporarily unavailable (its Redis restarts, or the compliance "
        "database is down: no answer is given without its audit entry): retry after "
        "Retry-After seconds.",
    },
)
def screen(body: dict[str, Any]) -> Any:
    svc = services()
    tenant = current_tenant()
    ref, engine = engines.current()  # one look at the list manifest per check
    applied = resolve(tenant, ref, body.get("threshold"), body.get("limit"),
                      body.get("lists"), body.get("policy"))
    record = clean_record({k: v for k, v in body.items() if k not in _OPTIONS})
    query_from_record(record)  # raises InvalidQuery (400) naming the field
    started = time.perf_counter()
    try:
        result = screen_records(engine, [record], applied.threshold, applied.limit,
                                applied.lists, applied.policy)[0]
    except Exception:
        svc.metrics.instant_checks.labels(outcome="error").inc()
        raise
    if result.get("error"):
        # Never a clean miss: the record was not checked.
        svc.metrics.instant_checks.labels(outcome="error").inc()
        raise ScreeningFailed(
            "The record could not be screened because of an internal error: it was NOT "
            "checked against the lists. Retry; if it fails again, report the time to the "
            "operator."
        )
    screening_id = new_id("scr")
    context = Context(tenant=tenant.name, source="instant", actor=f"key:…{tenant.key_hint}",
                      list_versions=list_versions(versions_for(ref, applied.lists), None),
                      threshold=applied.threshold, limit=applied.limit, lists=applied.lists)
    try:  # no unaudited screening: if this fails (503), the answer is not given
        screened_at = group_commit(svc.compliance).record(
            engine, context, Screening(screening_id, record, result["matches"]))
    except Exception:
        svc.metrics.instant_checks.labels(outcome="error").inc()
        raise
    took = time.perf_counter() - started
    svc.metrics.instant_seconds.observe(took)
    hit = bool(result["matches"])
    svc.metrics.instant_checks.labels(outcome="hit" if hit else "clear").inc()
    log.info("instant check", extra={"tenant": tenant.name, "hit": hit,
                                     "matches": len(result["matches"]),
                                     "took_ms": round(took * 1000, 2)})
    return current_app.json.response(_DUMP_OUT({
        "result": result_view(0, result),
        "hit": hit,
        "threshold": applied.threshold,
        "lists": versions_for(ref, applied.lists),
        "algorithm": {"name": ALGORITHM_NAME, "version": ALGORITHM_VERSION,
                      "weights_hash": weights_hash()},
        "policy": applied.policy,
        "took_ms": round(took * 1000, 3),
        "screening_id": screening_id,
        "screened_at": screened_at,
    }))
