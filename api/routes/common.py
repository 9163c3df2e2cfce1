"""What the route modules share: the error responses every authenticated endpoint
documents, an inline JSON response with its example, and offset paging (`cursor` is the
offset of the next page, as a string; `limit` the page size)."""

from __future__ import annotations

from typing import Any

from apiflask import Schema
from apiflask.fields import Integer, String
from apiflask.validators import Range, Regexp

from api.schemas import CURSOR_PATTERN

AUTH_RESPONSES: dict[Any, Any] = {
    401: "Missing, unknown or revoked API key.",
    429: "Rate limit exceeded: wait for Retry-After seconds.",
}
DEFAULT_LIMIT = 100


def json_response(description: str, example: Any) -> dict[str, Any]:
    """An OpenAPI response for a view that returns a plain dict (no output schema)."""
    return {"description": description, "content": {"application/json": {
        "schema": {"type": "object"}, "example": example}}}


class Paging(Schema):
    cursor = String(validate=Regexp(CURSOR_PATTERN), metadata={
        "description": "`next_cursor` of the previous page; empty for the first."})
    limit = Integer(validate=Range(1, 1000), metadata={
        "description": f"Items per page (default {DEFAULT_LIMIT})."})


def page_window(query: dict[str, Any], default: int = DEFAULT_LIMIT) -> tuple[int, int]:
    """(offset, limit) of the page a validated query asks for."""
    return int(query.get("cursor") or 0), int(query.get("limit") or default)


def next_cursor(offset: int, limit: int, more: bool) -> str | None:
    """The `next_cursor` of a page: null on the last one."""
    return str(offset + limit) if more else None
