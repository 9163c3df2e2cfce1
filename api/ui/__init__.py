"""The analyst's page under /ui/: server-rendered shells (templates/) whose plain
JavaScript (static/) calls the /v1 JSON API with the session cookie. No CDN, no build
step: every asset is served by this app. `init_app` wires the session (api.ui.session)
into the app and api.auth."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, Flask, Response, redirect, render_template, request, url_for

from api import settings
from api.auth import SESSION_AUTH
from api.context import services
from api.ui import session as ui_session

F = TypeVar("F", bound=Callable[..., Any])

bp = Blueprint("ui", __name__, url_prefix="/ui", template_folder="templates",
               static_folder="static", static_url_path="/static")

# Only this app's own assets: no inline script, no third-party origin, no framing.
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


def init_app(app: Flask) -> None:
    """Session cookie settings, the signing secret and the /v1 session hook."""
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = settings.SESSION_SECRET or ui_session.load_or_create_secret(
            settings.DATA_DIR)
    app.config.update(
        SESSION_COOKIE_NAME="screening_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.SESSION_HOURS),
    )
    app.session_interface = ui_session.SessionInterface()
    app.extensions[SESSION_AUTH] = ui_session.session_tenant
    app.register_blueprint(bp)


def signed_in(view: F) -> F:
    """Pages need a signed-in analyst whose key still works; otherwise to the login form."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        who = ui_session.analyst()
        tenant = None if who is None else services().tenants.get(who["tenant"])
        if who is None or tenant is None or tenant.revoked or tenant.key_hash != who["key_hash"]:
            ui_session.sign_out()
            return redirect(url_for("ui.login", next=request.path))
        return view(*args, **kwargs)

    return cast(F, wrapper)


def _page(template: str, **context: Any) -> str:
    who = ui_session.analyst()
    return render_template(template, analyst=who, csrf=ui_session.csrf_token(), **context)


@bp.after_request
def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", _CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    if not request.path.startswith("/ui/static/"):
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.before_app_request
def _session_user() -> None:
    """On /v1 calls made with the page's session, X-Screening-User is the signed-in
    analyst before any view (or header validation) reads it; api.auth checks the rest."""
    if request.path.startswith("/v1/") and not request.headers.get("Authorization"):
        who = ui_session.analyst()
        if who is not None:
            ui_session.act_as(who)


@bp.get("/")
@signed_in
def home() -> Any:
    return redirect(url_for("ui.queue"))


def _safe_next(target: str | None) -> str:
    """Only local /ui/ paths: a login link cannot send the analyst elsewhere."""
    if target and target.startswith("/ui/") and not target.startswith("//"):
        return target
    return url_for("ui.queue")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    error = None
    status = 200
    user = ""
    if request.method == "POST":
        user = (request.form.get("user") or "").strip()
        key = (request.form.get("key") or "").strip()
        tenant = services().tenants.authenticate(key) if key else None
        if not ui_session.csrf_ok(request.form.get("csrf_token")):
            error, status = "The form expired: please sign in again.", 400
        elif not key:
            error, status = "Enter your organisation's API key.", 400
        elif not ui_session.USER_PATTERN.match(user):
            error, status = ("Enter your user id: 1 to 128 letters, digits or punctuation "
                             "(it is recorded with every decision you make)."), 400
        elif tenant is None:
            error, status = ("This API key is unknown or revoked: ask your operator for a "
                             "valid key."), 401
        else:
            ui_session.sign_in(tenant, user)
            return redirect(_safe_next(request.form.get("next")))
    return _page("login.html", error=error, user=user,
                 next=_safe_next(request.values.get("next"))), status


@bp.post("/logout")
def logout() -> Any:
    if ui_session.csrf_ok(request.form.get("csrf_token")):
        ui_session.sign_out()
    return redirect(url_for("ui.login"))


def _shell(page: str) -> Callable[..., Any]:
    """A page's HTML shell; its script (static/pages.js) fetches the data from /v1."""

    @signed_in
    def view(**ids: str) -> Any:
        return _page(f"{page}.html", page=page, **ids)

    return view


# Endpoint names are the page names: url_for("ui.queue"), url_for("ui.hit", hit_id=...).
for _rule, _name in (("/queue", "queue"), ("/hits/<hit_id>", "hit"), ("/check", "check"),
                     ("/jobs", "jobs"), ("/jobs/<job_id>", "job")):
    bp.add_url_rule(_rule, _name, _shell(_name), methods=["GET"])
