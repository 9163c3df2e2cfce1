"""API errors: typed exceptions and the ONE table mapping every exception to an HTTP status.

Every error body has one shape: {"error": {"code", "message", "details"}}. `details`
names the field at fault when there is one. Invalid input is always 4xx; anything
unexpected is a 500 in the same shape, logged with its stack trace server-side only.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

import redis
from apiflask import APIFlask
from apiflask.exceptions import HTTPError
from flask import Response, jsonify
from marshmallow import ValidationError
from werkzeug.datastructures import Headers
from werkzeug.exceptions import HTTPException

from matching.errors import InvalidQuery, ListFormatError, ScreeningError, UnknownList
from workers.compliance import errors as compliance
from workers.registry import RegistryError

log = logging.getLogger("screening.api")


class ApiError(Exception):
    """Base of the API's own typed errors; subclasses carry a stable `code`."""

    code = "api_error"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = dict(details or {})
        if field is not None:
            self.details.setdefault("field", field)
        self.headers = dict(headers or {})


class BadRequest(ApiError):
    code = "bad_request"


class InvalidRecords(ApiError):
    """A job with at least one invalid record: rejected whole, nothing stored."""

    code = "invalid_records"


class InvalidCsv(ApiError):
    code = "invalid_csv"


class UnsupportedMediaType(ApiError):
    code = "unsupported_media_type"


class Unauthorized(ApiError):
    code = "unauthorized"


class Forbidden(ApiError):
    code = "forbidden"


class NotFound(ApiError):
    code = "not_found"


class Conflict(ApiError):
    code = "conflict"


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"


class IdempotencyInProgress(Conflict):
    code = "idempotency_in_progress"


class JobNotFinished(Conflict):
    code = "job_not_finished"


class PayloadTooLarge(ApiError):
    code = "payload_too_large"


class TooManyRecords(PayloadTooLarge):
    code = "too_many_records"


class RateLimited(ApiError):
    code = "rate_limited"


class JobLimitReached(RateLimited):
    code = "job_limit_reached"


class ServiceUnavailable(ApiError):
    code = "service_unavailable"


class ScreeningFailed(ApiError):
    """The engine failed on a record: it was not checked, so never answer a clean miss."""

    code = "screening_failed"


# Redis down or restarting (its supervisor brings it back): a temporary 503, not a 500.
REDIS_UNAVAILABLE: tuple[type[BaseException], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.BusyLoadingError,
)
RETRY_AFTER_UNAVAILABLE = "5"


# THE table: exception type -> HTTP status. The most specific match wins (MRO order).
STATUS_BY_EXCEPTION: dict[type[BaseException], int] = {
    BadRequest: 400,
    InvalidRecords: 400,
    InvalidCsv: 400,
    ValidationError: 400,
    InvalidQuery: 400,
    UnknownList: 400,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    PayloadTooLarge: 413,
    UnsupportedMediaType: 415,
    RateLimited: 429,
    ListFormatError: 503,  # a broken list file is our fault, not the caller's
    RegistryError: 503,  # a corrupt manifest or pruned snapshot: the operator's to fix
    ServiceUnavailable: 503,
    ScreeningFailed: 500,
    **{exc: 503 for exc in REDIS_UNAVAILABLE},
    # Only input problems are 4xx: any other domain error is the service's fault.
    ScreeningError: 500,
    # The compliance record (issue 11).
    compliance.InvalidDecision: 400,
    compliance.SameUser: 403,
    compliance.HitNotFound: 404,
    compliance.DecisionNotFound: 404,
    compliance.EntityNotFound: 404,
    compliance.DecisionConflict: 409,
    compliance.StoreUnavailable: 503,
}

_CODE_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "service_unavailable",
}

_MESSAGE_BY_STATUS = {
    404: "No such resource: check the URL (see /docs for every endpoint).",
    405: "This method is not allowed here: see /docs for the methods each endpoint accepts.",
    413: "The request body is too large: split the batch into smaller jobs.",
    500: "Internal error: the request was not completed. Retry later; if it persists, "
    "report the time of the request to the operator.",
}


def status_for(exc: BaseException) -> int:
    """The status the table assigns to an exception (500 when none matches)."""
    for klass in type(exc).__mro__:
        if klass in STATUS_BY_EXCEPTION:
            return STATUS_BY_EXCEPTION[klass]
    return 500


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def flatten_validation(messages: Any, prefix: str = "") -> list[dict[str, str]]:
    """marshmallow's nested {"field": ["msg"]} -> [{"field": "a.b", "problem": "msg"}]."""
    out: list[dict[str, str]] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.extend(flatten_validation(value, name))
    elif isinstance(messages, list | tuple):
        for value in messages:
            if isinstance(value, dict | list | tuple):
                out.extend(flatten_validation(value, prefix))
            else:
                out.append({"field": prefix or "body", "problem": str(value)})
    else:
        out.append({"field": prefix or "body", "problem": str(messages)})
    return out


def _validation_details(messages: Any) -> dict[str, Any]:
    # apiflask nests errors under the request location ("json", "query"); drop that level.
    if isinstance(messages, dict) and len(messages) == 1:
        location = next(iter(messages))
        if location in ("json", "query", "form", "files", "headers", "path", "view_args"):
            messages = messages[location]
    problems = flatten_validation(messages)
    details: dict[str, Any] = {"errors": problems}
    if problems:
        details["field"] = problems[0]["field"]
    return details


def to_response(exc: BaseException) -> tuple[Response, int]:
    """Build the error response for any exception, per the table."""
    headers: dict[str, str] = {}
    if isinstance(exc, ApiError):
        status, code, message, details = status_for(exc), exc.code, exc.message, exc.details
        headers = exc.headers
    elif isinstance(exc, ValidationError):
        status, code = 400, "validation_error"
        message = "The request is invalid: fix the fields listed in details and retry."
        details = _validation_details(exc.messages)
    elif isinstance(exc, ScreeningError) and status_for(exc) >= 500:
        # The service's fault: the operator's message (paths, files) goes to the log only.
        status, code, details = status_for(exc), exc.code, {}
        message = ("The service cannot answer now because of a server-side problem (for "
                   "example its list files are unavailable); nothing was changed. Retry "
                   "later; the operator's logs say what to fix.")
        headers = dict(getattr(exc, "headers", None) or {})
        headers.setdefault("Retry-After", "30")
        log.error("service fault", extra={"error_type": type(exc).__name__,
                                          "problem": exc.message})
    elif isinstance(exc, ScreeningError):
        status, code, message = status_for(exc), exc.code, exc.message
        details = {"field": exc.field} if exc.field else {}
        if isinstance(exc.details, dict):
            details.update(exc.details)
        headers = dict(getattr(exc, "headers", None) or {})
    elif isinstance(exc, REDIS_UNAVAILABLE):
        status, code, details = 503, "service_unavailable", {}
        message = ("The service's data store is restarting: nothing was changed by this "
                   "request; retry after Retry-After seconds.")
        headers["Retry-After"] = RETRY_AFTER_UNAVAILABLE
        log.warning("redis unavailable", extra={"error_type": type(exc).__name__})
    elif isinstance(exc, HTTPError):  # raised by apiflask itself (request validation)
        status = 400 if exc.status_code == 422 else exc.status_code
        code = "validation_error" if status == 400 else _CODE_BY_STATUS.get(status, "error")
        if status == 400:
            message = "The request is invalid: fix the fields listed in details and retry."
            details = _validation_details(exc.detail)
        else:
            message = _MESSAGE_BY_STATUS.get(status) or exc.message or "Request failed."
            details = exc.detail if isinstance(exc.detail, dict) else {}
        headers = dict(Headers(exc.headers or {}).items())
        if status == 405 and headers.get("Allow"):
            details["allowed_methods"] = [m.strip() for m in headers["Allow"].split(",")]
    elif isinstance(exc, HTTPException):  # werkzeug: 404, 405, 413...
        status = exc.code or 500
        code = _CODE_BY_STATUS.get(status, "http_error")
        message = _MESSAGE_BY_STATUS.get(status) or (exc.description or "Request failed.")
        details = {}
        allowed = getattr(exc, "valid_methods", None)
        if status == 405 and allowed:
            details["allowed_methods"] = list(allowed)
            headers["Allow"] = ", ".join(allowed)
    else:
        status, code, message, details = 500, "internal_error", _MESSAGE_BY_STATUS[500], {}
    if status >= 500 and not isinstance(exc, ApiError | ScreeningError):
        # The stack trace, but not the exception's message: a message may quote the
        # record being screened, and logs must never hold the names screened.
        log.error("unhandled error", extra={
            "error_type": f"{type(exc).__module__}.{type(exc).__qualname__}",
            "stack": "".join(traceback.format_tb(exc.__traceback__)),
        })
    response = jsonify(error_body(code, message, details))
    response.status_code = status
    for name, value in headers.items():
        response.headers[name] = value
    return response, status


def register_error_handlers(app: APIFlask) -> None:
    """Route every exception through the table, including apiflask's and werkzeug's."""

    def handle(exc: BaseException) -> tuple[Response, int]:
        return to_response(exc)

    app.register_error_handler(Exception, handle)
    app.register_error_handler(HTTPException, handle)

    @app.error_processor
    def _apiflask_error(error: HTTPError) -> tuple[Response, int]:
        return to_response(error)
