"""One table maps every exception to a status, and every error (ours, apiflask's,
werkzeug's 404/405/413, unexpected 500s) answers {"error": {"code", "message", "details"}};
a 500 never leaks the stack trace to the client but logs it server-side (without the
exception's message, which could quote a screened name)."""

from __future__ import annotations

import logging

import pytest
import redis
from apiflask import APIFlask

from api.app import create_app
from api.errors import (
    BadRequest,
    InvalidRecords,
    JobLimitReached,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    TooManyRecords,
    Unauthorized,
    status_for,
)
from matching.errors import InvalidQuery, ListFormatError, UnknownList


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (BadRequest("x"), 400),
        (InvalidRecords("x"), 400),
        (InvalidQuery("x", field="name"), 400),
        (UnknownList("x"), 400),
        (Unauthorized("x"), 401),
        (NotFound("x"), 404),
        (PayloadTooLarge("x"), 413),
        (TooManyRecords("x"), 413),
        (RateLimited("x"), 429),
        (JobLimitReached("x"), 429),
        (ListFormatError("f", None, "bad"), 503),
        (RuntimeError("boom"), 500),
        (KeyError("k"), 500),
    ],
)
def test_table_maps_exception_to_status(exc: BaseException, status: int) -> None:
    assert status_for(exc) == status


@pytest.fixture()
def app() -> APIFlask:
    # A Redis nobody listens on: these requests must be answered before Redis is touched.
    app = create_app({"REDIS_CLIENT": redis.Redis(port=1), "MAX_CONTENT_LENGTH": 1024})

    @app.post("/_test/read")
    def _read() -> dict[str, int]:
        from flask import request

        return {"size": len(request.get_data())}

    @app.get("/_test/boom")
    def _boom() -> None:
        raise RuntimeError("secret internal detail")

    @app.get("/_test/invalid-query")
    def _invalid_query() -> None:
        raise InvalidQuery("birth_date is wrong", field="birth_date")

    return app


def _shape(body: dict[str, object]) -> dict[str, object]:
    assert set(body) == {"error"}
    error = body["error"]
    assert isinstance(error, dict)
    assert set(error) == {"code", "message", "details"}
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], dict)
    return error


def test_unknown_route_is_404_in_the_error_shape(app: APIFlask) -> None:
    response = app.test_client().get("/nowhere")
    assert response.status_code == 404
    assert _shape(response.get_json())["code"] == "not_found"


def test_wrong_method_is_405_with_allowed_methods(app: APIFlask) -> None:
    response = app.test_client().put("/healthz")
    assert response.status_code == 405
    error = _shape(response.get_json())
    assert error["code"] == "method_not_allowed"
    assert "GET" in error["details"]["allowed_methods"]  # type: ignore[index]


def test_body_over_the_limit_is_413_in_the_error_shape(app: APIFlask) -> None:
    response = app.test_client().post("/_test/read", data=b"x" * 5000)
    assert response.status_code == 413
    assert _shape(response.get_json())["code"] == "payload_too_large"


def test_unexpected_exception_is_500_without_the_trace(
    app: APIFlask, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="screening.api"):
        response = app.test_client().get("/_test/boom")
    assert response.status_code == 500
    error = _shape(response.get_json())
    assert error["code"] == "internal_error"
    assert "secret internal detail" not in response.get_data(as_text=True)
    logged = [r for r in caplog.records if r.getMessage() == "unhandled error"]
    assert logged and "_boom" in logged[0].stack  # type: ignore[attr-defined]
    assert logged[0].error_type == "builtins.RuntimeError"  # type: ignore[attr-defined]
    # the message may quote a screened name, so it stays out of the logs
    assert "secret internal detail" not in caplog.text


def test_domain_error_names_the_field(app: APIFlask) -> None:
    response = app.test_client().get("/_test/invalid-query")
    assert response.status_code == 400
    error = _shape(response.get_json())
    assert error["code"] == "invalid_query"
    assert error["details"] == {"field": "birth_date"}


@pytest.mark.parametrize("header", [None, "Basic abc", "Bearer "])
def test_missing_or_malformed_key_is_401(app: APIFlask, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = app.test_client().get("/v1/jobs", headers=headers)
    assert response.status_code == 401
    error = _shape(response.get_json())
    assert error["details"]["field"] == "Authorization"  # type: ignore[index]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
