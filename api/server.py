"""Serve a WSGI app with waitress, a production server (never Flask's dev server)."""

from __future__ import annotations

from waitress import serve

from api import settings


def serve_http(host: str, port: int, threads: int = 8) -> None:
    """Blocking: serve the API until the process is stopped."""
    from api.app import create_app

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
