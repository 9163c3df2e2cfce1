"""The analyst page's sign-in: a signed, http-only, SameSite=Strict session cookie that
holds the tenant's name, the SHA-256 of its key (never the key itself: Flask's cookie is
signed, not encrypted), the analyst's user id and a CSRF token.

/v1 accepts this session instead of a Bearer key (the hook in api.auth). Each request
re-checks the key hash against the tenant store, so rotating or revoking the key ends
every page session at once. Unsafe methods need `X-CSRF-Token` equal to the session's
token, and `X-Screening-User` is the session's user whatever the page sent.
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
from pathlib import Path
from typing import Any, TypedDict

from flask import Flask, g, request, session
from flask.sessions import SecureCookieSessionInterface

from api.context import services
from api.errors import Forbidden, Unauthorized
from api.tenants import Tenant

AUTH = "auth"  # the session's key for the signed-in analyst
CSRF = "csrf"  # the session's CSRF token (also set before sign-in, for the login form)
CSRF_HEADER = "X-CSRF-Token"
USER_ENVIRON = "HTTP_X_SCREENING_USER"  # the X-Screening-User header, as WSGI keeps it
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SECRET_FILE = "session-secret"
USER_PATTERN = re.compile(r"^[\x20-\x7e]{1,128}$")  # the contract's X-Screening-User


class Analyst(TypedDict):
    tenant: str
    key_hash: str
    user: str


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, with the Secure flag whenever the request came over https
    (or SESSION_COOKIE_SECURE forces it)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure

    def open_session(self, app: Flask, request: Any) -> Any:
        # Flask builds the signing serializer (key list, signer, hash setup) on every
        # request before it looks for the cookie; an API call with a Bearer key has no
        # cookie, and gets the same empty session without that work.
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def load_or_create_secret(data_dir: Path) -> str:
    """The session-signing secret kept in <data_dir>/session-secret, created (0600) on
    first use; two processes racing to create it end up with the same one."""
    path = Path(data_dir) / SECRET_FILE
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole under a private name, then linked into place: a reader never sees
        # a half-written secret, and the first link wins.
        tmp = path.with_name(f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(48) + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text(encoding="utf-8").strip()


def csrf_token() -> str:
    """The session's CSRF token, created on first use."""
    token = session.get(CSRF)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session[CSRF] = token
    return token


def csrf_ok(presented: str | None) -> bool:
    token = session.get(CSRF)
    return bool(presented) and isinstance(token, str) and hmac.compare_digest(
        token.encode(), (presented or "").encode()
    )


def sign_in(tenant: Tenant, user: str) -> None:
    session.clear()  # a fresh session (and CSRF token) at every sign-in: no fixation
    session.permanent = True
    session[AUTH] = {"tenant": tenant.name, "key_hash": tenant.key_hash, "user": user}
    csrf_token()


def sign_out() -> None:
    session.clear()


def analyst() -> Analyst | None:
    data: Any = session.get(AUTH)
    if not isinstance(data, dict) or not {"tenant", "key_hash", "user"} <= data.keys():
        return None
    return Analyst(tenant=str(data["tenant"]), key_hash=str(data["key_hash"]),
                   user=str(data["user"]))


def session_tenant(window: int, window_seconds: int) -> tuple[Tenant, int] | None:
    """The hook api.auth calls on /v1 requests without a Bearer key: the signed-in
    tenant and its request count in this rate window, or None without a session."""
    who = analyst()
    if who is None:
        return None
    found = services().tenants.authenticate_hash_counting(
        who["key_hash"], window, window_seconds
    )
    if found is None or found[0].name != who["tenant"]:
        sign_out()
        raise Unauthorized(
            "Your page session has ended (the API key was rotated or revoked): sign in "
            "again at /ui/login.",
            field="session",
        )
    if request.method not in SAFE_METHODS and not csrf_ok(request.headers.get(CSRF_HEADER)):
        raise Forbidden(
            f"Missing or wrong {CSRF_HEADER} header: requests made with the page's session "
            "must send the token from the page (reload the page and retry).",
            field=CSRF_HEADER,
        )
    act_as(who)
    return found


def act_as(who: Analyst) -> None:
    """The analyst is whoever signed in, never what the page claims: X-Screening-User
    (and flask.g.screening_user) become the session's user."""
    request.environ[USER_ENVIRON] = who["user"]
    g.screening_user = who["user"]
