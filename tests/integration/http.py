"""A tiny JSON-over-HTTP client for black-box tests against a running service."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any


def call(
    method: str, url: str, key: str | None = None, body: Any = None, timeout: float = 30.0,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if key:
        req.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
            status = resp.status
    except urllib.error.HTTPError as err:
        raw = err.read()
        status = err.code
    text = raw.decode() if raw else ""
    try:
        return status, json.loads(text) if text else None
    except json.JSONDecodeError:
        return status, text


def answers(url: str) -> bool:
    try:
        return call("GET", url, timeout=2.0)[0] == 200
    except OSError:
        return False
