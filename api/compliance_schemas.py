"""Schemas of the compliance endpoints (issue 11): hits, decisions, entities, audit.
Field names follow the contract with the analyst's page and monitoring exactly."""

from __future__ import annotations

from typing import Any

from apiflask import Schema
from apiflask.fields import DateTime, Dict, Float, Integer, List, Nested, String
from apiflask.validators import Length, OneOf, Range, Regexp
from marshmallow import RAISE

from api.schemas import CURSOR_PATTERN, MatchOut
from workers.compliance.audit import KINDS
from workers.compliance.store import DECISIONS, SOURCES, STATES

CURSOR = Regexp(CURSOR_PATTERN, error="must be a `next_cursor` value")
FORMATS = ["json", "jsonl", "csv"]

DECISION_EXAMPLE: dict[str, Any] = {
    "id": "dec_6f1c2b0e9d8a4c51b2e3f4a5b6c7d8e9", "hit_id": "hit_q1w2e3r4t5y6u7i8o9p0aa",
    "decision": "false_positive", "comment": "Namesake: our customer was born 1985 in Kazan.",
    "user": "analyst.kim", "created_at": "2026-12-01T09:30:00.000000Z", "status": "effective",
    "confirmed_by": None, "confirmed_at": None, "supersedes": None,
}
HIT_EXAMPLE: dict[str, Any] = {
    "hit_id": "hit_q1w2e3r4t5y6u7i8o9p0aa", "job_id": "4c1f0d2e9b8a47c6a5d4e3f2a1b0c9d8",
    "screening_id": "4c1f0d2e9b8a47c6a5d4e3f2a1b0c9d8:0", "source": "job",
    "record": {"id": "c-1", "name": "Козлов Сергей Михайлович", "schema": "Person",
               "birth_date": "1985-02-11", "country": "RU", "identifier": None},
    "list": "kr-mofa", "source_id": "KR-2024-04-02-04", "schema": "Person",
    "name": "Sergey Mikhailovich Kozlov", "matched_name": "Sergey Mikhailovich Kozlov",
    "score": 0.93, "explanation": {"name_score": 1.0, "features": []},
    "profile": {"birth_dates": ["1960-05-31"], "countries": ["ru"], "programs": ["KR-DPRK"],
                "listed_on": "2024-04-02", "reason": "Representative of Intellekt LLC."},
    "entity_url": "/v1/entities/kr-mofa/KR-2024-04-02-04",
    "review": {"state": "open", "decision": None}, "created_at": "2026-12-01T02:00:00.000000Z",
}


class DecisionOut(Schema):
    id = String(required=True)
    hit_id = String(required=True)
    decision = String(required=True, validate=OneOf(DECISIONS))
    comment = String(required=True)
    user = String(required=True, metadata={"description": "The analyst (X-Screening-User)."})
    created_at = String(required=True)
    status = String(required=True, validate=OneOf(["effective", "pending_confirmation"]))
    confirmed_by = String(allow_none=True)
    confirmed_at = String(allow_none=True)
    supersedes = String(allow_none=True, metadata={
        "description": "The pair's previous decision, which this one replaces."})


class NestedDecision(DecisionOut):
    """DecisionOut inside other schemas (a distinct class keeps the spec's refs unique)."""


class DecisionIn(Schema):
    class Meta:
        unknown = RAISE

    decision = String(required=True, validate=OneOf(DECISIONS))
    comment = String(load_default="", validate=Length(max=4000),
                     metadata={"description": "Why (kept in the audit trail)."})


class AnalystHeaders(Schema):
    user = String(data_key="X-Screening-User", metadata={
        "description": "The analyst's user id (1-128 printable characters), distinct from "
        "the tenant's key. Required."})
    idempotency_key = String(data_key="Idempotency-Key", validate=Length(min=1, max=200),
                             metadata={"description": "A retried POST with the same key "
                                       "returns the first decision instead of a second."})


class Review(Schema):
    state = String(required=True, validate=OneOf(STATES))
    decision = Nested(NestedDecision, allow_none=True)


class HitRecord(Schema):
    id = String(allow_none=True)
    name = String(allow_none=True)
    schema = String(allow_none=True)
    birth_date = String(allow_none=True)
    country = String(allow_none=True)
    identifier = String(allow_none=True)


class Profile(Schema):
    birth_dates = List(String(), required=True)
    countries = List(String(), required=True)
    programs = List(String(), required=True)
    listed_on = String(allow_none=True)
    reason = String(allow_none=True, metadata={"description": "The listing reason, one line."})


class HitOut(MatchOut):
    """A match as the analysts' queue shows it: the match, its record and screening."""

    hit_id = String(required=True)
    job_id = String(allow_none=True)
    screening_id = String(required=True)
    source = String(required=True, validate=OneOf(SOURCES))
    record = Nested(HitRecord, required=True)
    profile = Nested(Profile, required=True)  # type: ignore[assignment]  # typed here
    entity_url = String(required=True)
    review = Nested(Review, required=True)  # type: ignore[assignment]
    created_at = String(required=True)


class HitItem(HitOut):
    """A hit in a page of the queue."""


class HitCounts(Schema):
    open = Integer(required=True)
    decided = Integer(required=True)
    suppressed = Integer(required=True)
    pending_confirmation = Integer(required=True)


class HitsQuery(Schema):
    state = String(load_default="all", validate=OneOf([*STATES, "all"]))
    job_id = String(validate=Length(max=64))
    list = String(validate=Length(max=200))
    min_score = Float(validate=Range(0.0, 1.0))
    max_score = Float(validate=Range(0.0, 1.0))
    sort = String(load_default="newest", validate=OneOf(["newest", "score"]))
    cursor = String(validate=CURSOR, metadata={"description": "The previous `next_cursor`."})
    limit = Integer(load_default=50, validate=Range(1, 500))


class HitPage(Schema):
    hits = List(Nested(HitItem), required=True)
    counts = Nested(HitCounts, required=True, metadata={
        "description": "Hits per state under the same filters (state aside)."})
    next_cursor = String(allow_none=True)


class DecisionsQuery(Schema):
    hit_id = String(validate=Length(max=40))
    decision = String(validate=OneOf(DECISIONS))
    user = String(validate=Length(max=128))
    format = String(load_default="json", validate=OneOf(FORMATS),
                    metadata={"description": "json pages; jsonl or csv download them all."})
    cursor = String(validate=CURSOR)
    limit = Integer(load_default=100, validate=Range(1, 1000))


class DecisionPage(Schema):
    decisions = List(Nested(NestedDecision), required=True)
    next_cursor = String(allow_none=True)


class EntityName(Schema):
    name = String(required=True)
    quality = String(required=True, validate=OneOf(["primary", "alias", "weak"]))
    script = String(required=True)


class EntityIdentifier(Schema):
    kind = String(required=True)
    value = String(required=True)


class RelatedEntity(Schema):
    ref = String(required=True, metadata={"description": "The link as the list gives it."})
    list = String(allow_none=True)
    source_id = String(allow_none=True)
    name = String(required=True)
    schema = String(allow_none=True)
    entity_url = String(allow_none=True)


class RelatedStatement(Schema):
    relation = String(allow_none=True, metadata={
        "description": "The relation the statement names (\"associated with\", \"parent "
        "company\", \"brother of\", ...), lower case."})
    party = String(allow_none=True, metadata={
        "description": "The party it names, as written (best effort: the words after the "
        "relation up to the first bracket or clause end; null when that is not a name)."})
    ref = String(allow_none=True, metadata={
        "description": "The party's list reference when the statement gives one (a UN "
        "reference such as QDi.301, a UK Sanctions List one such as RUS0271)."})
    list = String(allow_none=True)
    source_id = String(allow_none=True)
    entity_url = String(allow_none=True, metadata={
        "description": "The party's own profile when `ref` is an entry of a list in force."})
    text = String(required=True, metadata={"description": "The statement as published."})


class Document(Schema):
    url = String(required=True)
    title = String(required=True, metadata={"description": "Who publishes it."})


class EntityOut(Schema):
    list = String(required=True)
    source_id = String(required=True)
    schema = String(required=True)
    name = String(required=True)
    names = List(Nested(EntityName), required=True)
    original_script_names = List(String(), required=True)
    birth_dates = List(String(), required=True)
    birth_places = List(String(), required=True, metadata={
        "description": "Places of birth as the list publishes them."})
    countries = List(String(), required=True, metadata={
        "description": "Every country the list gives: nationalities, addresses, flags."})
    nationalities = List(String(), required=True, metadata={
        "description": "The countries the list gives as nationality or citizenship."})
    gender = String(allow_none=True)
    identifiers = List(Nested(EntityIdentifier), required=True)
    programs = List(String(), required=True)
    listed_on = String(allow_none=True)
    reason = String(allow_none=True)
    links = List(String(), required=True, metadata={
        "description": "Related parties as the list names them: an id on the same list, "
        "\"list:id\" on another list, or a name."})
    related = List(Nested(RelatedEntity), required=True, metadata={
        "description": "The links resolved: each related party's own entry where it is on "
        "a list in force (list, source_id, name, schema, entity_url), else only its name."})
    related_statements = List(Nested(RelatedStatement), required=True, metadata={
        "description": "Related parties the list names only in prose (UN comments, UK "
        "\"Other Information\" and statements of reasons, EU remarks and reasons): each "
        "statement verbatim, with the relation and party read from it. Such parties are "
        "often not list entries themselves."})
    documents = List(Nested(Document), required=True, metadata={
        "description": "Official web pages about this entry: those the list file gives (the "
        "EU act's publication, an INTERPOL-UN notice, OFAC's directives, the US source "
        "list's page) and, where the source has one page per entry, that page (OFAC's "
        "Sanctions List Search by entry number, OpenSanctions by id, EUR-Lex by the act's "
        "CELEX number). Websites of the listed party itself are left out."})
    list_version = Dict(allow_none=True, metadata={"description": "The list version "
                                                   "(as in GET /v1/lists) this comes from."})


class AuditQuery(Schema):
    kind = String(validate=OneOf(KINDS))
    since = DateTime(metadata={"description": "From this time (inclusive), ISO 8601; "
                               "without a zone, UTC."})
    until = DateTime(metadata={"description": "Before this time."})
    format = String(load_default="json", validate=OneOf(FORMATS))
    cursor = String(validate=CURSOR)
    limit = Integer(load_default=100, validate=Range(1, 1000))


class AuditEntryOut(Schema):
    seq = Integer(required=True, metadata={"description": "Position in the tenant's chain."})
    at = String(required=True)
    kind = String(required=True)
    actor = String(allow_none=True, metadata={"description": "The key (hint) or user."})
    subject = String(allow_none=True, metadata={"description": "screening_id, decision id…"})
    data = Dict(required=True)
    prev_hash = String(required=True)
    hash = String(required=True)


class AuditPage(Schema):
    entries = List(Nested(AuditEntryOut), required=True)
    next_cursor = String(allow_none=True)
