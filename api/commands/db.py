"""`screening db upgrade|current`: the compliance database's migrations (Alembic).
`serve`, `api` and `worker` also upgrade it on start."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("db", help="migrate the compliance database (SCREENING_DATABASE_URL)")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("upgrade", help="apply every pending migration")
    actions.add_parser("current", help="print the database's migration revision")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workers import settings
    from workers.compliance.db import current_revision, upgrade

    url = settings.database_url()
    if args.action == "upgrade":
        print(f"compliance database at revision {upgrade(url)} ({_safe(url)})")
        return 0
    print(current_revision(url) or "empty (run `screening db upgrade`)")
    return 0


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
