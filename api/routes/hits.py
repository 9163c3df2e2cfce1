"""The analyst's queue and decisions: GET /v1/hits, GET /v1/hits/{id},
POST /v1/hits/{id}/decisions, POST /v1/decisions/{id}/confirm, GET /v1/decisions.

Decisions name the analyst with `X-Screening-User` (a session login may set
`flask.g.screening_user` instead). A tenant sees only its own hits and decisions."""

from __future__ import annotations

from typing import Any, cast

from apiflask import APIBlueprint
from apispec import APISpec
from flask import g, request

from api.auth import SECURITY_SCHEME, current_tenant, tenant_required
from api.compliance_export import download
from api.compliance_schemas import (
    DECISION_EXAMPLE,
    HIT_EXAMPLE,
    AnalystHeaders,
    DecisionIn,
    DecisionOut,
    DecisionPage,
    DecisionsQuery,
    HitOut,
    HitPage,
    HitsQuery,
)
from api.context import services
from api.errors import BadRequest
from api.routes.common import AUTH_RESPONSES, next_cursor, page_window
from workers.compliance import store

bp = APIBlueprint("hits", __name__, url_prefix="/v1", tag="Hits and decisions")

USER_HEADER = "X-Screening-User"
DECISION_COLUMNS = ("id", "hit_id", "decision", "comment", "user", "created_at", "status",
                    "confirmed_by", "confirmed_at", "supersedes")
_ERRORS: dict[Any, Any] = {
    **AUTH_RESPONSES,
    503: "The compliance database is unavailable: nothing was recorded; retry after "
         "Retry-After seconds.",
}


class InvalidRequest(BadRequest):
    code = "invalid_request"


def analyst() -> str:
    """The deciding user: the session's (set by a cookie login) or X-Screening-User."""
    user = g.get("screening_user") or request.headers.get(USER_HEADER, "")
    user = str(user).strip()
    if not user or len(user) > 128 or not user.isprintable():
        raise InvalidRequest(
            f"Send the analyst's user id in the {USER_HEADER} header (1-128 printable "
            "characters): every decision records who made it.", field=USER_HEADER)
    return user


USER_PATTERN = r"^[!-~]([ -~]{0,126}[!-~])?$"  # what the spec promises (ASCII, trimmed)


def complete_spec(spec: APISpec) -> None:
    """State in the spec that X-Screening-User is required: it is checked in the view, so
    that its absence has the contract's error code (invalid_request), not apiflask's."""
    for path, item in spec.to_dict()["paths"].items():
        for method, op in item.items():
            if "requestBody" in op and path.startswith("/v1/hits/"):
                op["requestBody"]["required"] = True
                spec.path(path=path, operations={method: op})
            params = op.get("parameters") or []
            for param in params:
                if param.get("in") == "header" and param.get("name") == USER_HEADER:
                    param["required"] = True
                    param["schema"] = {"type": "string", "minLength": 1, "maxLength": 128,
                                       "pattern": USER_PATTERN}
                    spec.path(path=path, operations={method: op})


@bp.get("/hits")
@tenant_required
@bp.input(HitsQuery, location="query", arg_name="query")
@bp.output(HitPage, example={"hits": [HIT_EXAMPLE], "counts": {
    "open": 12, "decided": 3, "suppressed": 41, "pending_confirmation": 1},
    "next_cursor": "50"})
@bp.doc(
    summary="The analysts' queue of hits",
    description="Every alerting match of your jobs and instant checks, newest first (or "
    "`sort=score`), filtered by review `state`, `job_id`, `list` and score range; `counts` "
    "gives the number per state under the same filters. Page with `cursor`.",
    security=SECURITY_SCHEME, responses={400: "Invalid query parameter.", **_ERRORS},
)
def list_hits(query: dict[str, Any]) -> Any:
    flt = store.HitFilter(state=query["state"], job_id=query.get("job_id"),
                          list=query.get("list"), min_score=query.get("min_score"),
                          max_score=query.get("max_score"), sort=query["sort"])
    offset, limit = page_window(query)
    hits, counts, more = store.list_hits(services().compliance, current_tenant().name, flt,
                                         offset, limit)
    return {"hits": hits, "counts": counts, "next_cursor": next_cursor(offset, limit, more)}


@bp.get("/hits/<hit_id>")
@tenant_required
@bp.output(HitOut, example=HIT_EXAMPLE)
@bp.doc(summary="One hit", description="The hit, its record, profile and current review.",
        security=SECURITY_SCHEME,
        responses={404: "No such hit for this API key.", **_ERRORS})
def get_hit(hit_id: str) -> Any:
    return store.get_hit(services().compliance, current_tenant().name, hit_id)


@bp.post("/hits/<hit_id>/decisions")
@tenant_required
@bp.input(DecisionIn, arg_name="body", example={
    "decision": "false_positive", "comment": "Namesake: our customer was born 1985."})
@bp.input(AnalystHeaders, location="headers", arg_name="headers")
@bp.output(DecisionOut, status_code=201, example=DECISION_EXAMPLE,
           description="The decision recorded (or, on a retry with the same "
           "Idempotency-Key, the one recorded first; header Idempotent-Replayed: true).")
@bp.doc(
    summary="Decide on a hit",
    description="`true_match`, `false_positive` or `escalated`, with a comment. A "
    "`false_positive` clears the pair (customer record, list entity): later screenings of "
    "the same record against the same entry are reported `suppressed` with this decision, "
    "until either side changes (name, birth date, country or identifier of the record; "
    "names, dates or identifiers of the list entry). With the tenant's four-eyes setting "
    "a false_positive is `pending_confirmation` until a second user confirms it. A "
    "decision is never edited: a new one supersedes it.",
    security=SECURITY_SCHEME,
    responses=cast(Any, {
        400: "Unknown decision value, or X-Screening-User missing or invalid.",
        404: "No such hit for this API key.",
        409: "The Idempotency-Key was used for a different decision.", **_ERRORS}),
)
def decide(hit_id: str, body: dict[str, Any], headers: dict[str, Any]) -> Any:
    user = analyst()
    tenant = current_tenant()
    made, created = store.decide(
        services().compliance, tenant.name, hit_id, body["decision"], body.get("comment", ""),
        user, four_eyes=tenant.settings.four_eyes,
        idempotency_key=headers.get("idempotency_key"))
    extra = {} if created else {"Idempotent-Replayed": "true"}
    return made, 201, extra


@bp.post("/decisions/<decision_id>/confirm")
@tenant_required
@bp.input(AnalystHeaders, location="headers", arg_name="headers")
@bp.output(DecisionOut, example={**DECISION_EXAMPLE, "confirmed_by": "analyst.park",
                                 "confirmed_at": "2026-12-01T10:02:00.000000Z"})
@bp.doc(
    summary="Confirm a pending false positive (four-eyes)",
    description="A second analyst, different from the author, makes a pending "
    "false_positive effective.",
    security=SECURITY_SCHEME,
    responses=cast(Any, {
        400: "X-Screening-User missing or invalid.",
        403: "The author cannot confirm their own decision.",
        404: "No such decision for this API key.",
        409: "The decision is not pending (already effective, or superseded).", **_ERRORS}),
)
def confirm(decision_id: str, headers: dict[str, Any]) -> Any:
    return store.confirm(services().compliance, current_tenant().name, decision_id, analyst())


@bp.get("/decisions")
@tenant_required
@bp.input(DecisionsQuery, location="query", arg_name="query")
@bp.output(DecisionPage, example={"decisions": [DECISION_EXAMPLE], "next_cursor": None})
@bp.doc(
    summary="Your decisions",
    description="Oldest first, filtered by hit, decision or user; `format=jsonl` or `csv` "
    "downloads them all.",
    security=SECURITY_SCHEME,
    responses=cast(Any, {200: {"content": {"text/csv": {"schema": {"type": "string"}},
                                           "application/x-ndjson": {"schema": {
                                               "type": "string"}}}},
                         400: "Invalid query parameter.", **_ERRORS}),
)
def list_decisions(query: dict[str, Any]) -> Any:
    db, tenant = services().compliance, current_tenant().name
    flt = store.DecisionFilter(hit_id=query.get("hit_id"), decision=query.get("decision"),
                               user=query.get("user"))
    fmt, limit = query["format"], int(query["limit"])

    def page(after: int) -> tuple[list[dict[str, Any]], int | None]:
        return store.list_decisions(db, tenant, flt, after, limit if fmt == "json" else 1000)

    found, cursor = page(page_window(query)[0])
    if fmt != "json":
        return download(found, cursor, page, fmt, DECISION_COLUMNS, "decisions")
    return {"decisions": found, "next_cursor": None if cursor is None else str(cursor)}
