"""Webhook endpoints of a tenant, their deliveries (every attempt logged) and replays.

Deliveries follow the Standard Webhooks specification: headers `webhook-id`,
`webhook-timestamp` and `webhook-signature` (HMAC-SHA256, base64, `v1,` prefix); verify
them with any Standard Webhooks library and the endpoint's secret.
"""

from __future__ import annotations

from typing import Any, cast

from apiflask import APIBlueprint, Schema
from apiflask.fields import List, String
from apiflask.validators import Length, OneOf
from flask import current_app
from marshmallow import RAISE

from api.auth import SECURITY_SCHEME, current_tenant, tenant_required
from api.errors import BadRequest, NotFound
from api.routes.common import (
    AUTH_RESPONSES,
    Paging,
    json_response,
    next_cursor,
    page_window,
)
from api.routes.monitoring import EXTENSION
from workers.monitoring.webhooks import EVENT_TYPES, WebhookError, Webhooks, public_endpoint

bp = APIBlueprint("webhooks", __name__, url_prefix="/v1", tag="Webhooks")

_ENDPOINT_EXAMPLE = {
    "id": "ep_5f2a9c0d1e3b4a67", "url": "https://hooks.example.com/screening",
    "events": ["alert.closed", "alert.created"], "description": "case management",
    "created_at": "2026-12-01T08:00:00Z", "secret_hint": "Qx9=",
    "previous_secrets_valid_until": [],
    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "links": {"deliveries": "/v1/webhooks/ep_5f2a9c0d1e3b4a67/deliveries"},
}
_DELIVERY_EXAMPLE = {
    "id": "dlv_0e1f2a3b4c5d6e7f8a9b", "endpoint_id": "ep_5f2a9c0d1e3b4a67",
    "event_id": "evt_1c2d3e4f5a6b7c8d9e0f", "event_type": "alert.created",
    "body": '{"type":"alert.created","timestamp":"2026-12-01T06:00:05Z","data":{"alert_id":'
            '"al_3f1c0e9a6b2d4c8e7f10","record_id":"c-1","list":"us_ofac_sdn","source_id":'
            '"90010","links":{"self":"/v1/alerts/al_3f1c0e9a6b2d4c8e7f10"}}}',
    "status": "delivered",
    "attempts": [
        {"at": "2026-12-01T06:00:06Z", "status_code": 503, "error": "HTTP 503",
         "duration_ms": 12.1},
        {"at": "2026-12-01T06:00:11Z", "status_code": 200, "error": None, "duration_ms": 9.8},
    ],
    "created_at": "2026-12-01T06:00:05Z", "next_attempt_at": None,
}


class WebhookCreate(Schema):
    class Meta:
        unknown = RAISE

    url = String(required=True, validate=Length(min=1, max=2000), metadata={
        "description": "https URL on a public address (http and private addresses only with "
        "SCREENING_WEBHOOKS_ALLOW_PRIVATE, for development)."})
    events = List(String(validate=OneOf(EVENT_TYPES)), required=True,
                  validate=Length(min=1, max=len(EVENT_TYPES)),
                  metadata={"description": "Event types to receive."})
    description = String(allow_none=True, validate=Length(max=500))


def hooks() -> Webhooks:
    found: Webhooks = current_app.extensions[EXTENSION][1]
    return found


def _endpoint(endpoint_id: str) -> dict[str, Any]:
    found = hooks().endpoint(current_tenant().name, endpoint_id)
    if found is None:
        raise NotFound(f"No webhook endpoint {endpoint_id!r}: GET /v1/webhooks lists them.",
                       field="endpoint_id")
    return found


@bp.post("/webhooks")
@tenant_required
@bp.input(WebhookCreate, arg_name="body")
@bp.doc(
    summary="Register a webhook endpoint",
    description="Events: " + ", ".join(EVENT_TYPES) + ". The answer carries the signing "
    "`secret` (shown now and after a rotation only). Payloads hold ids and links, never "
    "screened names.",
    security=SECURITY_SCHEME,
    responses=cast(Any, {201: json_response("Registered.", _ENDPOINT_EXAMPLE),
                         400: "Invalid or forbidden URL, or unknown event.", **AUTH_RESPONSES}),
)
def create_webhook(body: dict[str, Any]) -> Any:
    try:
        endpoint = hooks().create_endpoint(
            current_tenant().name, body["url"], list(body["events"]), body.get("description"))
    except WebhookError as exc:
        raise BadRequest(exc.message, field=exc.field) from None
    return public_endpoint(endpoint, with_secret=True), 201


@bp.get("/webhooks")
@tenant_required
@bp.doc(summary="Your webhook endpoints", security=SECURITY_SCHEME,
        responses=cast(Any, {
            200: json_response("The endpoints.", {"webhooks": [_ENDPOINT_EXAMPLE]}),
            **AUTH_RESPONSES}))
def list_webhooks() -> Any:
    return {"webhooks": [public_endpoint(e) for e in hooks().endpoints(current_tenant().name)]}


@bp.get("/webhooks/<endpoint_id>")
@tenant_required
@bp.doc(summary="One webhook endpoint", security=SECURITY_SCHEME,
        responses=cast(Any, {200: json_response("The endpoint.", _ENDPOINT_EXAMPLE),
                             404: "No such endpoint.", **AUTH_RESPONSES}))
def get_webhook(endpoint_id: str) -> Any:
    return public_endpoint(_endpoint(endpoint_id))


@bp.delete("/webhooks/<endpoint_id>")
@tenant_required
@bp.doc(summary="Delete a webhook endpoint", description="Pending deliveries to it fail.",
        security=SECURITY_SCHEME,
        responses=cast(Any, {204: "Deleted.", 404: "No such endpoint.", **AUTH_RESPONSES}))
def delete_webhook(endpoint_id: str) -> Any:
    if not hooks().delete_endpoint(current_tenant().name, endpoint_id):
        raise NotFound(f"No webhook endpoint {endpoint_id!r}.", field="endpoint_id")
    return "", 204


@bp.post("/webhooks/<endpoint_id>/rotate")
@tenant_required
@bp.doc(
    summary="Rotate an endpoint's signing secret",
    description="Returns the new `secret`. Deliveries are signed with both the new and the "
    "previous secrets (two signatures in `webhook-signature`) until "
    "`previous_secrets_valid_until` (SCREENING_WEBHOOK_SECRET_OVERLAP_SECONDS, a day by "
    "default), so the receiver can switch without losing a delivery.",
    security=SECURITY_SCHEME,
    responses=cast(Any, {200: json_response("Rotated.", _ENDPOINT_EXAMPLE),
                         404: "No such endpoint.", **AUTH_RESPONSES}),
)
def rotate_webhook(endpoint_id: str) -> Any:
    _endpoint(endpoint_id)
    endpoint = hooks().rotate_secret(current_tenant().name, endpoint_id)
    assert endpoint is not None
    return public_endpoint(endpoint, with_secret=True)


@bp.get("/webhooks/<endpoint_id>/deliveries")
@tenant_required
@bp.input(Paging, location="query", arg_name="query")
@bp.doc(
    summary="Deliveries to an endpoint, every attempt logged",
    description="Newest first. `status`: pending (retrying with exponential backoff), "
    "delivered (a 2xx answer), failed (no 2xx within SCREENING_WEBHOOK_GIVE_UP_SECONDS, "
    "26 h by default). Each attempt has its time, HTTP status or error, and duration.",
    security=SECURITY_SCHEME,
    responses=cast(Any, {200: json_response("A page.", {"deliveries": [_DELIVERY_EXAMPLE],
                                                        "next_cursor": None}),
                         400: "Invalid cursor or limit.", 404: "No such endpoint.",
                         **AUTH_RESPONSES}),
)
def list_deliveries(endpoint_id: str, query: dict[str, Any]) -> Any:
    _endpoint(endpoint_id)
    offset, limit = page_window(query)
    found = hooks().deliveries(current_tenant().name, endpoint_id, offset, limit + 1)
    return {"deliveries": found[:limit],
            "next_cursor": next_cursor(offset, limit, len(found) > limit)}


def _delivery(endpoint_id: str, delivery_id: str) -> dict[str, Any]:
    _endpoint(endpoint_id)
    found = hooks().delivery(current_tenant().name, delivery_id)
    if found is None or found["endpoint_id"] != endpoint_id:
        raise NotFound(f"No delivery {delivery_id!r} to this endpoint.", field="delivery_id")
    return found


@bp.get("/webhooks/<endpoint_id>/deliveries/<delivery_id>")
@tenant_required
@bp.doc(summary="One delivery and its attempts", security=SECURITY_SCHEME,
        responses=cast(Any, {200: json_response("The delivery.", _DELIVERY_EXAMPLE),
                             404: "No such delivery.", **AUTH_RESPONSES}))
def get_delivery(endpoint_id: str, delivery_id: str) -> Any:
    return _delivery(endpoint_id, delivery_id)


@bp.post("/webhooks/<endpoint_id>/deliveries/<delivery_id>/replay")
@tenant_required
@bp.doc(
    summary="Replay a delivery",
    description="Sends the same event again as a new delivery (same `webhook-id`, so a "
    "receiver that deduplicates recognises it), e.g. after fixing a receiver that failed.",
    security=SECURITY_SCHEME,
    responses=cast(Any, {202: json_response("Queued.", {**_DELIVERY_EXAMPLE, "status": "pending",
                                               "attempts": [], "replay_of": "dlv_..."}),
                         404: "No such delivery.", **AUTH_RESPONSES}),
)
def replay_delivery(endpoint_id: str, delivery_id: str) -> Any:
    _delivery(endpoint_id, delivery_id)
    new = hooks().replay(current_tenant().name, delivery_id)
    assert new is not None
    return new, 202
