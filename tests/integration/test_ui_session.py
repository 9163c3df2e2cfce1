"""The analyst page's sign-in (api.ui.session) through the app on a real Redis: the
session cookie's flags and content, CSRF on unsafe /v1 calls, the analyst identity taken
from the session, sessions ended by key rotation, and no key in URLs or logs."""

from __future__ import annotations

import logging
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from apiflask import APIFlask
from flask import request
from flask.testing import FlaskClient

from api.ui.session import load_or_create_secret
from tests.integration.conftest import ApiClient, new_tenant

pytestmark = pytest.mark.integration

COOKIE = "screening_session"


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert found, "the page carries its CSRF token"
    return found.group(1)


def _login(client: FlaskClient, key: str, user: str = "alice",
           base_url: str = "http://localhost") -> str:
    page = client.get("/ui/login", base_url=base_url).get_data(as_text=True)
    resp = client.post("/ui/login", base_url=base_url, data={
        "csrf_token": _csrf(page), "key": key, "user": user, "next": "/ui/jobs"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    assert resp.headers["Location"].endswith("/ui/jobs")
    return _csrf(client.get("/ui/jobs", base_url=base_url).get_data(as_text=True))


@pytest.fixture()
def tenant(api_app: APIFlask) -> ApiClient:
    return new_tenant(api_app)


def test_login_sets_a_strict_http_only_cookie_without_the_key(
    api_app: APIFlask, tenant: ApiClient
) -> None:
    client = api_app.test_client()
    page = client.get("/ui/login").get_data(as_text=True)
    resp = client.post("/ui/login", data={"csrf_token": _csrf(page), "key": tenant.key,
                                          "user": "alice"})
    assert resp.status_code == 302
    cookie = next(h for h in resp.headers.getlist("Set-Cookie") if h.startswith(COOKIE + "="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Secure" not in cookie  # plain http: a Secure cookie would never come back
    value = cookie.split(";")[0].split("=", 1)[1]
    data = api_app.session_interface.get_signing_serializer(api_app).loads(value)  # type: ignore[attr-defined]
    assert data["auth"]["tenant"] == tenant.tenant and data["auth"]["user"] == "alice"
    assert tenant.key not in value and tenant.key not in repr(data)
    assert tenant.key not in resp.headers["Location"]


def test_cookie_is_secure_over_https(api_app: APIFlask, tenant: ApiClient) -> None:
    client = api_app.test_client()
    base = "https://localhost"
    page = client.get("/ui/login", base_url=base).get_data(as_text=True)
    resp = client.post("/ui/login", base_url=base, data={
        "csrf_token": _csrf(page), "key": tenant.key, "user": "alice"})
    cookie = next(h for h in resp.headers.getlist("Set-Cookie") if h.startswith(COOKIE + "="))
    assert "Secure" in cookie


def test_login_refuses_bad_key_bad_user_and_missing_csrf(
    api_app: APIFlask, tenant: ApiClient
) -> None:
    client = api_app.test_client()
    token = _csrf(client.get("/ui/login").get_data(as_text=True))
    bad_key = client.post("/ui/login", data={"csrf_token": token, "key": "sk_nope",
                                             "user": "alice"})
    assert bad_key.status_code == 401
    assert "unknown or revoked" in bad_key.get_data(as_text=True)
    bad_user = client.post("/ui/login", data={"csrf_token": token, "key": tenant.key,
                                              "user": "x" * 129})
    assert bad_user.status_code == 400
    no_csrf = client.post("/ui/login", data={"key": tenant.key, "user": "alice"})
    assert no_csrf.status_code == 400
    assert client.get("/v1/jobs").status_code == 401  # none of these signed in


def test_pages_need_a_session_and_send_safe_headers(api_app: APIFlask) -> None:
    client = api_app.test_client()
    resp = client.get("/ui/queue")
    assert resp.status_code == 302 and "/ui/login?next=/ui/queue" in resp.headers["Location"]
    login = client.get("/ui/login")
    assert "script-src 'self'" in login.headers["Content-Security-Policy"]
    assert login.headers["Cache-Control"] == "no-store"
    assert client.get("/ui/static/ui.js").status_code == 200


def test_login_never_redirects_off_site(api_app: APIFlask, tenant: ApiClient) -> None:
    client = api_app.test_client()
    token = _csrf(client.get("/ui/login").get_data(as_text=True))
    resp = client.post("/ui/login", data={"csrf_token": token, "key": tenant.key,
                                          "user": "alice", "next": "//evil.example/x"})
    assert resp.headers["Location"].endswith("/ui/queue")


def test_v1_accepts_the_session_with_csrf_on_unsafe_methods(
    api_app: APIFlask, tenant: ApiClient
) -> None:
    client = api_app.test_client()
    token = _login(client, tenant.key)
    assert client.get("/v1/jobs").status_code == 200
    body = {"name": "Козлов Сергей Михайлович"}
    refused = client.post("/v1/screen", json=body)
    assert refused.status_code == 403
    assert refused.get_json()["error"]["details"]["field"] == "X-CSRF-Token"
    wrong = client.post("/v1/screen", json=body, headers={"X-CSRF-Token": "x" + token})
    assert wrong.status_code == 403
    ok = client.post("/v1/screen", json=body, headers={"X-CSRF-Token": token})
    assert ok.status_code == 200 and ok.get_json()["hit"] is True


def test_an_explicit_bearer_key_wins_over_the_cookie(
    api_app: APIFlask, tenant: ApiClient
) -> None:
    other = new_tenant(api_app)
    client = api_app.test_client()
    _login(client, tenant.key)
    job = tenant.post("/v1/jobs", json={"records": [{"name": "Maria Schmidt"}]}).get_json()
    assert client.get(f"/v1/jobs/{job['id']}").status_code == 200
    as_other = client.get(f"/v1/jobs/{job['id']}",
                          headers={"Authorization": f"Bearer {other.key}"})
    assert as_other.status_code == 404  # the other tenant's key, not the session


def test_the_analyst_is_the_session_user_whatever_the_page_sends(
    api_app: APIFlask, tenant: ApiClient
) -> None:
    client = api_app.test_client()
    _login(client, tenant.key, user="alice")
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    with api_app.test_request_context(
        "/v1/lists", headers={"X-Screening-User": "mallory",
                              "Cookie": f"{COOKIE}={cookie.value}"}
    ):
        api_app.preprocess_request()
        assert request.headers["X-Screening-User"] == "alice"


def test_rotating_the_key_ends_page_sessions(api_app: APIFlask, tenant: ApiClient) -> None:
    client = api_app.test_client()
    _login(client, tenant.key)
    assert client.get("/v1/jobs").status_code == 200
    api_app.extensions["screening"].tenants.rotate(tenant.tenant)
    ended = client.get("/v1/jobs")
    assert ended.status_code == 401
    assert "sign in again" in ended.get_json()["error"]["message"]
    assert client.get("/ui/queue").status_code == 302


def test_logout_needs_the_csrf_token(api_app: APIFlask, tenant: ApiClient) -> None:
    client = api_app.test_client()
    token = _login(client, tenant.key)
    client.post("/ui/logout", data={})
    assert client.get("/v1/jobs").status_code == 200  # a forged logout does nothing
    client.post("/ui/logout", data={"csrf_token": token})
    assert client.get("/v1/jobs").status_code == 401


def test_the_key_is_never_logged(
    api_app: APIFlask, tenant: ApiClient, caplog: pytest.LogCaptureFixture
) -> None:
    client = api_app.test_client()
    with caplog.at_level(logging.DEBUG):
        token = _login(client, tenant.key)
        client.post("/v1/screen", json={"name": "Maria Schmidt"},
                    headers={"X-CSRF-Token": token})
    assert caplog.records, "requests are logged"
    for record in caplog.records:
        assert tenant.key not in repr(record.__dict__)


def test_the_session_secret_is_created_once_private(tmp_path: Path) -> None:
    first = load_or_create_secret(tmp_path)
    assert len(first) >= 32
    assert stat.S_IMODE((tmp_path / "session-secret").stat().st_mode) == 0o600
    assert load_or_create_secret(tmp_path) == first


def test_concurrent_processes_share_one_secret(tmp_path: Path) -> None:
    code = ("import sys; from pathlib import Path; from api.ui.session import "
            "load_or_create_secret as f; print(f(Path(sys.argv[1])))")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE,
                              text=True) for _ in range(4)]
    outs = {p.communicate(timeout=60)[0].strip() for p in procs}
    assert len(outs) == 1
