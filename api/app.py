"""The Flask application factory (Flask's Celery example style): `create_app(config)`
builds an app bound to one Redis (injected for tests) with every blueprint, the error
table, the OpenAPI document at /openapi.json and the docs page at /docs."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any, cast

import redis
from apiflask import APIFlask
from apispec import APISpec
from flask import Response, g, request

from api import settings
from api.auth import SECURITY_SCHEMES
from api.context import EXTENSION, Services
from api.errors import register_error_handlers
from api.json_guard import check_json_body
from api.metrics import Metrics
from api.routes import (
    audit,
    docs,
    entities,
    health,
    hits,
    jobs,
    lists,
    monitoring,
    screen,
    webhooks,
)
from api.schemas import ERROR_SCHEMA, JobCreate
from api.tenants import TenantStore
from api.ui import init_app as init_ui
from api.warmup import ListWarmup
from workers import settings as wsettings
from workers.compliance.db import get_database
from workers.compliance.store import reviews_for
from workers.jobstore import JobStore
from workers.monitoring.store import MonitorStore
from workers.monitoring.webhooks import Webhooks

log = logging.getLogger("screening.api")

DESCRIPTION = (
    "Screen names against official sanctions lists, across scripts (Latin, Cyrillic, "
    "Hangul). Banks submit batches (`POST /v1/jobs`) and poll; employers check one person "
    "at a time (`POST /v1/screen`). Every /v1 request needs `Authorization: Bearer <key>`. "
    'Every error has the shape `{"error": {"code", "message", "details"}}`.'
)


def _defaults() -> dict[str, Any]:
    return {
        "REDIS_URL": None,  # None: workers.settings' SCREENING_REDIS_URL
        "REDIS_CLIENT": None,  # an injected redis.Redis wins over REDIS_URL
        "DATABASE_URL": None,  # None: workers.settings' SCREENING_DATABASE_URL (or SQLite)
        "KEY_PREFIX": wsettings.KEY_PREFIX,
        "RATE_LIMIT": settings.RATE_LIMIT,
        "METRICS_TOKEN": settings.METRICS_TOKEN,
        "MAX_CONTENT_LENGTH": settings.MAX_BODY_BYTES,
        # apiflask: validation errors are 400 in our one error shape.
        "VALIDATION_ERROR_STATUS_CODE": 400,
        "VALIDATION_ERROR_SCHEMA": ERROR_SCHEMA,
        "HTTP_ERROR_SCHEMA": ERROR_SCHEMA,
        "VALIDATION_ERROR_DESCRIPTION": "Invalid request: details.errors lists each field.",
        "SECURITY_SCHEMES": SECURITY_SCHEMES,
        "OPENAPI_VERSION": "3.1.0",
        "SPEC_PROCESSOR_PASS_OBJECT": True,
        "DESCRIPTION": DESCRIPTION,
        "JSON_SORT_KEYS": False,
    }


def _redis_client(config: Mapping[str, Any]) -> redis.Redis:
    if config.get("REDIS_CLIENT") is not None:
        client: redis.Redis = config["REDIS_CLIENT"]
        return client
    if config.get("REDIS_URL"):
        return redis.Redis.from_url(config["REDIS_URL"], health_check_interval=30)
    from workers.connections import get_redis

    return get_redis()


def create_app(config: Mapping[str, Any] | None = None) -> APIFlask:
    app = APIFlask("api", title="Sanctions screening API", version="1.0.0", docs_path=None)
    app.config.update(_defaults())
    if config:
        app.config.update(config)
    client = _redis_client(app.config)
    prefix = str(app.config["KEY_PREFIX"])
    store = JobStore(client, prefix=prefix, ttl_seconds=wsettings.JOB_TTL_SECONDS)
    app.extensions[EXTENSION] = Services(
        redis=client, jobs=store, tenants=TenantStore(client, prefix), prefix=prefix,
        metrics=Metrics(store),
        compliance=get_database(app.config["DATABASE_URL"] or wsettings.database_url()),
    )
    app.extensions["screening_warmup"] = ListWarmup().start()
    mon = MonitorStore(client, prefix, wsettings.JOB_TTL_SECONDS)
    compliance_db = app.extensions[EXTENSION].compliance
    mon.reviews = lambda tenant, ids: reviews_for(compliance_db, tenant, ids)
    app.extensions[monitoring.EXTENSION] = (mon, Webhooks(client, prefix, mon.outbox_key))
    register_error_handlers(app)
    for module in (jobs, screen, lists, health, docs, hits, entities, audit, monitoring,
                   webhooks):
        app.register_blueprint(module.bp)
    init_ui(app)  # the analyst's page under /ui/ and its session sign-in for /v1
    app.spec_processor(cast(Any, _complete_spec))
    _install_request_log(app)
    app.before_request(check_json_body)
    return app


def _complete_spec(spec: APISpec) -> APISpec:
    """Add what decorators cannot express: POST /v1/jobs takes JSON, a CSV body or a
    multipart upload (validated by the same JobCreate schema), and /openapi.json itself."""
    spec.components.schema("JobCreate", schema=JobCreate)
    paths = spec.to_dict()["paths"]
    post = dict(paths["/v1/jobs"]["post"])
    post["requestBody"] = {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/JobCreate"}},
            "text/csv": {"schema": {"type": "string", "description": "CSV with header "
                                    "id,name,schema,birth_date,country,identifier."}},
            "multipart/form-data": {"schema": {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary",
                                        "description": "The CSV file."}},
            }},
        },
    }
    location = {"Location": {"description": "The job's status URL.", "schema": {"type": "string"}}}
    for status in ("200", "202"):
        post["responses"][status]["headers"] = location
    spec.path(path="/v1/jobs", operations={"post": post})
    for path, item in paths.items():
        for method, op in item.items():
            headers = _response_headers(path, method, op)
            if headers:
                if path == "/v1/jobs" and method == "post":
                    op = post
                for status, extra in headers.items():
                    op["responses"][status].setdefault("headers", {}).update(extra)
                spec.path(path=path, operations={method: op})
    hits.complete_spec(spec)
    spec.path(path="/openapi.json", operations={"get": {
        "tags": ["Documentation"],
        "summary": "OpenAPI document",
        "description": "This API's OpenAPI 3.1 document (also rendered at /docs).",
        "responses": {"200": {"description": "The OpenAPI document.",
                              "content": {"application/json": {"schema": {"type": "object"}}}}},
    }})
    return spec


_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before retrying or polling.",
                                 "schema": {"type": "integer"}}}


def _response_headers(path: str, method: str, op: dict[str, Any]) -> dict[str, Any]:
    """Headers the views set that decorators cannot declare: Retry-After on 429 and 503
    and on polls of unfinished jobs."""
    out: dict[str, Any] = {}
    for status in ("429", "503", "409"):
        if status in op.get("responses", {}):
            out[status] = _RETRY_AFTER
    if method == "get" and path.startswith("/v1/jobs/{job_id}"):
        out["200"] = _RETRY_AFTER
    return out


def _install_request_log(app: APIFlask) -> None:
    @app.before_request
    def _start_timer() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def _log_request(response: Response) -> Response:
        elapsed = time.perf_counter() - g.get("started", time.perf_counter())
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        tenant = g.get("tenant")
        app.extensions[EXTENSION].metrics.requests.labels(
            endpoint=endpoint, status=str(response.status_code)
        ).inc()
        if endpoint not in ("/healthz", "/metrics"):
            log.info("request", extra={
                "method": request.method, "endpoint": endpoint,
                "status": response.status_code, "ms": round(elapsed * 1000, 2),
                "tenant": tenant.name if tenant is not None else None,
                "job_id": (request.view_args or {}).get("job_id"),
            })
        return response
