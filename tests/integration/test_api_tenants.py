"""Tenants through real Redis: a tenant never sees another's jobs, results or hits (404,
not 403); revoked and rotated-away keys answer 401; the per-tenant rate limit answers
429 with Retry-After; keys are stored only hashed; the dev tenant's key is saved 0600 and
reused; `screening tenants` creates, lists, rotates and revokes."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import redis

from api.tenants import DEV_KEY_FILE, TenantStore, ensure_dev_tenant, hash_key
from tests.integration.conftest import ApiClient, new_tenant


def _job(client: ApiClient) -> str:
    response = client.post("/v1/jobs", json={"records": [{"name": "Козлов Сергей Михайлович"}]})
    assert response.status_code == 202
    return str(response.get_json()["id"])


def test_another_tenants_job_is_404_everywhere(api_client: ApiClient, api_app: Any) -> None:
    job_id = _job(api_client)
    api_client.wait_finished(job_id)
    intruder = new_tenant(api_app, role="employer")
    for path in (f"/v1/jobs/{job_id}", f"/v1/jobs/{job_id}/results",
                 f"/v1/jobs/{job_id}/results?format=csv"):
        response = intruder.get(path)
        assert response.status_code == 404, path
        assert response.get_json()["error"]["code"] == "not_found"
        assert "Козлов" not in response.get_data(as_text=True)
    assert intruder.delete(f"/v1/jobs/{job_id}").status_code == 404
    assert intruder.get("/v1/jobs").get_json()["jobs"] == []
    assert api_client.get(f"/v1/jobs/{job_id}").status_code == 200  # still there for its owner


def test_idempotency_keys_are_per_tenant(api_client: ApiClient, api_app: Any) -> None:
    other = new_tenant(api_app)
    headers = {"Idempotency-Key": "same-key"}
    body = {"records": [{"name": "A"}]}
    mine = api_client.post("/v1/jobs", json=body, headers=headers).get_json()["id"]
    theirs = other.post("/v1/jobs", json=body, headers=headers)
    assert theirs.status_code == 202 and theirs.get_json()["id"] != mine


def test_revoked_key_is_401(api_client: ApiClient, api_app: Any) -> None:
    assert api_client.get("/v1/jobs").status_code == 200
    api_app.extensions["screening"].tenants.revoke(api_client.tenant)
    response = api_client.get("/v1/jobs")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_rotation_retires_the_old_key(api_client: ApiClient, api_app: Any) -> None:
    store: TenantStore = api_app.extensions["screening"].tenants
    _, new_key = store.rotate(api_client.tenant)
    assert api_client.get("/v1/jobs").status_code == 401
    api_client.key = new_key
    assert api_client.get("/v1/jobs").status_code == 200


def test_keys_are_stored_only_hashed(api_client: ApiClient, redis_server: str) -> None:
    client = redis.Redis.from_url(redis_server)
    stored = b""
    for key in client.scan_iter(match="*"):
        kind = client.type(key)
        if kind == b"hash":
            fields: dict[bytes, bytes] = client.hgetall(key)  # type: ignore[assignment]
            stored += b"".join(k + v for k, v in fields.items())
        elif kind == b"string":
            value: bytes | None = client.get(key)  # type: ignore[assignment]
            stored += value or b""
    assert api_client.key.encode() not in stored
    assert hash_key(api_client.key).encode() in stored


def test_rate_limit_answers_429_with_retry_after(api_app: Any, celery_worker: Any) -> None:
    client = new_tenant(api_app, rate_limit=3)
    statuses = [client.get("/v1/jobs").status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200] and statuses[3] == 429
    response = client.get("/v1/jobs")
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    error = response.get_json()["error"]
    assert error["code"] == "rate_limited" and "Retry-After" in error["message"]
    # another tenant is not affected
    assert new_tenant(api_app).get("/v1/jobs").status_code == 200


def test_dev_tenant_key_is_saved_0600_and_reused(
    tmp_path: Path, redis_server: str, key_prefix: str
) -> None:
    store = TenantStore(redis.Redis.from_url(redis_server), key_prefix + "dev-test:")
    key = ensure_dev_tenant(tmp_path, store=store)
    path = tmp_path / DEV_KEY_FILE
    assert path.read_text().strip() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert store.authenticate(key) is not None
    assert ensure_dev_tenant(tmp_path, store=store) == key  # reused, not rotated
    store.revoke("dev")
    fresh = ensure_dev_tenant(tmp_path, store=store)  # the saved key is dead: replaced
    assert fresh != key and store.authenticate(fresh) is not None
    assert path.read_text().strip() == fresh


def test_the_dev_tenant_serve_creates_is_audited_like_any_tenant(
    tmp_path: Path, redis_server: str, key_prefix: str
) -> None:
    """`screening serve` creates the dev tenant (and rotates its key when the saved one
    died): both go into its audit chain as `screening tenants` records them."""
    from api.commands.serve import _dev_key
    from workers.compliance import audit
    from workers.compliance.db import Database

    url = f"sqlite:///{tmp_path / 'compliance.db'}"
    store = TenantStore(redis.Redis.from_url(redis_server), key_prefix + "dev-audit:")
    _dev_key(tmp_path, url, store=store)
    _dev_key(tmp_path, url, store=store)  # the saved key is reused: nothing changed
    store.revoke("dev")
    _dev_key(tmp_path, url, store=store)  # a dead key is rotated
    db = Database(url)
    try:
        created, rotated = audit.list_entries(db, "dev")
        assert (created["kind"], created["data"]["action"]) == ("tenant", "created")
        assert created["actor"] == "operator:serve" and created["data"]["role"] == "bank"
        assert (rotated["kind"], rotated["data"]["action"]) == ("key", "rotated")
        assert rotated["data"]["key_hint"] == store.get("dev").key_hint
        assert audit.verify(db, "dev").ok
    finally:
        db.dispose()


def test_tenants_command_creates_lists_rotates_and_revokes(
    worker_env: dict[str, str], redis_server: str
) -> None:
    env = {**worker_env, "SCREENING_KEY_PREFIX": worker_env["SCREENING_KEY_PREFIX"] + "cli:"}

    def cli(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "api.cli", "tenants", *args], env=env,
                              capture_output=True, text=True, check=True, timeout=60)
        return done.stdout.strip()

    key = cli("create", "acme-bank", "--role", "bank", "--rate-limit", "50")
    store = TenantStore(redis.Redis.from_url(redis_server), env["SCREENING_KEY_PREFIX"])
    assert store.authenticate(key) is not None
    listing = cli("list")
    assert '"name": "acme-bank"' in listing and key not in listing
    assert '"rate_limit": 50' in listing
    rotated = cli("rotate", "acme-bank")
    assert store.authenticate(key) is None and store.authenticate(rotated) is not None
    assert cli("revoke", "acme-bank") == "revoked acme-bank"
    assert store.authenticate(rotated) is None
    failed = subprocess.run([sys.executable, "-m", "api.cli", "tenants", "create", "x",
                             "--role", "admin"], env=env, capture_output=True, text=True)
    assert failed.returncode != 0
