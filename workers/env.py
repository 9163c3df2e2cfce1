"""Parsing of SCREENING_* environment values, shared by `workers.settings` and
`api.settings` (each stays the one place its package reads the environment).

A bad value raises SystemExit with the variable's name, so it fails at start-up."""

from __future__ import annotations

import os


def env_int(name: str, default: int, minimum: int = 0, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise SystemExit(f"{name}={raw!r} must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise SystemExit(f"{name}={raw!r} must be at most {maximum}")
    return value


def env_float(
    name: str, default: float, minimum: float | None = None, maximum: float | None = None
) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not a number") from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise SystemExit(f"{name}={raw!r} must be between {minimum} and {maximum}")
    return value


def env_str(name: str, default: str) -> str:
    raw = os.environ.get(name)
    return raw.strip() if raw and raw.strip() else default


def env_list(name: str, default: str) -> tuple[str, ...]:
    raw = os.environ.get(name) or default
    return tuple(part.strip() for part in raw.split(",") if part.strip())
