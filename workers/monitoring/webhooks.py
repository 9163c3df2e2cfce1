"""Webhook endpoints, Standard Webhooks signing, fan-out of events and deliveries with
retries.

- Events are queued in the monitoring outbox (atomically with the change they report);
  `fan_out` turns each into one delivery per subscribed endpoint (ids derived from the
  event and the endpoint, so a repeated fan-out adds nothing).
- `deliver_due` sends due deliveries: a delivery is leased before it is sent, so a
  worker that dies mid-send only delays it. Non-2xx, timeouts and connection errors are
  retried with exponential backoff (settings.WEBHOOK_RETRY_*) for at least a day, then
  the delivery is marked failed. Every attempt is logged on the delivery.
- Signatures: HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}" with each
  active secret of the endpoint ("v1,<base64>" space-separated), as the Standard
  Webhooks specification (and its `standardwebhooks` reference package) defines.
- Payloads carry ids and links only, never a screened name.

Keys (under `<prefix>wh:`): t:{t}:endpoints (hash id -> JSON), tenants (set of tenants
with endpoints), t:{t}:deliveries (hash id -> JSON), t:{t}:dorder (zset id -> created),
due (zset "tenant␟delivery id" -> next attempt time), fanout (list being fanned out).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, cast

import redis

from workers import settings
from workers.monitoring.runs import iso

log = logging.getLogger("screening.webhooks")

EVENT_TYPES = ("job.completed", "job.failed", "alert.created", "alert.closed", "list.updated")
SEP = "\x1f"
LEASE_SECONDS = 120.0
USER_AGENT = "screening-webhooks/1.0"

_CLAIM = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) <= tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  return 1
end
return 0
"""


class WebhookError(Exception):
    """A webhook request that cannot be honoured; `field` names the input at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _s(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def sign(secret: str, msg_id: str, timestamp: int, body: str) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, f"{msg_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def _blocked(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
            or ip.is_reserved or ip.is_unspecified)


def check_url(url: str, allow_private: bool | None = None) -> None:
    """https only, no credentials, a host that resolves to public addresses only (no
    loopback, private, link-local...), unless the development setting allows them."""
    allow = settings.WEBHOOKS_ALLOW_PRIVATE if allow_private is None else allow_private
    if not isinstance(url, str) or len(url) > 2000:
        raise WebhookError("url must be a string of at most 2000 characters", "url")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "https" and not (allow and parts.scheme == "http"):
        raise WebhookError(
            "url must start with https:// (http:// only with SCREENING_WEBHOOKS_ALLOW_PRIVATE "
            "in development)", "url")
    if not parts.hostname:
        raise WebhookError("url has no host", "url")
    if parts.username or parts.password:
        raise WebhookError("url must not carry credentials: use the signature instead", "url")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError) as exc:
        raise WebhookError(f"url host {parts.hostname!r} does not resolve ({exc})", "url") from exc
    addresses = {str(info[4][0]) for info in found}
    if not allow and any(_blocked(a) for a in addresses):
        raise WebhookError(
            f"url host {parts.hostname!r} resolves to a loopback, private or link-local "
            "address; webhooks go to public addresses only", "url")


def backoff(attempt: int) -> float:
    """Seconds before retry number `attempt` (1 = the first retry)."""
    base = settings.WEBHOOK_RETRY_BASE_SECONDS
    return float(min(base * 4 ** (attempt - 1), settings.WEBHOOK_RETRY_MAX_GAP_SECONDS))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is an answer (3xx), never followed: it could lead inside


_opener = urllib.request.build_opener(_NoRedirect)


class Webhooks:
    def __init__(self, client: redis.Redis, prefix: str, outbox_key: str) -> None:
        self.r = client
        self.p = f"{prefix}wh:"
        self.outbox = outbox_key
        self._claim = client.register_script(_CLAIM)

    # -- endpoints -------------------------------------------------------------------
    def _ekey(self, tenant: str) -> str:
        return f"{self.p}t:{tenant}:endpoints"

    def create_endpoint(
        self, tenant: str, url: str, events: list[str], description: str | None = None
    ) -> dict[str, Any]:
        check_url(url)
        _check_events(events)
        now = time.time()
        endpoint = {
            "id": "ep_" + secrets.token_hex(8),
            "url": url,
            "events": sorted(set(events)),
            "description": description,
            "created_at": iso(now),
            "secrets": [{"secret": new_secret(), "created_at": now, "expires_at": None}],
        }
        pipe = self.r.pipeline()
        pipe.hset(self._ekey(tenant), str(endpoint["id"]), json.dumps(endpoint))
        pipe.sadd(f"{self.p}tenants", tenant)
        pipe.execute()
        return endpoint

    def endpoints(self, tenant: str) -> list[dict[str, Any]]:
        raw = self.r.hvals(self._ekey(tenant))
        return sorted((json.loads(x) for x in raw), key=lambda e: e["created_at"])

    def endpoint(self, tenant: str, endpoint_id: str) -> dict[str, Any] | None:
        raw = self.r.hget(self._ekey(tenant), endpoint_id)
        return None if raw is None else dict(json.loads(raw))

    def delete_endpoint(self, tenant: str, endpoint_id: str) -> bool:
        return bool(self.r.hdel(self._ekey(tenant), endpoint_id))

    def rotate_secret(self, tenant: str, endpoint_id: str) -> dict[str, Any] | None:
        """A new secret signs from now on; the previous ones keep signing (beside it) for
        WEBHOOK_SECRET_OVERLAP_SECONDS, so receivers can switch without losing events."""
        endpoint = self.endpoint(tenant, endpoint_id)
        if endpoint is None:
            return None
        now = time.time()
        expires = now + settings.WEBHOOK_SECRET_OVERLAP_SECONDS
        kept = [s for s in endpoint["secrets"] if s["expires_at"] is None or s["expires_at"] > now]
        for s in kept:
            if s["expires_at"] is None:
                s["expires_at"] = expires
        endpoint["secrets"] = [
            *kept, {"secret": new_secret(), "created_at": now, "expires_at": None}
        ]
        self.r.hset(self._ekey(tenant), endpoint_id, json.dumps(endpoint))
        return endpoint

    @staticmethod
    def active_secrets(endpoint: dict[str, Any], now: float) -> list[str]:
        return [s["secret"] for s in endpoint["secrets"]
                if s["expires_at"] is None or s["expires_at"] > now]

    # -- deliveries ------------------------------------------------------------------
    def _dkey(self, tenant: str) -> str:
        return f"{self.p}t:{tenant}:deliveries"

    def _create_delivery(
        self, tenant: str, endpoint_id: str, event: dict[str, Any], delivery_id: str
    ) -> bool:
        now = time.time()
        body = json.dumps(
            {"type": event["type"], "timestamp": event["timestamp"], "data": event["data"]},
            ensure_ascii=False, separators=(",", ":"),
        )
        delivery = {
            "id": delivery_id,
            "endpoint_id": endpoint_id,
            "event_id": event["id"],
            "event_type": event["type"],
            "body": body,
            "status": "pending",
            "attempts": [],
            "created_at": iso(now),
            "first_attempt_at": None,
            "next_attempt_at": iso(now),
        }
        if not self.r.hsetnx(self._dkey(tenant), delivery_id, json.dumps(delivery)):
            return False
        pipe = self.r.pipeline()
        pipe.zadd(f"{self.p}t:{tenant}:dorder", {delivery_id: now})
        pipe.zadd(f"{self.p}due", {f"{tenant}{SEP}{delivery_id}": now})
        pipe.execute()
        return True

    def fan_out(self, limit: int = 1000) -> int:
        """Turn queued events into deliveries. Call under the background loop's lock: an
        event left in `fanout` by a crash is fanned out again first (idempotently)."""
        made = 0
        processing = f"{self.p}fanout"
        for _ in range(limit):
            raw = self.r.lindex(processing, 0)
            if raw is None:
                raw = self.r.lmove(self.outbox, processing, "LEFT", "RIGHT")
                if raw is None:
                    break
            event = json.loads(raw)
            tenants = (
                sorted(_s(t) for t in cast(set[bytes], self.r.smembers(f"{self.p}tenants")))
                if event["tenant"] == "*" else [event["tenant"]]
            )
            for tenant in tenants:
                for ep in self.endpoints(tenant):
                    if event["type"] in ep["events"]:
                        did = "dlv_" + hashlib.sha256(
                            f"{event['id']}{SEP}{ep['id']}".encode()).hexdigest()[:20]
                        made += self._create_delivery(tenant, ep["id"], event, did)
            self.r.lpop(processing)
        return made

    def replay(self, tenant: str, delivery_id: str) -> dict[str, Any] | None:
        """Send a delivery's event again, as a new delivery (same webhook-id, so a
        receiver that deduplicates sees the same message)."""
        old = self.delivery(tenant, delivery_id)
        if old is None:
            return None
        event = {"id": old["event_id"], "type": old["event_type"], **json.loads(old["body"])}
        did = "dlv_" + secrets.token_hex(10)
        self._create_delivery(tenant, old["endpoint_id"], event, did)
        new = self.delivery(tenant, did)
        assert new is not None
        new["replay_of"] = delivery_id
        self.r.hset(self._dkey(tenant), did, json.dumps(new))
        return new

    def delivery(self, tenant: str, delivery_id: str) -> dict[str, Any] | None:
        raw = self.r.hget(self._dkey(tenant), delivery_id)
        return None if raw is None else dict(json.loads(raw))

    def deliveries(
        self, tenant: str, endpoint_id: str | None = None, offset: int = 0, limit: int = 100
    ) -> list[dict[str, Any]]:
        """Newest first."""
        out: list[dict[str, Any]] = []
        start = 0
        while len(out) < offset + limit:
            ids = [_s(x) for x in cast(list[bytes], self.r.zrevrange(
                f"{self.p}t:{tenant}:dorder", start, start + 499))]
            if not ids:
                break
            start += len(ids)
            for raw in self.r.hmget(self._dkey(tenant), ids):
                if raw is None:
                    continue
                d = json.loads(raw)
                if endpoint_id is None or d["endpoint_id"] == endpoint_id:
                    out.append(d)
        return out[offset: offset + limit]

    def deliver_due(self, now: float | None = None, limit: int = 50) -> int:
        """Send deliveries whose time has come; returns how many were attempted."""
        now = time.time() if now is None else now
        due = self.r.zrangebyscore(f"{self.p}due", "-inf", now, start=0, num=limit)
        sent = 0
        for member in (_s(m) for m in cast(list[bytes], due)):
            if not self._claim(keys=[f"{self.p}due"], args=[member, now, now + LEASE_SECONDS]):
                continue
            tenant, _, did = member.partition(SEP)
            self._attempt(tenant, did, member)
            sent += 1
        return sent

    def _attempt(self, tenant: str, delivery_id: str, member: str) -> None:
        delivery = self.delivery(tenant, delivery_id)
        if delivery is None or delivery["status"] != "pending":
            self.r.zrem(f"{self.p}due", member)
            return
        now = time.time()
        endpoint = self.endpoint(tenant, delivery["endpoint_id"])
        record: dict[str, Any] = {"at": iso(now), "status_code": None, "error": None}
        if endpoint is None:
            record["error"] = "endpoint deleted"
        else:
            record.update(self._send(endpoint, delivery, now))
        record["duration_ms"] = round((time.time() - now) * 1000, 1)
        delivery["attempts"].append(record)
        delivery["first_attempt_at"] = delivery["first_attempt_at"] or now
        ok = record["status_code"] is not None and 200 <= record["status_code"] < 300
        pipe = self.r.pipeline()
        if ok:
            delivery.update(status="delivered", next_attempt_at=None, delivered_at=iso(now))
            pipe.zrem(f"{self.p}due", member)
        else:
            wait = backoff(len(delivery["attempts"]))
            give_up = float(delivery["first_attempt_at"]) + settings.WEBHOOK_GIVE_UP_SECONDS
            if endpoint is None or now + wait > give_up:
                delivery.update(status="failed", next_attempt_at=None)
                pipe.zrem(f"{self.p}due", member)
            else:
                delivery["next_attempt_at"] = iso(now + wait)
                pipe.zadd(f"{self.p}due", {member: now + wait})
        pipe.hset(self._dkey(tenant), delivery_id, json.dumps(delivery))
        pipe.execute()
        log.info("webhook attempt", extra={
            "delivery_id": delivery_id, "status_code": record["status_code"],
            "error": record["error"], "delivery_status": delivery["status"],
        })

    def _send(
        self, endpoint: dict[str, Any], delivery: dict[str, Any], now: float
    ) -> dict[str, Any]:
        try:
            check_url(endpoint["url"])  # again at send time: DNS may have changed
        except WebhookError as exc:
            return {"error": exc.message}
        ts = int(now)
        body = delivery["body"]
        msg_id = delivery["event_id"]
        signature = " ".join(sign(s, msg_id, ts, body) for s in self.active_secrets(endpoint, now))
        request = urllib.request.Request(endpoint["url"], data=body.encode(), method="POST")
        for name, value in (
            ("Content-Type", "application/json"), ("User-Agent", USER_AGENT),
            ("webhook-id", msg_id), ("webhook-timestamp", str(ts)),
            ("webhook-signature", signature),
        ):
            request.add_header(name, value)
        try:
            with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as resp:
                return {"status_code": int(resp.status)}
        except urllib.error.HTTPError as exc:
            return {"status_code": int(exc.code), "error": f"HTTP {exc.code}"}
        except (OSError, ValueError) as exc:
            return {"error": f"{type(exc).__name__}: {exc}"[:300]}


def _check_events(events: Any) -> None:
    if not isinstance(events, list) or not events:
        raise WebhookError(f"events must be a non-empty list of {', '.join(EVENT_TYPES)}",
                           "events")
    unknown = [e for e in events if e not in EVENT_TYPES]
    if unknown:
        raise WebhookError(
            f"unknown event type(s) {unknown}; known: {', '.join(EVENT_TYPES)}", "events")


def public_endpoint(endpoint: dict[str, Any], with_secret: bool = False) -> dict[str, Any]:
    """An endpoint as the API shows it: the secret only right after create or rotate."""
    now = time.time()
    current = [s for s in endpoint["secrets"] if s["expires_at"] is None]
    out = {k: endpoint[k] for k in ("id", "url", "events", "description", "created_at")}
    out["secret_hint"] = current[0]["secret"][-4:] if current else None
    out["previous_secrets_valid_until"] = [
        iso(s["expires_at"]) for s in endpoint["secrets"]
        if s["expires_at"] is not None and s["expires_at"] > now
    ]
    if with_secret and current:
        out["secret"] = current[0]["secret"]
    out["links"] = {"deliveries": f"/v1/webhooks/{endpoint['id']}/deliveries"}
    return out
