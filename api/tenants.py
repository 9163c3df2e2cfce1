"""Tenants and their API keys, stored in Redis.

Keys are never stored: only the sha256 of each key (keys are 256-bit random tokens,
so a fast hash is enough; there is nothing to brute-force). Keys under the prefix:
  tenants               hash: tenant name -> JSON record (role, settings, key hash...)
  apikeys               hash: sha256(key) -> tenant name
  tenants:generation    counter: moved by every change to a tenant or key

Each API process keeps the tenants it authenticated (TenantStore's cache), so a request
costs one small Redis round trip: count it in the rate window and read the generation.
Any creation, rotation, revocation or settings change moves the generation (in the same
transaction as the change), and a process that reads a new generation forgets its cache
and authenticates afresh: a revoked key fails on its very next request, whichever
process (or `screening tenants` command) revoked it. The cache also expires after
CACHE_SECONDS, and a generation Redis no longer has (data lost) is never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import redis

from api.errors import BadRequest, Conflict, NotFound
from matching.policy import policy_from

ROLES = ("bank", "employer")
KEY_PREFIX = "sk_"  # makes keys recognisable in config files and secret scanners
DEV_TENANT = "dev"
DEV_KEY_FILE = "dev-api-key"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,62}$")


@dataclass(slots=True)
class TenantSettings:
    """Per-tenant overrides; None means the service default."""

    lists: list[str] | None = None
    threshold: float | None = None
    max_batch_size: int | None = None
    rate_limit: int | None = None
    max_concurrent_jobs: int | None = None
    # Four-eyes: a false_positive takes effect only once a second user confirms it.
    four_eyes: bool = False
    # The tenant's matching policy (matching.policy.MatchingPolicy fields); None: defaults.
    policy: dict[str, Any] | None = None


@dataclass(slots=True)
class Tenant:
    name: str
    role: str
    created_at: float
    key_hash: str
    key_hint: str  # last characters of the key, so an operator can tell keys apart
    revoked: bool = False
    settings: TenantSettings = field(default_factory=TenantSettings)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, raw: str | bytes) -> Tenant:
        data = json.loads(raw)
        data["settings"] = TenantSettings(**(data.get("settings") or {}))
        return cls(**data)

    def public(self) -> dict[str, Any]:
        """What `tenants list` shows: never the key hash."""
        return {
            "name": self.name,
            "role": self.role,
            "created_at": self.created_at,
            "key_hint": self.key_hint,
            "revoked": self.revoked,
            "settings": asdict(self.settings),
        }


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


# Resolve a key hash to its tenant, count the request in the tenant's rate window
# (unless ARGV[5] is 0: already counted) and read the generation (started at 1 when
# absent) in ONE round trip: on a busy host every round trip can cost a scheduler slice.
_AUTH_AND_COUNT = """
local name = redis.call('HGET', KEYS[1], ARGV[1])
if not name then return false end
local tenant = redis.call('HGET', KEYS[2], name)
if not tenant then return false end
local counter = ARGV[2] .. name .. ':' .. ARGV[3]
local count
if ARGV[5] == '1' then
  count = redis.call('INCR', counter)
  if count == 1 then redis.call('EXPIRE', counter, ARGV[4]) end
else
  count = tonumber(redis.call('GET', counter) or '0')
end
local generation = redis.call('GET', KEYS[3])
if not generation then generation = tostring(redis.call('INCR', KEYS[3])) end
return {tenant, count, generation}
"""


# The hot path with the tenant cached: count the request, read the generation.
_COUNT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
-- `or false`: a nil would end the Lua array (the reply would lose the field)
return {count, redis.call('GET', KEYS[2]) or false}
"""

CACHE_SECONDS = 60.0  # a safety net: the generation is what makes revocation immediate
CACHE_MAX = 10_000  # keys cached per process (all forgotten when full)


class TenantStore:
    """Create, list, rotate and revoke tenants; resolve a presented key to its tenant."""

    def __init__(self, client: redis.Redis, prefix: str = "screening:") -> None:
        self.r = client
        self.prefix = prefix
        self._tenants = f"{prefix}tenants"
        self._keys = f"{prefix}apikeys"
        self._generation = f"{prefix}tenants:generation"
        self._auth_and_count = client.register_script(_AUTH_AND_COUNT)
        self._count = client.register_script(_COUNT)
        # key hash -> (tenant, generation it was read at, monotonic time it was read)
        self._cache: dict[str, tuple[Tenant, bytes, float]] = {}
        self._cache_lock = threading.Lock()

    def _changed(self, pipe: Any) -> None:
        """Queue the generation move that tells every process to forget its cache."""
        pipe.incr(self._generation)

    def get(self, name: str) -> Tenant | None:
        raw = self.r.hget(self._tenants, name)
        return None if raw is None else Tenant.from_json(raw)

    def list(self) -> list[Tenant]:
        return sorted(
            (Tenant.from_json(v) for v in self.r.hvals(self._tenants)), key=lambda t: t.name
        )

    def create(
        self, name: str, role: str, settings: TenantSettings | None = None
    ) -> tuple[Tenant, str]:
        """A new tenant and its API key (shown once, stored only hashed)."""
        if not _NAME.match(name):
            raise BadRequest(
                "Tenant names are 1-63 characters: lower-case letters, digits, '.', '_' or '-'.",
                field="name",
            )
        if role not in ROLES:
            raise BadRequest(f"Role must be one of {', '.join(ROLES)}.", field="role")
        key = new_key()
        tenant = Tenant(
            name=name,
            role=role,
            created_at=time.time(),
            key_hash=hash_key(key),
            key_hint=key[-4:],
            settings=settings or TenantSettings(),
        )
        if not self.r.hsetnx(self._tenants, name, tenant.to_json()):
            raise Conflict(
                f"Tenant {name!r} already exists: use `screening tenants rotate {name}` "
                "for a new key.",
                field="name",
            )
        pipe = self.r.pipeline(transaction=True)
        pipe.hset(self._keys, tenant.key_hash, name)
        self._changed(pipe)
        pipe.execute()
        return tenant, key

    def rotate(self, name: str) -> tuple[Tenant, str]:
        """Replace the tenant's key: the old key stops working at once. Also un-revokes."""
        tenant = self._require(name)
        key = new_key()
        old_hash = tenant.key_hash
        tenant.key_hash, tenant.key_hint, tenant.revoked = hash_key(key), key[-4:], False
        pipe = self.r.pipeline(transaction=True)
        pipe.hdel(self._keys, old_hash)
        pipe.hset(self._keys, tenant.key_hash, name)
        pipe.hset(self._tenants, name, tenant.to_json())
        self._changed(pipe)
        pipe.execute()
        return tenant, key

    def revoke(self, name: str) -> Tenant:
        """Disable the tenant's key; its jobs stay (until they expire)."""
        tenant = self._require(name)
        tenant.revoked = True
        pipe = self.r.pipeline(transaction=True)
        pipe.hdel(self._keys, tenant.key_hash)
        pipe.hset(self._tenants, name, tenant.to_json())
        self._changed(pipe)
        pipe.execute()
        return tenant

    def update_settings(self, name: str, **changes: Any) -> Tenant:
        tenant = self._require(name)
        for key, value in changes.items():
            if not hasattr(tenant.settings, key):
                raise BadRequest(f"Unknown tenant setting {key!r}.", field=key)
            if key == "policy" and value is not None:
                policy_from(value)  # raises InvalidQuery (400) naming the setting
            setattr(tenant.settings, key, value)
        pipe = self.r.pipeline(transaction=True)
        pipe.hset(self._tenants, name, tenant.to_json())
        self._changed(pipe)
        pipe.execute()
        return tenant

    def authenticate(self, key: str) -> Tenant | None:
        """The active tenant owning `key`, or None."""
        if not key:
            return None
        name = self.r.hget(self._keys, hash_key(key))
        if name is None:
            return None
        tenant = self.get(name.decode() if isinstance(name, bytes) else name)
        if tenant is None or tenant.revoked or tenant.key_hash != hash_key(key):
            return None
        return tenant

    def authenticate_counting(
        self, key: str, window: int, window_seconds: int
    ) -> tuple[Tenant, int] | None:
        """Like authenticate(), also counting the request in the tenant's rate window
        `window`; returns (tenant, requests in this window so far)."""
        if not key:
            return None
        return self.authenticate_hash_counting(hash_key(key), window, window_seconds)

    def authenticate_hash_counting(
        self, key_hash: str, window: int, window_seconds: int
    ) -> tuple[Tenant, int] | None:
        """authenticate_counting() from the key's hash (what a page session keeps)."""
        cached = self._cached(key_hash)
        if cached is not None:
            tenant, generation = cached
            count, current = self._count(
                keys=[self._counter(tenant.name, window), self._generation],
                args=[window_seconds * 2],
            )
            if current is not None and current == generation:
                return tenant, int(count)
            # Something changed (or Redis lost the generation): forget every cached
            # tenant and ask Redis again. This request is already counted.
            self._forget()
            found = self._fetch(key_hash, window, window_seconds, count=False)
            if found is None or found[0].name != tenant.name:
                return None
            return found[0], int(count)
        return self._fetch(key_hash, window, window_seconds, count=True)

    def _fetch(self, key_hash: str, window: int, window_seconds: int,
               count: bool) -> tuple[Tenant, int] | None:
        found = self._auth_and_count(
            keys=[self._keys, self._tenants, self._generation],
            args=[key_hash, f"{self.prefix}ratelimit:", window, window_seconds * 2,
                  1 if count else 0],
        )
        if not found:
            return None
        raw, counted, generation = found
        tenant = Tenant.from_json(raw)
        if tenant.revoked or tenant.key_hash != key_hash:
            return None
        with self._cache_lock:
            if len(self._cache) >= CACHE_MAX:
                self._cache.clear()
            self._cache[key_hash] = (tenant, generation, time.monotonic())
        return tenant, int(counted)

    def _cached(self, key_hash: str) -> tuple[Tenant, bytes] | None:
        found = self._cache.get(key_hash)
        if found is None:
            return None
        tenant, generation, at = found
        if time.monotonic() - at > CACHE_SECONDS:
            with self._cache_lock:
                self._cache.pop(key_hash, None)
            return None
        return tenant, generation

    def _forget(self) -> None:
        with self._cache_lock:
            self._cache.clear()

    def _counter(self, name: str, window: int) -> str:
        return f"{self.prefix}ratelimit:{name}:{window}"

    def _require(self, name: str) -> Tenant:
        tenant = self.get(name)
        if tenant is None:
            raise NotFound(
                f"No tenant {name!r}: `screening tenants list` shows them.", field="name"
            )
        return tenant


def ensure_dev_tenant(
    data_dir: Path, store: TenantStore | None = None, client: redis.Redis | None = None,
    on_change: Callable[[str, str, Tenant], object] | None = None,
) -> str:
    """The local development tenant's key: reused from <data_dir>/dev-api-key when it is
    still valid, otherwise created (or rotated) and saved there with mode 0600.
    `on_change(kind, action, tenant)` is told of a creation ("tenant", "created") or a
    rotation ("key", "rotated"): `screening serve` audits them as for any tenant."""
    if store is None:
        from workers import settings as wsettings
        from workers.connections import get_redis

        store = TenantStore(client or get_redis(), wsettings.KEY_PREFIX)
    path = Path(data_dir) / DEV_KEY_FILE
    if path.is_file():
        key = path.read_text(encoding="utf-8").strip()
        if store.authenticate(key) is not None:
            return key
    if store.get(DEV_TENANT) is None:
        tenant, key = store.create(DEV_TENANT, "bank")
        change = ("tenant", "created")
    else:
        tenant, key = store.rotate(DEV_TENANT)
        change = ("key", "rotated")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Create with 0600 from the start, so the key is never readable by others even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    os.chmod(path, 0o600)
    if on_change is not None:
        on_change(*change, tenant)
    return key


def settings_from_mapping(values: Mapping[str, Any]) -> TenantSettings:
    return TenantSettings(**{k: v for k, v in values.items() if v is not None})
