"""The `screening` console script. Each subcommand lives in `api/commands/<name>.py`
and exposes `register(subparsers)`; the module list below is the whole registry."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from matching.errors import ScreeningError

COMMAND_MODULES = ("serve", "api", "worker", "batch", "lists", "tenants", "db", "audit")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="screening",
        description="Sanctions screening: serve the API, run workers, screen files.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"api.commands.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args.func(args)
    except ScreeningError as exc:
        print(f"screening {args.command}: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
