"""Each API process caches the tenants it authenticated (one small Redis round trip per
request instead of reading the tenant), and a change made anywhere (another process,
`screening tenants`) applies on the very next request: a revoked or rotated-away key is
401 at once, new settings apply at once, and a cache Redis can no longer vouch for (its
generation lost) is never trusted."""

from __future__ import annotations

import json
from typing import Any

import redis

from api.tenants import TenantStore
from tests.integration.conftest import new_tenant


def _other_process(app: Any) -> TenantStore:
    """A second view of the same tenants, as another API process or the CLI has."""
    mine: TenantStore = app.extensions["screening"].tenants
    return TenantStore(redis.Redis.from_url(app.config["REDIS_URL"]), mine.prefix)


def test_a_key_revoked_elsewhere_is_refused_on_its_next_request(
    api_app: Any, celery_worker: Any
) -> None:
    client = new_tenant(api_app)
    assert client.get("/v1/jobs").status_code == 200  # now cached in this process
    assert client.get("/v1/jobs").status_code == 200
    _other_process(api_app).revoke(client.tenant)
    response = client.get("/v1/jobs")
    assert response.status_code == 401
    assert response.get_json()["error"]["details"]["field"] == "Authorization"


def test_a_key_rotated_elsewhere_is_refused_and_the_new_one_works(
    api_app: Any, celery_worker: Any
) -> None:
    client = new_tenant(api_app)
    assert client.get("/v1/jobs").status_code == 200
    _, fresh = _other_process(api_app).rotate(client.tenant)
    assert client.get("/v1/jobs").status_code == 401
    client.key = fresh
    assert client.get("/v1/jobs").status_code == 200


def test_settings_changed_elsewhere_apply_on_the_next_request(
    api_app: Any, celery_worker: Any
) -> None:
    client = new_tenant(api_app)
    assert client.get("/v1/jobs").status_code == 200
    assert client.get("/v1/jobs").status_code == 200
    _other_process(api_app).update_settings(client.tenant, rate_limit=2)
    assert client.get("/v1/jobs").status_code == 429  # the third request of the window


def test_the_cache_is_used_until_the_generation_moves(api_app: Any, celery_worker: Any) -> None:
    """Proof that the fast path is taken: a tenant record changed in Redis WITHOUT moving
    the generation (which no code path does) is not seen; once the generation moves, it
    is."""
    client = new_tenant(api_app)
    assert client.get("/v1/jobs").status_code == 200
    store = _other_process(api_app)
    record = json.loads(store.r.hget(store._tenants, client.tenant))  # type: ignore[arg-type]
    record["revoked"] = True
    store.r.hset(store._tenants, client.tenant, json.dumps(record))
    assert client.get("/v1/jobs").status_code == 200  # the cached tenant
    store.r.incr(store._generation)
    assert client.get("/v1/jobs").status_code == 401


def test_a_lost_generation_is_never_trusted(api_app: Any, celery_worker: Any) -> None:
    """Redis lost its data (no AOF, a flush): the cached tenant is not vouched for."""
    client = new_tenant(api_app)
    assert client.get("/v1/jobs").status_code == 200
    store = _other_process(api_app)
    store.r.hdel(store._keys, store.get(client.tenant).key_hash)  # type: ignore[union-attr]
    store.r.delete(store._generation)
    assert client.get("/v1/jobs").status_code == 401
