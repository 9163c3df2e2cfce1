"""Typed domain errors. They carry no HTTP codes: `api/errors.py` maps them."""

from __future__ import annotations


class ScreeningError(Exception):
    """Base of every error the domain raises on purpose."""

    code = "screening_error"

    def __init__(self, message: str, *, field: str | None = None, details: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details


class InvalidQuery(ScreeningError):
    """A query record is unusable (missing name, bad date, unknown schema...)."""

    code = "invalid_query"


class ListFormatError(ScreeningError):
    """A list file cannot be parsed. `location` names the line or element."""

    code = "list_format_error"

    def __init__(self, path: str, location: str | None, problem: str) -> None:
        where = f"{path}:{location}" if location else path
        super().__init__(
            f"{where}: {problem}", field=None, details={"file": path, "location": location}
        )
        self.path = path
        self.location = location
        self.problem = problem


class UnknownList(ScreeningError):
    """A list name or path that is neither a built-in list nor a readable file."""

    code = "unknown_list"
