"""`screening api`: run only the HTTP API (gunicorn processes, or waitress for one), for
deployments where the API and the workers scale separately. Needs SCREENING_REDIS_URL."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from api import settings


def register(sub: Any) -> None:
    p = sub.add_parser("api", help="serve the HTTP API alone (needs SCREENING_REDIS_URL)")
    p.add_argument("--host", default=settings.HOST,
                   help=f"interface to bind (SCREENING_HOST, default {settings.HOST})")
    p.add_argument("--port", type=int, default=settings.PORT,
                   help=f"TCP port (SCREENING_PORT, default {settings.PORT})")
    p.add_argument("--threads", type=int, default=settings.API_THREADS,
                   help=f"request threads (SCREENING_API_THREADS, default {settings.API_THREADS})")
    p.add_argument("--processes", type=int, default=settings.API_PROCESSES,
                   help="API processes sharing one engine (SCREENING_API_PROCESSES, default "
                   f"{settings.API_PROCESSES}: one per CPU)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from api.logging_setup import configure_logging
    from api.server import serve_http
    from workers import settings as wsettings

    wsettings.redis_url()  # fail now, with instructions, when Redis is not configured
    configure_logging()
    from workers.compliance.db import upgrade

    upgrade()  # the compliance database's migrations (idempotent, locked)
    try:
        if args.processes < 1:
            raise SystemExit("screening api: --processes must be at least 1")
        serve_http(args.host, args.port, threads=args.threads, processes=args.processes)
    except OSError as exc:  # the port is taken or not ours to bind: a restart cannot help
        print(f"screening api: cannot listen on {args.host}:{args.port} ({exc.strerror or exc}): "
              "stop the process using it or choose another --port / SCREENING_PORT.",
              file=sys.stderr)
        return 78
    return 0
