"""Validate one input record (API body, CSV row, JSON line) into a Query."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matching.errors import InvalidQuery
from matching.input_dates import BadDate, parse_birth_date
from matching.model import SCHEMAS, Query

_SCHEMAS = {s.lower(): s for s in SCHEMAS}
_GENDERS = {"m": "male", "male": "male", "f": "female", "female": "female"}
MAX_NAME_LENGTH = 1000


def _opt_str(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidQuery(f"{key} must be a string", field=key)
    text = str(value).strip()
    return text or None


def _birth_date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return parse_birth_date(value)
    except BadDate as exc:
        raise InvalidQuery(f"birth_date {exc}", field="birth_date") from None


def _identifiers(record: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    for key in ("identifier", "identifiers"):
        value = record.get(key)
        if value is None or value == "":
            continue
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, bool) or not isinstance(item, str | int):
                raise InvalidQuery(f"{key} must be a string or a list of strings", field=key)
            # CSV cells may hold several identifiers separated by ';'.
            out.extend(p.strip() for p in str(item).split(";") if p.strip())
    return out


def query_from_record(record: Mapping[str, Any]) -> Query:
    """Keys: id, name (required), schema, birth_date, country, identifier(s), gender.
    Raises InvalidQuery naming the offending field."""
    if not isinstance(record, Mapping):
        raise InvalidQuery("a query must be an object", field=None)
    name = record.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InvalidQuery("name is required and must be a non-empty string", field="name")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidQuery(f"name is longer than {MAX_NAME_LENGTH} characters", field="name")
    schema_raw = _opt_str(record, "schema")
    schema = None
    if schema_raw is not None:
        schema = _SCHEMAS.get(schema_raw.lower())
        if schema is None:
            raise InvalidQuery(
                f"schema {schema_raw!r} is not one of {', '.join(SCHEMAS)}", field="schema"
            )
    gender_raw = _opt_str(record, "gender")
    gender = None
    if gender_raw is not None:
        gender = _GENDERS.get(gender_raw.lower())
        if gender is None:
            raise InvalidQuery(f"gender {gender_raw!r} is not male or female", field="gender")
    qid = _opt_str(record, "id")
    return Query(
        name=name.strip(),
        id=qid,
        schema=schema,
        birth_date=_birth_date(_opt_str(record, "birth_date")),
        country=_opt_str(record, "country"),
        identifiers=_identifiers(record),
        gender=gender,
    )
