"""Serve the WSGI app with a production server (never Flask's dev server).

One process: waitress. Several (the default on a multi-core machine): gunicorn with the
app and the engine built once in the master before it forks, so every process screens
with the same index pages, shared copy-on-write (N processes do not cost N engines), and
the instant check uses every core. By default one request per connection, so a request
goes to whichever process is free, not behind a busy one (see _serve_forked).
"""

from __future__ import annotations

import gc
import logging
from typing import Any

from api import settings

log = logging.getLogger("screening.api")


def serve_http(host: str, port: int, threads: int = 8, processes: int = 1) -> None:
    """Blocking: serve the API until the process is stopped."""
    from api.app import create_app

    if processes > 1:
        _serve_forked(host, port, threads, processes)
        return
    from waitress import serve

    app = create_app()
    serve(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="screening",
        # Let Flask answer 413 in our error shape; waitress stops only far larger bodies.
        max_request_body_size=settings.MAX_BODY_BYTES * 2,
        channel_timeout=120,
        connection_limit=1000,
        clear_untrusted_proxy_headers=True,
    )


def _preloaded_app() -> Any:
    """The app, with the lists loaded and the engine built (or loaded from its saved
    index) before any fork; garbage collection frozen so the children's collector never
    writes to (and so never copies) the shared pages."""
    from api.app import create_app
    from matching.errors import ScreeningError
    from workers import engines

    try:
        engines.current_engine()
    except ScreeningError as exc:  # /readyz reports it; the processes still start to say so
        # A bad list is the operator's to fix: its message, no stack trace.
        log.error("loading the lists failed before starting the API processes",
                  extra={"problem": exc.message})
    except Exception:
        log.exception("loading the lists failed before starting the API processes")
    app = create_app()
    app.extensions["screening_warmup"].done.wait()
    gc.collect()
    gc.freeze()
    return app


def _serve_forked(host: str, port: int, threads: int, processes: int) -> None:
    from gunicorn.app.base import BaseApplication

    class _Gunicorn(BaseApplication):
        def load_config(self) -> None:
            options = {
                "bind": f"{host}:{port}",
                "workers": processes,
                "worker_class": "gthread",
                "threads": threads,
                "preload_app": True,
                "timeout": 300,  # a 64 MB CSV upload is parsed inside one request
                "graceful_timeout": 10,
                # Default 0: one request per connection, so each request is accepted by
                # whichever process gets to it first, and a process whose one core is
                # busy is the slower to. With keep-alive a connection stays with the
                # process that accepted it: Linux wakes the most recently idle process
                # first, so 30 clients' connections split 20/10 to 26/4 between two
                # processes, and the busy one (one GIL, one core) queued requests for
                # seconds while the other idled (`make bench-api`, session 5). (Not also
                # worker_connections = threads: gthread counts accepted connections whose
                # request it has not read yet, and stops polling them once full.)
                "keepalive": settings.API_KEEPALIVE,
                "proc_name": "screening-api",
                "accesslog": None,  # our own request log (JSON, never names)
                "forwarded_allow_ips": "",
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return _preloaded_app()

    _Gunicorn().run()
