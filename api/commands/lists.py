"""`screening lists` (placeholder until its issue lands)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("lists", help="not implemented yet")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    raise SystemExit("screening lists: not implemented yet")
