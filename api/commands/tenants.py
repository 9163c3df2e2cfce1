"""`screening tenants create|list|rotate|revoke`: manage API tenants and their keys in
the Redis named by SCREENING_REDIS_URL. A key is printed once and stored only hashed."""

from __future__ import annotations

import argparse
import json
from typing import Any

from api.tenants import ROLES, Tenant, TenantSettings, TenantStore


def register(sub: Any) -> None:
    p = sub.add_parser("tenants", help="create, list, rotate or revoke API tenants")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create a tenant and print its new API key")
    create.add_argument("name")
    create.add_argument("--role", choices=ROLES, required=True)
    create.add_argument("--lists", help="default lists, comma-separated")
    create.add_argument("--threshold", type=float, help="default match threshold (0-1)")
    create.add_argument("--max-batch-size", type=int, help="most records per job")
    create.add_argument("--rate-limit", type=int, help="requests per minute")
    create.add_argument("--max-concurrent-jobs", type=int, help="unfinished jobs at once")
    create.add_argument("--four-eyes", action="store_true",
                        help="a false_positive takes effect only once a second user confirms")
    create.add_argument(
        "--policy",
        help='matching policy as JSON, e.g. \'{"strict_types": true, "namesake_year_gap": 5, '
        '"list_thresholds": {"us_ofac_sdn": 0.85}, "missing_data": "keep"}\'',
    )
    actions.add_parser("list", help="list tenants (never their keys)")
    rotate = actions.add_parser("rotate", help="replace a tenant's key and print the new one")
    rotate.add_argument("name")
    revoke = actions.add_parser("revoke", help="disable a tenant's key")
    revoke.add_argument("name")
    p.set_defaults(func=run)


def _store() -> TenantStore:
    from workers import settings as wsettings
    from workers.connections import get_redis

    wsettings.redis_url()  # clear instructions when SCREENING_REDIS_URL is unset
    return TenantStore(get_redis(), wsettings.KEY_PREFIX)


def audit_change(kind: str, action: str, tenant: Tenant, actor: str = "operator:cli",
                 url: str | None = None) -> None:
    """Tenant and key changes go into the tenant's audit chain: a creation with the
    tenant's public settings, a key change with the new key's hint (never the key)."""
    from api.commands.lists import audit_events
    from workers.compliance.audit import Event

    data = tenant.public() if kind == "tenant" else {"key_hint": tenant.key_hint}
    audit_events(tenant.name, [Event(kind, actor, tenant.name, {"action": action, **data})],
                 url)


def run(args: argparse.Namespace) -> int:
    import redis

    from api.errors import ApiError
    from workers import settings as wsettings

    try:
        return _run(args)
    except ApiError as exc:
        raise SystemExit(f"screening tenants {args.action}: {exc.message}") from None
    except redis.exceptions.AuthenticationError:
        raise SystemExit(f"screening tenants {args.action}: Redis refused the password: use "
                         "the URL `screening serve` recorded in "
                         f"{wsettings.service_url_file()}") from None
    except redis.exceptions.ConnectionError:
        raise SystemExit(
            f"screening tenants {args.action}: cannot reach Redis at the service's address "
            f"(SCREENING_REDIS_URL or {wsettings.service_url_file()}): is `screening serve` "
            "running with this data directory?") from None


def _policy(raw: str | None) -> dict[str, Any] | None:
    if not raw:
        return None
    from matching.errors import InvalidQuery
    from matching.policy import policy_from

    try:
        policy = json.loads(raw)
        policy_from(policy)
    except ValueError as exc:
        raise SystemExit(f"--policy is not valid JSON: {exc}") from None
    except InvalidQuery as exc:
        raise SystemExit(f"--policy: {exc.message}") from None
    return dict(policy)


def _run(args: argparse.Namespace) -> int:
    store = _store()
    if args.action == "create":
        if args.threshold is not None and not 0.0 <= args.threshold <= 1.0:
            raise SystemExit("--threshold must be between 0 and 1")
        for name in ("max_batch_size", "rate_limit", "max_concurrent_jobs"):
            value = getattr(args, name)
            if value is not None and value < 1:
                raise SystemExit(f"--{name.replace('_', '-')} must be at least 1")
        lists = [p.strip() for p in args.lists.split(",") if p.strip()] if args.lists else None
        policy = _policy(args.policy)
        tenant, key = store.create(args.name, args.role, TenantSettings(
            lists=lists, threshold=args.threshold, max_batch_size=args.max_batch_size,
            rate_limit=args.rate_limit, max_concurrent_jobs=args.max_concurrent_jobs,
            four_eyes=args.four_eyes,
            policy=policy,
        ))
        print(key, flush=True)  # shown once, before anything else can fail
        audit_change("tenant", "created", tenant)
        return 0
    if args.action == "list":
        for tenant in store.list():
            print(json.dumps(tenant.public(), sort_keys=True))
        return 0
    if args.action == "rotate":
        rotated, key = store.rotate(args.name)
        print(key, flush=True)
        audit_change("key", "rotated", rotated)
        return 0
    if args.action == "revoke":
        revoked = store.revoke(args.name)
        audit_change("key", "revoked", revoked)
        print(f"revoked {args.name}")
        return 0
    raise SystemExit(f"unknown action {args.action!r}")
