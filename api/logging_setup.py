"""Structured JSON logs on stderr. Log job ids, tenants and counts, never the names
being screened: no request body, result or record is ever passed to a logger."""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def configure_logging(level: str | int = "INFO") -> None:
    """Send every log record to stderr as one JSON object per line (idempotent)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_screening", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(FORMAT, rename_fields={"levelname": "level",
                                                              "asctime": "time"}))
    handler._screening = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # backlog chatter
