"""`screening lists show|update`: the lists in force, and safe downloads of new versions."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("lists", help="show the sanctions lists in force, or download new versions")
    p.set_defaults(func=run, lists_command="show", json=False)
    lsub = p.add_subparsers(dest="lists_command", metavar="ACTION")

    show = lsub.add_parser("show", help="name, version, hash and counts of every list in force")
    show.add_argument("--json", action="store_true", help="print JSON instead of a table")

    upd = lsub.add_parser(
        "update",
        help="download official lists, validate them fully, and swap them in",
        description="Downloads each list from its official URL (override per list with "
        "SCREENING_LIST_URL_<NAME> or --url), parses it completely, refuses truncated, "
        "malformed or shrunken files, and keeps the current version on any failure. "
        "Exit status 1 when any list was refused.",
    )
    upd.add_argument(
        "--list",
        dest="names",
        action="append",
        metavar="NAME",
        help="list to update (repeatable); default: SCREENING_UPDATE_LISTS",
    )
    upd.add_argument(
        "--url",
        dest="urls",
        action="append",
        default=[],
        metavar="NAME=URL",
        help="download NAME from URL this time (a base URL for OFAC CSV sets)",
    )
    upd.add_argument(
        "--min-ratio",
        type=float,
        default=None,
        metavar="R",
        help="refuse a list with fewer than R x the current entities "
        "(default SCREENING_MIN_ENTITY_RATIO; 0 disables)",
    )
    upd.add_argument(
        "--allow-shrink",
        metavar="REASON",
        default=None,
        help="install a list even though it lost entities against the largest recent "
        "version (or shrank under an unchanged publication date); REASON is logged and "
        "kept in the list's history",
    )
    upd.add_argument("--json", action="store_true", help="print results as JSON")


def run(args: argparse.Namespace) -> int:
    if args.lists_command == "update":
        return _update(args)
    return _show(args)


def _short(text: str | None, width: int) -> str:
    text = text or "-"
    return text if len(text) <= width else text[: width - 1] + "…"


def _service_rows() -> list[dict[str, Any]] | None:
    """The running service's lists, through its Redis (SCREENING_REDIS_URL or the URL
    `screening serve` recorded in the data directory); None when no service answers."""
    import redis

    from workers import heartbeat, settings

    try:
        url = settings.redis_url()
    except SystemExit:
        return None
    try:
        found = heartbeat.service_lists(redis.Redis.from_url(url, socket_timeout=3),
                                        settings.KEY_PREFIX)
    except redis.exceptions.RedisError:
        return None
    if found is None:
        return None
    print(f"lists in force in the running service (reported by worker {found['worker']})",
          file=sys.stderr)
    return list(found["lists"])


def _show(args: argparse.Namespace) -> int:
    from workers import registry

    rows = _service_rows()
    if rows is None:
        print("no running service found (no live worker in its Redis): showing the lists "
              "this environment's SCREENING_LISTS and data directory would load",
              file=sys.stderr)
        rows = registry.in_force()
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    header = ("NAME", "AUTHORITY", "VERSION", "HASH", "ENTITIES", "NAMES", "LOADED_AT", "SOURCE")
    table = [header] + [
        (
            r["name"],
            _short(r["authority"], 32),
            r["published"] or "undated",
            r["content_hash"][:12],
            f"{r['entity_count']:,}",
            f"{r['name_count']:,}",
            r["loaded_at"],
            r["source"],
        )
        for r in rows
    ]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header) - 1)]
    for row in table:
        cells = [
            str(c).rjust(w) if i in (4, 5) and row is not header else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=False))
        ]
        print("  ".join([*cells, str(row[-1])]))
    return 0


def _parse_urls(pairs: list[str]) -> dict[str, str]:
    urls: dict[str, str] = {}
    for pair in pairs:
        name, sep, url = pair.partition("=")
        if not sep or not name.strip() or not url.strip():
            raise SystemExit(f"screening lists update: --url {pair!r} is not NAME=URL")
        urls[name.strip()] = url.strip()
    return urls


def _audit_updates(results: list[dict[str, Any]]) -> None:
    """Every list update (installed or refused) goes into the service's audit chain."""
    from workers.compliance import audit
    from workers.compliance.errors import StoreUnavailable

    events = [audit.Event("list_update", "operator:cli", r["name"], {
        "status": r["status"], "message": r["message"], "url": r["url"],
        "old": r["old"], "new": r["new"]}) for r in results if r["status"] != "unchanged"]
    try:
        audit_events(audit.SERVICE_CHAIN, events)
    except StoreUnavailable as exc:
        print(f"WARNING: list updates were not audited: {exc.message}", file=sys.stderr)


def audit_events(chain: str, events: list[Any], url: str | None = None) -> None:
    """Append events to an audit chain from the command line (migrating first); `url`
    defaults to the configured database."""
    from workers import settings
    from workers.compliance import audit
    from workers.compliance.db import get_database, upgrade

    if not events:
        return
    url = url or settings.database_url()
    upgrade(url)
    with get_database(url).write() as session:
        audit.append(session, chain, events)


def _update(args: argparse.Namespace) -> int:
    from workers import settings, updates

    urls = _parse_urls(args.urls)
    # --url NAME=... implies --list NAME; with neither, every list in SCREENING_UPDATE_LISTS.
    names = list(args.names or ([] if urls else settings.UPDATE_LISTS))
    names += [n for n in urls if n not in names]
    unknown = [n for n in names if n not in updates.SOURCES]
    if unknown:
        raise SystemExit(
            f"screening lists update: unknown list {', '.join(unknown)}; "
            f"known: {', '.join(sorted(updates.SOURCES))}"
        )
    if args.min_ratio is not None and not 0.0 <= args.min_ratio <= 1.0:
        raise SystemExit("screening lists update: --min-ratio must be between 0 and 1")
    if args.allow_shrink is not None and not args.allow_shrink.strip():
        raise SystemExit("screening lists update: --allow-shrink needs a reason, e.g. "
                         "--allow-shrink 'OFAC delisted 40 entries on 2026-03-02'")
    from api.logging_setup import configure_logging

    configure_logging()
    results = updates.update_lists(names, urls, min_ratio=args.min_ratio,
                                   allow_shrink=args.allow_shrink)
    _audit_updates([r.to_dict() for r in results])
    if args.json:
        print(json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False))
    else:
        for r in results:
            if r.ok:
                print(f"{r.status}: {r.message}")
            else:
                print(f"REFUSED: {r.message}", file=sys.stderr)
    if any(r.status == "updated" for r in results):
        _monitoring(args.json)
    refused = [r.name for r in results if not r.ok]
    if refused and not args.json:
        print(
            f"{len(refused)} list(s) refused ({', '.join(refused)}); their current versions "
            "stay in force. Fix the cause above and re-run `screening lists update`.",
            file=sys.stderr,
        )
    return 1 if refused else 0


def _monitoring(quiet: bool) -> None:
    """Reverse-screen monitored records against what the new versions changed. Workers
    also notice a new version by themselves; this only makes it immediate."""
    import os

    if not os.environ.get("SCREENING_REDIS_URL"):
        return
    from workers.monitoring import service

    try:
        runs = service.check_lists()
    except Exception as exc:  # the update itself succeeded: say so, workers retry
        print(f"monitoring: not triggered now ({type(exc).__name__}: {exc}); "
              "workers will pick the new version up", file=sys.stderr)
        return
    if runs and not quiet:
        print(f"monitoring: {len(runs)} list delta run(s) queued for monitored records")
