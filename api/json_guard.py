"""Checks every JSON request body once, before any view reads it:

- nesting too deep for Python's parser is a 400 (it raises RecursionError, a 500);
- a lone UTF-16 surrogate (`"\\ud800"`) is a 400 naming the field: JSON accepts it, but
  no UTF-8 output (CSV, JSON lines, logs) can carry it, so it would break downloads.

The parsed body is kept on `flask.g` and handed to Flask's own JSON cache, so neither
the views nor the schema layer (webargs) parse it again."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import g, request

from api.errors import BadRequest

_SURROGATE = re.compile("[\ud800-\udfff]")
# A lone surrogate reaches json.loads either as a \u escape or as UTF-8-style bytes
# ED A0..ED BF (json.loads decodes bytes with "surrogatepass"). A UTF-8 body with
# neither cannot hold one, and skips the re-encoding check (the instant check's case).
_MAY_HOLD_SURROGATE = re.compile(rb"\\u|\xed[\xa0-\xbf]")
# Nesting deeper than this many brackets could make json.dumps recurse too far; a body
# with fewer brackets in all cannot.
_SHALLOW_BRACKETS = 200
_UNSET = object()


def parsed_json() -> Any:
    """The request's JSON body as parsed by `check_json_body` (raises ValueError when it
    is not JSON, as json.loads would)."""
    body = g.get("json_body", _UNSET)
    if body is _UNSET:
        return json.loads(request.get_data(cache=True))
    return body


def surrogate_field(value: Any, path: str = "") -> str | None:
    """The path ("records[2].name") of the first string holding a lone surrogate."""
    if isinstance(value, str):
        return (path or "body") if _SURROGATE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and _SURROGATE.search(key):
                return name
            found = surrogate_field(item, name)
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = surrogate_field(item, f"{path}[{index}]")
            if found:
                return found
    return None


def check_json_body() -> None:
    if not request.is_json or request.method not in ("POST", "PUT", "PATCH"):
        return
    data = request.get_data(cache=True)
    if not data or not data.strip():
        return
    try:
        body = json.loads(data)
    except RecursionError:
        body = _UNSET
    except (ValueError, UnicodeDecodeError):
        return  # not JSON: the view reports it with its own message
    try:
        if body is not _UNSET and _needs_encoding_check(data):
            json.dumps(body, ensure_ascii=False).encode("utf-8")
    except RecursionError:
        body = _UNSET
    except UnicodeEncodeError:
        field = surrogate_field(body) or "body"
        raise BadRequest(
            f"{field} holds an unpaired UTF-16 surrogate (a \\ud800-\\udfff escape without "
            "its pair), which is not text: fix the encoding of that value and resubmit.",
            field=field,
        ) from None
    if body is _UNSET:
        raise BadRequest(
            "The JSON body is nested too deeply to be a job or a record: send "
            '{"records": [{"name": ...}, ...]} (or one record for /v1/screen).',
            field="body",
        )
    g.json_body = body
    # Flask's request.get_json (what webargs reads) returns this instead of parsing again.
    request._cached_json = (body, body)


def _needs_encoding_check(data: bytes) -> bool:
    shallow = data.count(b"[") + data.count(b"{") < _SHALLOW_BRACKETS
    return (not shallow or json.detect_encoding(data) != "utf-8"
            or _MAY_HOLD_SURROGATE.search(data) is not None)
