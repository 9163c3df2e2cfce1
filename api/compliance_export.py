"""Downloads of decisions and audit entries (JSON lines or CSV), and the overlay that
shows each job result's match with its hit's current review."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from flask import Response, stream_with_context

from api.results_export import _row
from workers.compliance.db import Database
from workers.compliance.errors import StoreUnavailable
from workers.compliance.store import reviews_for

Page = Callable[[int], tuple[list[dict[str, Any]], int | None]]


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "" if value is None else value


def download(first: list[dict[str, Any]], after: int | None, page: Page, fmt: str,
             columns: tuple[str, ...], filename: str) -> Response:
    """Stream every row: `first` is already read (so an outage is a 503, not a cut
    download); `page(after)` gives the next rows and cursor until the cursor is None."""

    def rows() -> Iterator[dict[str, Any]]:
        yield from first
        cursor = after
        while cursor is not None:
            more, cursor = page(cursor)
            yield from more

    def lines() -> Iterator[str]:
        if fmt == "csv":
            yield "\ufeff" + _row(list(columns))
            for item in rows():
                yield _row([_cell(item.get(c)) for c in columns])
        else:
            for item in rows():
                yield json.dumps(item, ensure_ascii=False) + "\n"

    mimetype = "text/csv" if fmt == "csv" else "application/x-ndjson"
    return Response(stream_with_context(line.encode("utf-8") for line in lines()),
                    mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'})


def overlay_reviews(db: Database, tenant: str, results: Iterable[dict[str, Any]]) -> None:
    """Replace each match's review (as screened) with its hit's review now. When the
    database cannot be reached the review as screened stays: results stay readable."""
    matches = [m for r in results for m in r.get("matches") or [] if m.get("hit_id")]
    if not matches:
        return
    try:
        current = reviews_for(db, tenant, (m["hit_id"] for m in matches))
    except StoreUnavailable:
        return
    for m in matches:
        if m["hit_id"] in current:
            m["review"] = current[m["hit_id"]]


def overlaid(db: Database, tenant: str, items: Iterable[dict[str, Any]],
             batch: int = 200) -> Iterator[dict[str, Any]]:
    buffer: list[dict[str, Any]] = []
    for item in items:
        buffer.append(item)
        if len(buffer) >= batch:
            overlay_reviews(db, tenant, buffer)
            yield from buffer
            buffer = []
    overlay_reviews(db, tenant, buffer)
    yield from buffer
