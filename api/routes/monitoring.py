"""Ongoing monitoring: a tenant's customer book kept in the service (/v1/monitored) and
the alerts raised on it (/v1/alerts) when a record is added or changed, or when a list
update adds, changes or removes a designation.

A tenant sees only its own records and alerts: another tenant's id answers 404.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, cast

from apiflask import APIBlueprint
from apiflask.fields import String
from apiflask.validators import Length, OneOf
from flask import Response, current_app, request, stream_with_context

from api import settings
from api.auth import SECURITY_SCHEME, current_tenant, tenant_required
from api.errors import BadRequest, NotFound
from api.options import clean_record
from api.routes.common import (
    AUTH_RESPONSES,
    Paging,
    json_response,
    next_cursor,
    page_window,
)
from api.schemas import RecordIn
from api.submission import parse_submission
from matching.errors import InvalidQuery
from matching.records import query_from_record
from workers.monitoring import runs
from workers.monitoring.store import MonitorStore

bp = APIBlueprint("monitoring", __name__, url_prefix="/v1", tag="Monitoring")
EXTENSION = "screening_monitoring"

_RECORD_EXAMPLE = {
    "id": "c-1",
    "record": {"id": "c-1", "name": "Козлов Сергей Михайлович", "schema": "Person",
               "birth_date": "1960-05-31", "country": "RU"},
    "status": "screened", "rev": 1, "updated_at": "2026-12-01T08:00:00Z",
    "screened_at": "2026-12-01T08:00:02Z", "run_id": None,
    "screened_lists": {"us_ofac_sdn": "c87c022983aa20c2...", "kr-mofa": "9dcebb1f85dc..."},
    "open_alerts": ["al_3f1c0e9a6b2d4c8e7f10"],
    "links": {"self": "/v1/monitored/c-1", "alerts": "/v1/alerts?record_id=c-1"},
}
_ALERT_EXAMPLE = {
    "alert_id": "al_3f1c0e9a6b2d4c8e7f10", "hit_id": "hit_Xq2b7d0c9Ue1VwZr3kFh0A",
    "job_id": None, "screening_id": "al_3f1c0e9a6b2d4c8e7f10", "source": "monitoring",
    "record": {"id": "c-1", "name": "Козлов Сергей Михайлович", "schema": "Person",
               "birth_date": "1960-05-31", "country": "RU", "identifier": None},
    "list": "us_ofac_sdn", "source_id": "90010", "schema": "Person",
    "name": "KOZLOV, Sergey Mikhaylovich", "matched_name": "KOZLOV, Sergey Mikhaylovich",
    "score": 0.97, "explanation": {"method": "token_alignment", "...": "..."},
    "profile": {"birth_dates": ["1960-05-31"], "countries": ["ru"], "programs": ["DPRK4"],
                "listed_on": "2026-11-30", "reason": None},
    "entity_url": "/v1/entities/us_ofac_sdn/90010",
    "review": {"state": "open", "decision": None},
    "created_at": "2026-12-01T06:00:05Z", "updated_at": "2026-12-01T06:00:05Z",
    "state": "open", "closed_reason": None, "closed_at": None,
    "trigger": {"kind": "list_update", "run_id": "8c0d6a...",
                "list_version": "2026-11-30+1a2b3c4d5e6f"},
    "links": {"self": "/v1/alerts/al_3f1c0e9a6b2d4c8e7f10", "record": "/v1/monitored/c-1",
              "entity": "/v1/entities/us_ofac_sdn/90010"},
}


def store() -> MonitorStore:
    found: MonitorStore = current_app.extensions[EXTENSION][0]
    return found


def _view(doc: dict[str, Any], run_id: str | None = None) -> dict[str, Any]:
    tenant, rid = doc["tenant"], doc["id"]
    open_alerts = sorted(store().open_alerts_of_record(tenant, rid).values())
    return {
        "id": rid, "record": doc["record"], "status": doc["status"], "rev": doc["rev"],
        "updated_at": runs.iso(doc["updated_at"]),
        "screened_at": runs.iso(doc["screened_at"]) if doc.get("screened_at") else None,
        # {list: content hash} of the versions it was last screened against
        "screened_lists": doc.get("lists") or {},
        "run_id": run_id, "open_alerts": open_alerts,
        "links": {"self": f"/v1/monitored/{rid}", "alerts": f"/v1/alerts?record_id={rid}"},
    }


def _check(record: dict[str, Any], row: int | None = None) -> dict[str, Any]:
    record = clean_record(record)
    try:
        query_from_record(record)
    except InvalidQuery as exc:
        raise BadRequest(exc.message, field=exc.field) from None
    return record


class MonitoredQuery(Paging):
    format = String(validate=OneOf(["json", "jsonl"]), metadata={
        "description": "`jsonl` downloads the whole book (export), one record per line."})


class AlertsQuery(Paging):
    state = String(validate=OneOf(["open", "closed", "all"]),
                   metadata={"description": "Default `open`."})
    record_id = String(validate=Length(max=1000), metadata={"description": "One record's."})
    list = String(validate=Length(max=200), metadata={"description": "One list's."})


@bp.put("/monitored/<record_id>")
@tenant_required
@bp.input(RecordIn, arg_name="body")
@bp.doc(
    summary="Monitor one record (add or replace)",
    description=(
        "Keeps the record in your monitored book, the same shape as a job's record. It is "
        "screened now (asynchronously: `status` is `pending` until then) and again whenever "
        "a list update adds or changes a designation it could match. A body `id`, if given, "
        "must equal the path's. Unchanged content changes nothing. 201 when new, 200 when "
        "replaced."
    ),
    security=SECURITY_SCHEME,
    responses=cast(Any, {
        200: json_response("Replaced.", _RECORD_EXAMPLE),
        201: json_response("Created.", _RECORD_EXAMPLE),
        400: "Invalid record: details.field names the field.", **AUTH_RESPONSES,
    }),
)
def put_monitored(record_id: str, body: dict[str, Any]) -> Any:
    if body.get("id") not in (None, "", record_id):
        raise BadRequest("The body's id differs from the path's record id.", field="id")
    if len(record_id) > 1000:
        raise BadRequest("record_id is longer than 1000 characters.", field="record_id")
    record = _check({**body, "id": record_id})
    tenant = current_tenant().name
    existed = store().ref_of(tenant, record_id) is not None
    refs = store().upsert(tenant, [record])
    run_id = runs.create_records_run(store(), tenant, refs).id if refs else None
    doc = store().get_record(tenant, record_id)
    assert doc is not None
    return _view(doc, run_id), 200 if existed else 201


@bp.post("/monitored")
@tenant_required
@bp.doc(
    summary="Monitor many records (bulk upsert)",
    description=(
        "Adds or replaces records by id: JSON `{\"records\": [...]}`, a `text/csv` body or a "
        "multipart upload (field `file`), validated exactly like `POST /v1/jobs` (one bad "
        f"record rejects the request). Every record needs an `id`. At most "
        f"{settings.MAX_RECORDS:,} records per request: send a large book in several "
        "requests. New and changed records are screened by the workers (`run` shows the "
        "progress); unchanged ones are left alone."
    ),
    security=SECURITY_SCHEME,
    responses=cast(Any, {
        202: json_response("Stored; new and changed records are being screened.", {
            "received": 3, "changed": 2, "run_id": "5b1e...",
            "links": {"run": "/v1/monitored-runs/5b1e..."}}),
        400: "Invalid records: details.errors lists {row, field, problem}.",
        413: "Body or record count over the limit: split the upload.",
        415: "Unsupported Content-Type.", **AUTH_RESPONSES,
    }),
)
def bulk_monitored() -> Any:
    submission = parse_submission(request, settings.MAX_RECORDS)
    missing = [i + 1 for i, r in enumerate(submission.records) if not str(r.get("id") or "")]
    if missing:
        raise BadRequest(
            f"Every monitored record needs an id; missing in {len(missing)} record(s), "
            f"first at row {missing[0]}.", field="id", details={"rows": missing[:100]})
    by_id = {str(r["id"]): {**r, "id": str(r["id"])} for r in submission.records}
    tenant = current_tenant().name
    refs = store().upsert(tenant, list(by_id.values()))
    run_id = runs.create_records_run(store(), tenant, refs).id if refs else None
    return {
        "received": len(submission.records), "changed": len(refs), "run_id": run_id,
        "links": {"run": f"/v1/monitored-runs/{run_id}" if run_id else None},
    }, 202


@bp.get("/monitored-runs/<run_id>")
@tenant_required
@bp.doc(
    summary="Progress of a screening of monitored records",
    security=SECURITY_SCHEME,
    responses=cast(Any, {200: json_response("The run.", {
        "id": "5b1e...", "status": "running", "done": 1250, "total": 2000}),
        404: "No such run for this API key.", **AUTH_RESPONSES}),
)
def get_run(run_id: str) -> Any:
    run = store().runs.get_job(run_id)
    if run is None or run.tenant != current_tenant().name:
        raise NotFound(f"No monitoring run {run_id!r} for this API key.", field="run_id")
    return {"id": run.id, "status": run.status, "done": run.done, "total": run.total}


@bp.get("/monitored/<record_id>")
@tenant_required
@bp.doc(summary="One monitored record", description="The record, its screening state and "
        "the ids of its open alerts.", security=SECURITY_SCHEME,
        responses=cast(Any, {200: json_response("The record.", _RECORD_EXAMPLE),
                             404: "Not in your monitored book.", **AUTH_RESPONSES}))
def get_monitored(record_id: str) -> Any:
    doc = store().get_record(current_tenant().name, record_id)
    if doc is None:
        raise NotFound(f"No monitored record {record_id!r}: GET /v1/monitored lists them.",
                       field="record_id")
    return _view(doc)


@bp.delete("/monitored/<record_id>")
@tenant_required
@bp.doc(summary="Stop monitoring a record", description="Removes it from the book; its "
        "open alerts are closed with the reason `unmonitored` (alert.closed events).",
        security=SECURITY_SCHEME,
        responses=cast(Any, {204: "Removed.", 404: "Not in your monitored book.",
                             **AUTH_RESPONSES}))
def delete_monitored(record_id: str) -> Any:
    tenant = current_tenant().name
    if not runs.stop_monitoring(store(), tenant, record_id):
        raise NotFound(f"No monitored record {record_id!r}.", field="record_id")
    return "", 204


@bp.get("/monitored")
@tenant_required
@bp.input(MonitoredQuery, location="query", arg_name="query")
@bp.doc(
    summary="List or export the monitored book",
    description="Pages of records (`next_cursor` until null), or `format=jsonl` for the whole "
    "book as one download.",
    security=SECURITY_SCHEME,
    responses=cast(Any, {
        200: {"description": "A page, or the JSON lines export.", "content": {
            "application/json": {"schema": {"type": "object"}, "example": {
                "records": [_RECORD_EXAMPLE], "total": 1, "next_cursor": None}},
            "application/x-ndjson": {"schema": {"type": "string"}}}},
        400: "Invalid cursor or limit.", **AUTH_RESPONSES}),
)
def list_monitored(query: dict[str, Any]) -> Any:
    tenant = current_tenant().name
    if query.get("format") == "jsonl":
        return Response(stream_with_context(_export(tenant)), mimetype="application/x-ndjson",
                        headers={"Content-Disposition": "attachment; filename=monitored.jsonl"})
    docs, nxt = store().iter_records(tenant, *page_window(query))
    return {
        "records": [_view(d) for d in docs], "total": store().count_records(tenant),
        "next_cursor": str(nxt) if nxt else None,
    }


def _export(tenant: str) -> Iterator[str]:
    cursor = 0
    while True:
        docs, cursor = store().iter_records(tenant, cursor, 1000)
        for d in docs:
            yield json.dumps({"id": d["id"], "record": d["record"], "status": d["status"],
                              "rev": d["rev"]}, ensure_ascii=False) + "\n"
        if not cursor:
            return


@bp.get("/alerts")
@tenant_required
@bp.input(AlertsQuery, location="query", arg_name="query")
@bp.doc(
    summary="Monitoring alerts",
    description="Newest first. Each alert has the hit shape of the compliance record "
    "(`source` = `monitoring`), plus `state` (open, closed), `closed_reason` (`delisted`, "
    "`no_longer_matches`, `record_changed`, `unmonitored`) and `trigger`.",
    security=SECURITY_SCHEME,
    responses=cast(Any, {200: json_response("A page of alerts.", {
        "alerts": [_ALERT_EXAMPLE], "counts": {"open": 1, "closed": 0}, "next_cursor": None}),
        400: "Invalid filter, cursor or limit.", **AUTH_RESPONSES}),
)
def list_alerts(query: dict[str, Any]) -> Any:
    tenant = current_tenant().name
    state = query.get("state") or "open"
    offset, limit = page_window(query)
    found = []
    for i, alert in enumerate(a for a in store().iter_alerts(tenant, None if state == "all"
                                                             else state)
                              if (not query.get("record_id")
                                  or a["record"]["id"] == query["record_id"])
                              and (not query.get("list") or a["list"] == query["list"])):
        if i >= offset + limit + 1:
            break
        found.append(alert)
    page = found[offset: offset + limit]
    more = len(found) > offset + limit
    return {"alerts": page, "counts": store().alert_counts(tenant),
            "next_cursor": next_cursor(offset, limit, more)}


@bp.get("/alerts/<alert_id>")
@tenant_required
@bp.doc(summary="One alert", security=SECURITY_SCHEME,
        responses=cast(Any, {200: json_response("The alert.", _ALERT_EXAMPLE),
                             404: "No such alert for this API key.", **AUTH_RESPONSES}))
def get_alert(alert_id: str) -> Any:
    alert = store().get_alert(current_tenant().name, alert_id)
    if alert is None:
        raise NotFound(f"No alert {alert_id!r}: GET /v1/alerts lists them.", field="alert_id")
    return alert
