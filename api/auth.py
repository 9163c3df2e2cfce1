"""Bearer-key authentication and per-tenant rate limiting for /v1 views.

A missing, unknown or revoked key is 401. The tenant is put on `flask.g.tenant`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import current_app, g, request

from api import settings
from api.context import services
from api.errors import Unauthorized
from api.ratelimit import WINDOW_SECONDS, current_window, enforce
from api.tenants import Tenant

F = TypeVar("F", bound=Callable[..., Any])

SECURITY_SCHEME = "ApiKey"
SECURITY_SCHEMES = {
    SECURITY_SCHEME: {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key from `screening tenants create NAME --role bank|employer` "
        "(or the development key in <data-dir>/dev-api-key), sent as "
        "`Authorization: Bearer <key>`.",
    }
}


def _presented_key() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Unauthorized(
            "Missing API key: send `Authorization: Bearer <key>`.",
            field="Authorization",
            headers={"WWW-Authenticate": 'Bearer realm="screening"'},
        )
    return key.strip()


def current_tenant() -> Tenant:
    tenant: Tenant = g.tenant
    return tenant


# The analyst page (api/ui) signs in with a session cookie instead of a Bearer key. It
# registers here a function (window, window_seconds) -> (tenant, count) or None (no session).
SESSION_AUTH = "screening_session_auth"
SessionAuth = Callable[[int, int], "tuple[Tenant, int] | None"]


def _session_tenant(window: int) -> tuple[Tenant, int] | None:
    hook: SessionAuth | None = current_app.extensions.get(SESSION_AUTH)
    if hook is None or request.headers.get("Authorization"):
        return None  # an explicit key always wins over a cookie
    return hook(window, WINDOW_SECONDS)


def authenticate() -> Tenant:
    """Resolve the request's key (or page session) to a tenant and count the request
    against its limit."""
    window = current_window()
    found = _session_tenant(window)
    if found is None:
        found = _key_tenant(window)
    tenant, count = found
    g.tenant = tenant
    limit = tenant.settings.rate_limit or current_app.config.get(
        "RATE_LIMIT", settings.RATE_LIMIT
    )
    enforce(count, int(limit), window)
    return tenant


def _key_tenant(window: int) -> tuple[Tenant, int]:
    key = _presented_key()
    svc = services()
    found = svc.tenants.authenticate_counting(key, window, WINDOW_SECONDS)
    if found is None:
        raise Unauthorized(
            "Unknown or revoked API key: ask the operator for a valid key "
            "(`screening tenants rotate NAME`).",
            field="Authorization",
            headers={"WWW-Authenticate": 'Bearer realm="screening", error="invalid_token"'},
        )
    return found


def tenant_required(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        authenticate()
        return view(*args, **kwargs)

    return cast(F, wrapper)
