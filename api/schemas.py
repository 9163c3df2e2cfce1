"""Request and response schemas. The same classes validate requests and generate the
OpenAPI document, so the spec cannot drift from what the API enforces."""

from __future__ import annotations

from typing import Any

from apiflask import Schema
from apiflask.fields import Boolean, DateTime, Dict, Float, Integer, List, Nested, String
from apiflask.validators import Length, OneOf, Range, Regexp
from marshmallow import RAISE, ValidationError

from matching.input_dates import FORMATS, BadDate, parse_birth_date
from matching.model import SCHEMAS
from workers.jobstore import STATUSES

MAX_LIMIT = 100  # matches returned per record
# The same rules matching.records.query_from_record applies, stated in the spec so that
# clients (and schemathesis) know a valid record before sending it.
NAME_PATTERN = r"^\s*\S"  # at least one non-space character
CURSOR_PATTERN = r"^[0-9]{0,18}$"  # empty = the first page

# The one error shape, as OpenAPI: apiflask uses it for every documented 4xx/5xx.
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string", "description": "Stable machine-readable code."},
                "message": {"type": "string", "description": "What went wrong and what to do."},
                "details": {
                    "type": "object",
                    "description": "Context: `field` names the field at fault; a rejected "
                    "job lists `errors` [{row, field, problem}] and `total_errors`.",
                },
            },
        }
    },
}


def _valid_date(value: str | None) -> None:
    if value is not None and value.strip():
        try:
            parse_birth_date(value)
        except BadDate as exc:
            raise ValidationError(str(exc)) from None


def _str(description: str, **kwargs: Any) -> String:
    return String(
        allow_none=True, validate=Length(max=1000), metadata={"description": description}, **kwargs
    )


class RecordIn(Schema):
    """One record to screen. Only `name` is required."""

    class Meta:
        unknown = RAISE

    id = _str("Your reference for the record; echoed in its result.")
    name = String(
        required=True,
        validate=[Length(min=1, max=1000), Regexp(NAME_PATTERN, error="must not be blank")],
        metadata={"description": "Full name, in any script."},
    )
    schema = String(allow_none=True, validate=OneOf(SCHEMAS),
                    metadata={"description": "What the record is."})
    birth_date = String(
        allow_none=True,
        validate=[Length(max=40), _valid_date],
        metadata={"description": f"Date of birth: {FORMATS}. Impossible dates "
                  "(1960-02-31, 0000) are rejected.", "examples": ["1960-05-31", "31.05.1960",
                                                                  "1960년 5월 31일", "1960"]},
    )
    country = _str("Country or nationality (ISO 3166-1 alpha-2 or a country name).")
    nationality = _str("Alias of `country`.")
    identifier = _str("One identifier (passport, IMO, tax number...).")
    identifiers = List(String(validate=Length(max=200)), allow_none=True,
                       validate=Length(max=50), metadata={"description": "Identifiers."})
    gender = String(allow_none=True, validate=OneOf(["male", "female"]))


class PolicyIn(Schema):
    """A matching policy. Every field is optional: unset fields keep the tenant's
    policy, else the calibrated defaults (documented in matching/policy.py and README)."""

    class Meta:
        unknown = RAISE

    threshold = Float(allow_none=True, validate=Range(0.0, 1.0), metadata={
        "description": "Minimum score of a reported match (default 0.8, calibrated by "
        "`make eval`)."})
    list_thresholds = Dict(keys=String(validate=Length(min=1, max=200)),
                           values=Float(validate=Range(0.0, 1.0)), allow_none=True,
                           metadata={"description": "Per-list thresholds, e.g. "
                                     '{"us_ofac_sdn": 0.85}; other lists use `threshold`.'})
    lists = List(String(validate=Length(min=1, max=200)), allow_none=True,
                 validate=Length(max=50),
                 metadata={"description": "Lists that apply (names from GET /v1/lists)."})
    strict_types = Boolean(allow_none=True, metadata={
        "description": "Default true: a company never alerts on a vessel or a person, nor a "
        "person on a company, on name alone (an exact identifier still decides). False: a "
        "type conflict only lowers the score by 0.15."})
    namesake_year_gap = Integer(allow_none=True, validate=Range(2, 50), metadata={
        "description": "Birth years this far apart (default 5) are strong evidence of another "
        "person (-0.22; -0.27 with both full dates). One year apart costs nothing, 2 to gap-1 "
        "years -0.08."})
    missing_data = String(allow_none=True, validate=OneOf(["keep", "lower"]), metadata={
        "description": "Default `keep`: a birth date or country missing on one side neither "
        "helps nor hurts. `lower`: each costs 0.02."})


class PolicyOut(Schema):
    threshold = Float(required=True)
    list_thresholds = Dict(required=True)
    lists = List(String(), allow_none=True)
    strict_types = Boolean(required=True)
    namesake_year_gap = Integer(required=True)
    missing_data = String(required=True)


class JobOptions(Schema):
    lists = List(String(validate=Length(min=1, max=200)), allow_none=True, validate=Length(max=50),
                 metadata={"description": "Screen only against these lists (names from "
                           "GET /v1/lists); default: the tenant's lists, else all."})
    threshold = Float(allow_none=True, validate=Range(0.0, 1.0),
                      metadata={"description": "Minimum score of a reported match (0-1); "
                                "default: the tenant's, else the engine's calibrated default."})
    limit = Integer(allow_none=True, validate=Range(1, MAX_LIMIT),
                    metadata={"description": "Most matches reported per record (default 10)."})
    reference = String(allow_none=True, validate=Length(max=200),
                       metadata={"description": "Your reference for the job, echoed back."})
    policy = Nested(PolicyIn, allow_none=True, metadata={
        "description": "This job's matching policy, over the tenant's. `threshold` and "
        "`lists` above take precedence over the same fields here."})


class JobCreate(JobOptions):
    """A JSON batch job."""

    class Meta:
        unknown = RAISE

    records = List(Nested(RecordIn), required=True, validate=Length(min=1),
                   metadata={"description": "The records to screen, in order."})


class CsvJobQuery(Schema):
    """Options for a CSV upload (a JSON body carries them in the body instead)."""

    lists = String(validate=Length(max=2000),
                   metadata={"description": "Comma-separated list names (CSV uploads only)."})
    threshold = Float(validate=Range(0.0, 1.0), metadata={"description": "CSV uploads only."})
    limit = Integer(validate=Range(1, MAX_LIMIT), metadata={"description": "CSV uploads only."})
    reference = String(validate=Length(max=200), metadata={"description": "CSV uploads only."})
    policy = String(validate=Length(max=4000), metadata={
        "description": "CSV uploads only: the matching policy as JSON (see PolicyIn)."})


class IdempotencyHeader(Schema):
    idempotency_key = String(
        data_key="Idempotency-Key", validate=Length(min=1, max=200),
        metadata={"description": "Makes a retried POST return the original job (200) "
                  "instead of creating another (202)."},
    )


class ListVersion(Schema):
    name = String(required=True)
    title = String(allow_none=True)
    authority = String(allow_none=True)
    source = String(allow_none=True)
    format = String(allow_none=True)
    published = String(allow_none=True)
    content_hash = String(allow_none=True)
    version = String(required=True)
    entity_count = Integer(allow_none=True)
    name_count = Integer(allow_none=True)
    loaded_at = String(allow_none=True)


class Progress(Schema):
    done = Integer(required=True)
    total = Integer(required=True)
    percent = Float(required=True)
    records_per_second = Float(required=True, metadata={"description": "Since the job started."})
    estimated_finish = DateTime(allow_none=True, metadata={"description": "null when unknown."})


class AppliedOptions(Schema):
    threshold = Float(required=True)
    limit = Integer(required=True)
    lists = List(String(), allow_none=True)
    policy = Nested(PolicyOut, metadata={"description": "The matching policy in force."})


class JobLinks(Schema):
    self = String(required=True)
    results = String(required=True)


class JobOut(Schema):
    id = String(required=True)
    status = String(required=True, validate=OneOf(STATUSES))
    reference = String(allow_none=True)
    progress = Nested(Progress, required=True)
    hits = Integer(required=True, metadata={"description": "Records with at least one match."})
    errors = Integer(required=True, metadata={
        "description": "Records that could not be screened (their results say "
        "`status: \"error\"`): they were NOT checked; resubmit them."})
    lists = List(Nested(ListVersion), required=True,
                 metadata={"description": "List versions the job screens against."})
    options = Nested(AppliedOptions, required=True)
    created_at = DateTime(required=True)
    started_at = DateTime(allow_none=True)
    updated_at = DateTime(required=True)
    finished_at = DateTime(allow_none=True)
    error = String(allow_none=True)
    links = Nested(JobLinks, required=True)


class JobsQuery(Schema):
    cursor = String(validate=Regexp(CURSOR_PATTERN, error="must be a `next_cursor` value"),
                    metadata={"description": "Opaque: the `next_cursor` of the previous page."})
    limit = Integer(load_default=20, validate=Range(1, 100))


class JobPage(Schema):
    jobs = List(Nested(JobOut), required=True)
    next_cursor = String(allow_none=True, metadata={"description": "null on the last page."})


class MatchOut(Schema):
    list = String(required=True)
    source_id = String(required=True)
    schema = String(required=True)
    name = String(required=True)
    matched_name = String(required=True)
    score = Float(required=True)
    explanation = Dict(required=True, metadata={"description": "Why the engine matched: "
                                                "per-feature scores and notes, the "
                                                "algorithm and policy in force."})
    # The compliance record (issue 11): absent only from `screening batch` output.
    hit_id = String(metadata={"description": "This hit's id: decide on it with "
                              "POST /v1/hits/{hit_id}/decisions."})
    entity_url = String(metadata={"description": "The entity's full profile."})
    profile = Dict(metadata={"description": "Compact profile: birth_dates, countries, "
                             "programs, listed_on, reason."})
    review = Dict(metadata={"description": "{state: open|decided|suppressed|"
                            "pending_confirmation, decision}: a suppressed hit carries the "
                            "false_positive decision that cleared this pair."})
    sources = List(Dict(), metadata={"description": "Every list entry of this same party "
                                     "([{list, source_id}], this one first): one party on "
                                     "several lists is one hit."})


class Algorithm(Schema):
    name = String(required=True)
    version = String(required=True)
    weights_hash = String(metadata={"description": "Hash of every scoring weight "
                                    "(matching/config.py): with the version and the policy "
                                    "it reproduces a decision."})


class ResultOut(Schema):
    position = Integer(required=True, metadata={"description": "0-based input position."})
    id = String(allow_none=True)
    name = String(allow_none=True)
    status = String(required=True, validate=OneOf(["ok", "error"]), metadata={
        "description": "`ok`: screened (no matches means no hit); `error`: NOT screened."})
    matches = List(Nested(MatchOut), required=True)
    policy = Nested(PolicyOut, metadata={"description": "The matching policy applied."})
    algorithm = Nested(Algorithm, metadata={"description": "Algorithm version and weights."})
    error = String(metadata={"description": "Present only when this record could not be "
                             "screened: it was NOT checked, so resubmit it."})


class ResultsQuery(Schema):
    cursor = String(validate=Regexp(CURSOR_PATTERN, error="must be a `next_cursor` value"),
                    metadata={"description": "Opaque: the `next_cursor` of the previous page."})
    limit = Integer(validate=Range(1, 1000), metadata={"description": "Page size (default 100)."})
    only_hits = Boolean(load_default=False, metadata={"description": "Only records with matches."})
    format = String(load_default="json", validate=OneOf(["json", "csv", "jsonl"]),
                    metadata={"description": "json pages; csv or jsonl download every result "
                              "of a finished job."})
    layout = String(load_default="records", validate=OneOf(["records", "matches"]),
                    metadata={"description": "CSV only: `records` (one row per record: "
                              "status, hit, match_count and the top match's fields) or "
                              "`matches` (one row per match, with its explanation)."})


class ResultPage(Schema):
    job_id = String(required=True)
    status = String(required=True, validate=OneOf(STATUSES))
    results = List(Nested(ResultOut), required=True)
    next_cursor = String(allow_none=True, metadata={
        "description": "Pass as `cursor` for the next page; null when every result was read."})
    complete = Boolean(required=True, metadata={"description": "False while the job still runs: "
                                                "poll again with next_cursor for more."})


class ScreenIn(RecordIn):
    """One record for the instant check, with optional matching options."""

    class Meta:
        unknown = RAISE

    lists = List(String(validate=Length(min=1, max=200)), allow_none=True, validate=Length(max=50))
    threshold = Float(allow_none=True, validate=Range(0.0, 1.0))
    limit = Integer(allow_none=True, validate=Range(1, MAX_LIMIT))
    policy = Nested(PolicyIn, allow_none=True, metadata={
        "description": "This check's matching policy, over the tenant's."})


class ScreenOut(Schema):
    result = Nested(ResultOut, required=True)
    hit = Boolean(required=True)
    threshold = Float(required=True)
    lists = List(Nested(ListVersion), required=True)
    algorithm = Nested(Algorithm, required=True)
    policy = Nested(PolicyOut, metadata={"description": "The matching policy applied."})
    took_ms = Float(required=True)
    screening_id = String(required=True, metadata={
        "description": "Finds this check's audit entry (GET /v1/audit) and its hits."})
    screened_at = String(required=True, metadata={"description": "ISO 8601 UTC."})


class ListsOut(Schema):
    key = String(required=True, metadata={"description": "Identifies this set of list versions."})
    lists = List(Nested(ListVersion), required=True)
    algorithm = Nested(Algorithm, required=True)


class HealthOut(Schema):
    status = String(required=True)


class ReadyOut(Schema):
    status = String(required=True)
    checks = Dict(required=True)
