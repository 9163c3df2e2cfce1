"""GET /v1/audit: the tenant's audit trail, paged or downloaded."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from apiflask import APIBlueprint

from api.auth import SECURITY_SCHEME, current_tenant, tenant_required
from api.compliance_export import download
from api.compliance_schemas import AuditPage, AuditQuery
from api.context import services
from api.routes.common import AUTH_RESPONSES
from workers.compliance import audit

bp = APIBlueprint("audit", __name__, url_prefix="/v1", tag="Audit")

COLUMNS = ("seq", "at", "kind", "actor", "subject", "data", "prev_hash", "hash")


def _moment(moment: datetime | None) -> str | None:
    """A time -> the stored form (UTC, microseconds), to compare as text."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@bp.get("/audit")
@tenant_required
@bp.input(AuditQuery, location="query", arg_name="query")
@bp.output(AuditPage, example={"entries": [{
    "seq": 1, "at": "2026-12-01T02:00:00.000000Z", "kind": "screening", "actor": "key:…Q3xz",
    "subject": "scr_5e0f1c2d3b4a49f8a7b6c5d4e3f2a1b0",
    "data": {"source": "instant", "record_fp": "9f2c…", "lists": ["kr-mofa@2024-04-02+1a2b"],
             "algorithm": {"name": "xscript-tfidf-align", "version": "1.7.0"},
             "config_hash": "51d0…", "hits": [{"hit_id": "hit_q1w2…", "score": 0.93}]},
    "prev_hash": "0" * 64, "hash": "3b8e…"}], "next_cursor": None})
@bp.doc(
    summary="Your audit trail",
    description="Append-only, tamper-evident entries (each carries the previous entry's "
    "hash): every screening (batch record or instant check: who, when, record fingerprint, "
    "list versions, algorithm and configuration hash, hits and scores), every decision and "
    "confirmation, tenant and key changes. Filter by `kind` and time; `format=jsonl` or "
    "`csv` downloads them all. `screening audit verify` checks the chains.",
    security=SECURITY_SCHEME,
    responses=cast(Any, {
        200: {"content": {"text/csv": {"schema": {"type": "string"}},
                          "application/x-ndjson": {"schema": {"type": "string"}}}},
        400: "Invalid query parameter.", **AUTH_RESPONSES,
        503: "The compliance database is unavailable: retry after Retry-After seconds."}),
)
def list_audit(query: dict[str, Any]) -> Any:
    db, tenant = services().compliance, current_tenant().name
    fmt = query["format"]
    limit = int(query["limit"]) if fmt == "json" else 1000

    def page(after: int) -> tuple[list[dict[str, Any]], int | None]:
        found = audit.list_entries(db, tenant, kind=query.get("kind"),
                                   since=_moment(query.get("since")),
                                   until=_moment(query.get("until")),
                                   after_seq=after, limit=limit + 1)
        more = len(found) > limit
        return found[:limit], (found[limit - 1]["seq"] if more else None)

    entries, cursor = page(int(query.get("cursor") or 0))
    if fmt != "json":
        return download(entries, cursor, page, fmt, COLUMNS, "audit")
    return {"entries": entries, "next_cursor": None if cursor is None else str(cursor)}
