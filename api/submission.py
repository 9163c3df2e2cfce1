"""Turn a POST /v1/jobs request (JSON, text/csv body or multipart file) into validated
records and options. Every record is validated with matching.records.query_from_record;
one bad record rejects the whole job (nothing is stored), listing up to
MAX_REPORTED_ERRORS problems and the total count."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from flask import Request
from marshmallow import ValidationError

from api import settings
from api.csv_input import CsvError, parse_csv
from api.errors import BadRequest, InvalidCsv, InvalidRecords, TooManyRecords, UnsupportedMediaType
from api.json_guard import parsed_json
from api.options import clean_record
from api.schemas import CsvJobQuery, JobCreate, PolicyIn
from matching.errors import InvalidQuery
from matching.records import query_from_record

CSV_TYPES = ("text/csv", "application/csv", "text/plain", "text/tab-separated-values")
JSON_TYPES = ("application/json",)


@dataclass(slots=True)
class Submission:
    records: list[dict[str, Any]]
    threshold: float | None
    limit: int | None
    lists: list[str] | None
    reference: str | None
    source: str  # "json" or "csv"
    policy: dict[str, Any] | None = None

    @classmethod
    def of(cls, records: list[dict[str, Any]], options: dict[str, Any],
           source: str) -> Submission:
        """The records with the job options of a JSON body or a CSV upload's query."""
        return cls(records=records, threshold=options.get("threshold"),
                   limit=options.get("limit"), lists=options.get("lists"),
                   reference=options.get("reference"), source=source,
                   policy=options.get("policy"))


def fingerprint(request: Request) -> str:
    """Identifies a request's content, so a reused Idempotency-Key with another body
    is caught instead of silently returning an unrelated job."""
    digest = hashlib.sha256()
    digest.update(request.mimetype.encode())
    digest.update(b"\0" + request.query_string + b"\0")
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def parse_submission(request: Request, max_records: int) -> Submission:
    mimetype = request.mimetype
    if mimetype in JSON_TYPES or mimetype.endswith("+json"):
        return _from_json(max_records)
    if mimetype in CSV_TYPES:
        return _from_csv(request.get_data(cache=True), _csv_options(request.args), max_records)
    if mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise BadRequest(
                "The multipart upload has no `file` part: send the CSV as form field `file`.",
                field="file",
            )
        options = {**request.args.to_dict(), **request.form.to_dict()}
        return _from_csv(upload.read(), _csv_options(options), max_records)
    raise UnsupportedMediaType(
        f"Content-Type {mimetype or '(none)'!r} is not accepted: send application/json, "
        "text/csv or multipart/form-data with a `file` part.",
        field="Content-Type",
    )


def _csv_options(values: Any) -> dict[str, Any]:
    try:
        options: dict[str, Any] = CsvJobQuery().load(dict(values))
    except ValidationError as exc:
        raise _reject([], _option_errors(exc.messages), 0) from None
    raw_policy = options.get("policy")
    if raw_policy:
        try:
            options["policy"] = PolicyIn().load(json.loads(raw_policy))
        except (ValueError, ValidationError) as exc:
            problem = exc.messages if isinstance(exc, ValidationError) else str(exc)
            raise BadRequest(f"policy is not a valid policy object: {problem}",
                             field="policy") from None
    raw_lists = options.get("lists")
    options["lists"] = [p.strip() for p in raw_lists.split(",") if p.strip()] if raw_lists else None
    return options


def _from_json(max_records: int) -> Submission:
    try:
        data = parsed_json()
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(
            f"The body is not valid JSON ({exc}): send {{\"records\": [...]}}.", field="body"
        ) from None
    if not isinstance(data, dict):
        raise BadRequest('The body must be a JSON object: {"records": [...]}.', field="body")
    records = data.get("records")
    if isinstance(records, list) and len(records) > max_records:
        raise _too_many(len(records), max_records)
    try:
        loaded: dict[str, Any] = JobCreate().load(data)
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"body": exc.messages}
        row_errors = _row_errors(messages.pop("records", None))
        if isinstance(records, list):  # report the records' own problems too, in one go
            flagged = {e["row"] for e in row_errors}
            row_errors += _query_errors(
                [(i + 1, r) for i, r in enumerate(records)
                 if i + 1 not in flagged and isinstance(r, dict)]
            )
            row_errors.sort(key=lambda e: e["row"] or 0)
        raise _reject(row_errors, _option_errors(messages), _count(records)) from None
    cleaned = [clean_record(r) for r in loaded["records"]]
    _validate_records(cleaned, [], len(cleaned))
    return Submission.of(cleaned, loaded, "json")


def _from_csv(data: bytes, options: dict[str, Any], max_records: int) -> Submission:
    try:
        parsed = parse_csv(data, max_records=max_records)
    except CsvError as exc:
        raise InvalidCsv(exc.message, field=exc.field) from None
    if parsed.rows > max_records:
        raise _too_many(parsed.rows, max_records)
    if parsed.rows == 0:
        raise InvalidCsv("The CSV has a header but no records: add one row per record.",
                         field="file")
    cleaned = [clean_record(r) for r in parsed.records]
    _validate_records(cleaned, parsed.errors, parsed.rows, rows=parsed.record_rows())
    return Submission.of(cleaned, options, "csv")


def _validate_records(
    records: list[dict[str, Any]],
    errors: list[dict[str, Any]],
    total: int,
    rows: list[int] | None = None,
) -> None:
    numbered = zip(rows if rows is not None else range(1, len(records) + 1), records, strict=True)
    errors = list(errors) + _query_errors(list(numbered))
    if errors:
        errors.sort(key=lambda e: (e["row"] or 0))
        raise _reject(errors, [], total)


def _query_errors(numbered: list[tuple[int, Any]]) -> list[dict[str, Any]]:
    """Every record checked with the engine's own validator, as batch workers read it."""
    errors: list[dict[str, Any]] = []
    for row, record in numbered:
        try:
            query_from_record(clean_record(record))
        except InvalidQuery as exc:
            errors.append({"row": row, "field": exc.field, "problem": exc.message})
    return errors


def _row_errors(messages: Any) -> list[dict[str, Any]]:
    """marshmallow's {"records": {3: {"name": [...]}}} -> [{"row": 4, "field": "name", ...}]."""
    if messages is None:
        return []
    if not isinstance(messages, dict):
        return [{"row": None, "field": "records", "problem": " ".join(map(str, messages))}]
    out: list[dict[str, Any]] = []
    for index, problems in sorted(messages.items(), key=lambda kv: int(kv[0])):
        if isinstance(problems, dict):
            for field, texts in problems.items():
                text = " ".join(map(str, texts)) if isinstance(texts, list) else str(texts)
                out.append({"row": int(index) + 1, "field": str(field), "problem": text})
        else:
            text = " ".join(map(str, problems))
            out.append({"row": int(index) + 1, "field": "record", "problem": text})
    return out


def _option_errors(messages: Any) -> list[dict[str, Any]]:
    from api.errors import flatten_validation

    return [{"row": None, **p} for p in flatten_validation(messages)]


def _count(records: Any) -> int:
    return len(records) if isinstance(records, list) else 0


def _reject(
    row_errors: list[dict[str, Any]], option_errors: list[dict[str, Any]], total: int
) -> InvalidRecords:
    errors = option_errors + row_errors
    bad_rows = len({e["row"] for e in row_errors if e["row"] is not None})
    cap = settings.MAX_REPORTED_ERRORS
    if bad_rows:
        message = (
            f"{bad_rows} of {total} records are invalid, so the job was rejected and nothing "
            "was stored: fix the rows listed in details.errors and resubmit the whole job."
        )
    else:
        message = "The job's options are invalid: fix the fields listed in details.errors."
    return InvalidRecords(
        message,
        field=errors[0]["field"] if errors else None,
        details={
            "errors": errors[:cap],
            "total_errors": len(errors),
            "truncated": len(errors) > cap,
            "invalid_rows": bad_rows,
            "records": total,
        },
    )


def _too_many(count: int, maximum: int) -> TooManyRecords:
    return TooManyRecords(
        f"The job holds {count} records; the most allowed is {maximum}: split it into "
        f"jobs of at most {maximum} records.",
        field="records",
        details={"records": count, "max_records": maximum},
    )
