"""`screening audit verify|export|purge`: check the audit hash chains, export one
tenant's trail, remove entries past SCREENING_AUDIT_RETENTION_DAYS."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("audit", help="verify, export or purge the audit trail")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    verify = actions.add_parser("verify", help="check every chain; name the first broken entry")
    verify.add_argument("--tenant", help="only this tenant's chain")
    export = actions.add_parser("export", help="print a tenant's entries (JSON lines or CSV)")
    export.add_argument("tenant")
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    export.add_argument("--kind", help="only entries of this kind")
    actions.add_parser("purge", help="remove entries older than the retention period")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workers import settings
    from workers.compliance import audit
    from workers.compliance.db import get_database
    from workers.compliance.errors import StoreUnavailable

    db = get_database(settings.database_url())
    try:
        if args.action == "verify":
            result = audit.verify(db, args.tenant)
            if result.broken is None:
                print(f"audit trail intact: {result.chains} chain(s), {result.entries} entries")
                return 0
            b = result.broken
            print(f"audit trail BROKEN: tenant {b.tenant!r}, entry seq {b.seq} (row id {b.id}): "
                  f"{b.reason}", file=sys.stderr)
            return 1
        if args.action == "export":
            _export(db, args)
            return 0
        removed = audit.purge_expired(db, settings.AUDIT_RETENTION_DAYS)
        print(f"removed {removed} entries older than {settings.AUDIT_RETENTION_DAYS} days")
        return 0
    except StoreUnavailable as exc:
        raise SystemExit(f"screening audit {args.action}: {exc.message}") from None


def _export(db: Any, args: argparse.Namespace) -> None:
    import json

    from api.compliance_export import _cell
    from api.results_export import _row
    from api.routes.audit import COLUMNS
    from workers.compliance import audit

    after = 0
    if args.format == "csv":
        sys.stdout.write(_row(list(COLUMNS)))
    while True:
        page = audit.list_entries(db, args.tenant, kind=args.kind, after_seq=after, limit=1000)
        for entry in page:
            if args.format == "csv":
                sys.stdout.write(_row([_cell(entry[c]) for c in COLUMNS]))
            else:
                sys.stdout.write(json.dumps(entry, ensure_ascii=False) + "\n")
        if len(page) < 1000:
            return
        after = page[-1]["seq"]
