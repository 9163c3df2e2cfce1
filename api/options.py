"""Matching options as applied to a request: the request's value, else the tenant's
setting, else the service default. Jobs and the instant check both resolve them here,
so the two paths screen with the same threshold, limit and lists."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from api.errors import BadRequest
from api.tenants import Tenant
from matching.engine import DEFAULT_THRESHOLD
from matching.policy import policy_from
from workers import settings as wsettings

DEFAULT_LIMIT = 10


@dataclass(frozen=True, slots=True)
class Applied:
    threshold: float
    limit: int
    lists: list[str] | None
    policy: dict[str, Any] = field(default_factory=dict)  # MatchingPolicy.to_dict()

    def to_dict(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "limit": self.limit, "lists": self.lists,
                "policy": self.policy}


def resolve(
    tenant: Tenant,
    list_ref: dict[str, Any],
    threshold: float | None,
    limit: int | None,
    lists: list[str] | None,
    policy: dict[str, Any] | None = None,
) -> Applied:
    """Each option: the request's, else the request policy's, else the tenant's setting,
    else the tenant policy's, else the service default."""
    tenant_policy = tenant.settings.policy or {}
    request_policy = policy or {}
    if threshold is None:
        threshold = request_policy.get("threshold")
    if threshold is None:
        threshold = tenant.settings.threshold
    if threshold is None:
        threshold = tenant_policy.get("threshold")
    if threshold is None:
        threshold = wsettings.THRESHOLD if wsettings.THRESHOLD is not None else DEFAULT_THRESHOLD
    chosen = (lists or request_policy.get("lists") or tenant.settings.lists
              or tenant_policy.get("lists") or None)
    merged = policy_from(tenant_policy, request_policy)
    for name in merged.list_thresholds:
        if name not in {str(v["name"]) for v in list_ref.get("versions", [])}:
            raise BadRequest(
                f"policy.list_thresholds names the unknown list {name!r}: GET /v1/lists "
                "shows the lists loaded.", field="policy.list_thresholds")
    if chosen:
        known = {str(v["name"]) for v in list_ref.get("versions", [])}
        unknown = [name for name in chosen if name not in known]
        if unknown:
            raise BadRequest(
                f"Unknown list(s) {', '.join(repr(u) for u in unknown)}: "
                "GET /v1/lists shows the lists loaded.",
                field="lists",
                details={"unknown": unknown, "known": sorted(known)},
            )
        chosen = sorted(set(chosen))
    merged = replace(merged, threshold=float(threshold),
                     lists=tuple(chosen) if chosen else None)
    return Applied(threshold=float(threshold), limit=int(limit or DEFAULT_LIMIT), lists=chosen,
                   policy=merged.to_dict())


def versions_for(list_ref: dict[str, Any], lists: list[str] | None) -> list[dict[str, Any]]:
    """The pinned list versions a request screens against."""
    versions = list(list_ref.get("versions", []))
    if lists:
        versions = [v for v in versions if v.get("name") in lists]
    return versions


def clean_record(raw: dict[str, Any]) -> dict[str, Any]:
    """A record as stored and screened: empty values dropped, `nationality` read as
    `country` (the engine's field), so both paths see identical input."""
    record = {k: v for k, v in raw.items() if v is not None and v != "" and v != []}
    nationality = record.pop("nationality", None)
    if nationality is not None and "country" not in record:
        record["country"] = nationality
    return record
