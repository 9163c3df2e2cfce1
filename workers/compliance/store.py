"""Hits and analysts' decisions: plain functions over a `Database`.

A screening (one batch record or one instant check) is recorded with
`record_screenings`: every alerting match becomes a hit row, carrying its review state
from the tenant's decisions on the same pair (see `fingerprints`), and the screening
gets its audit entry in the same transaction. If that transaction fails, the caller
must not give the answer (no unaudited screening).
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import JSON, Connection, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from matching.engine import ALGORITHM_NAME, ALGORITHM_VERSION, Engine
from workers.compliance import audit
from workers.compliance.db import Database, Transaction, connection_of
from workers.compliance.errors import (
    DecisionConflict,
    DecisionNotFound,
    HitNotFound,
    InvalidDecision,
    SameUser,
)
from workers.compliance.fingerprints import (
    canonical,
    hit_id,
    new_id,
    now_iso,
    pair_key,
    public_record,
    record_fingerprint,
    sha256,
)
from workers.compliance.models import Decision, Hit
from workers.compliance.profiles import compact_profile, entity_url, find_entity, fingerprint_of

DECISIONS = ("true_match", "false_positive", "escalated")
STATES = ("open", "decided", "suppressed", "pending_confirmation")
SOURCES = ("job", "instant", "monitoring")


# --- screening ---------------------------------------------------------------------------


@dataclass(slots=True)
class Screening:
    """One record's screening to record. `matches` are the result's match dicts; they are
    completed in place with hit_id, entity_url, profile and review."""

    screening_id: str
    record: Mapping[str, Any]
    matches: list[dict[str, Any]]
    position: int | None = None
    error: str | None = None


@dataclass(slots=True)
class Context:
    """What every screening of one call shares: who, against what, with which settings."""

    tenant: str
    source: str
    actor: str | None
    list_versions: list[str]
    threshold: float
    limit: int
    lists: list[str] | None
    job_id: str | None = None
    algorithm: dict[str, str] = field(
        default_factory=lambda: {"name": ALGORITHM_NAME, "version": ALGORITHM_VERSION})

    @property
    def config_hash(self) -> str:
        return sha256(canonical({"algorithm": self.algorithm, "threshold": self.threshold,
                                 "limit": self.limit, "lists": self.lists}))

    def describe(self) -> dict[str, Any]:
        """What every screening of this context was screened against and how."""
        return {"list_versions": self.list_versions, "algorithm": self.algorithm,
                "config_hash": self.config_hash, "threshold": self.threshold,
                "limit": self.limit, "lists": self.lists}


def list_versions(versions: Iterable[Mapping[str, Any]], lists: Sequence[str] | None) -> list[str]:
    """"name@version" of each list screened against."""
    return [f"{v['name']}@{v.get('version')}" for v in versions
            if not lists or v.get("name") in lists]


def decision_view(d: Any) -> dict[str, Any]:
    """A decision (an ORM object or a Core row of the same columns) as the API shows it."""
    return {"id": d.id, "hit_id": d.hit_id, "decision": d.decision, "comment": d.comment,
            "user": d.user, "created_at": d.created_at, "status": d.status,
            "confirmed_by": d.confirmed_by, "confirmed_at": d.confirmed_at,
            "supersedes": d.supersedes}


_DECISION_COLUMNS = tuple(c.name for c in Decision.__table__.columns)
DecisionRow = namedtuple("DecisionRow", _DECISION_COLUMNS)  # type: ignore[misc]


def _review_queries(tenant: str, keys: Iterable[str]) -> list[tuple[str, tuple[str, ...]]]:
    """The statements reading the tenant's decisions on these pairs, oldest first (500
    pairs a statement: SQLite's parameter limit)."""
    wanted = sorted(set(keys))
    names = ", ".join(f'"{c}"' for c in _DECISION_COLUMNS)
    return [(f"SELECT {names} FROM compliance_decisions WHERE tenant = ? AND pair_key IN "
             f"({', '.join('?' * len(part))}) ORDER BY seq", (tenant, *part))
            for part in (wanted[i:i + 500] for i in range(0, len(wanted), 500))]


def _pair_reviews(results: Iterable[list[Any]]) -> dict[str, tuple[str, Any]]:
    """For each pair (from `_review_queries`' rows): the review a new hit of it gets.
    The pair's latest effective decision rules: a false_positive suppresses; a later
    pending false_positive makes it pending_confirmation; anything else leaves the new
    hit open. (Driver rows, not ORM objects nor Core: this runs once per batch chunk.)"""
    out: dict[str, tuple[str, Any]] = {}
    for found in results:
        rows: list[Any] = [DecisionRow(*r) for r in found]
        latest: dict[str, Any] = {}
        pending: dict[str, Any] = {}
        for d in rows:
            if d.status == "effective":
                latest[d.pair_key] = d
                pending.pop(d.pair_key, None)
            elif d.decision == "false_positive":
                pending[d.pair_key] = d
        for key in set(latest) | set(pending):
            if key in pending:
                out[key] = ("pending_confirmation", pending[key])
            elif latest[key].decision == "false_positive":
                out[key] = ("suppressed", latest[key])
    return out


_HIT_COLUMNS = tuple(c.name for c in Hit.__table__.columns)
_HIT_JSON = frozenset(c.name for c in Hit.__table__.columns if isinstance(c.type, JSON))


def _insert_hits_ignore(session: Transaction, rows: list[dict[str, Any]]) -> None:
    """The hit rows, any already there (same deterministic id) left alone. On the driver
    with orjson-serialised JSON: Core's insert with JSON processing cost a batch chunk
    several times what its few hit rows take to write."""
    if not rows:
        return
    cast = "::json" if connection_of(session).dialect.name == "postgresql" else ""
    marks = ", ".join(f"?{cast}" if c in _HIT_JSON else "?" for c in _HIT_COLUMNS)
    names = ", ".join(f'"{c}"' for c in _HIT_COLUMNS)
    audit.driver_executemany(
        session,
        f"INSERT INTO compliance_hits ({names}) VALUES ({marks}) ON CONFLICT (id) DO NOTHING",
        [tuple(orjson.dumps(row[c]).decode() if c in _HIT_JSON else row[c]
               for c in _HIT_COLUMNS) for row in rows])


def record_screenings(db: Database, engine: Engine, context: Context,
                      screenings: Sequence[Screening], *, skip_audited: bool = False,
                      shared_context: bool = False,
                      meanwhile: Callable[[], object] | None = None,
                      connection: Connection | None = None) -> str:
    """Record hits and audit entries of screenings in ONE transaction, completing each
    match with hit_id, entity_url, profile and review. With `skip_audited` (a batch chunk
    delivered again), screenings whose audit entry exists are not audited twice. Returns
    the time recorded (the screenings' `screened_at`).

    The context (list versions, algorithm, configuration) is inline in each screening's
    entry, or, with `shared_context` (a batch: 100,000 records share one), written once
    as a `screening_context` entry that each screening names by its hash.

    `meanwhile`: database-free work to overlap with the commit where the driver allows
    it (PostgreSQL; see `audit.append_entries`); it may not run at all. This returns
    only once the transaction is committed either way.

    `connection`: a write connection the caller holds across transactions
    (`Database.hold_write_connection`); by default one from the pool."""
    prepared: list[tuple[Screening, str | None, list[tuple[dict[str, Any], str, str]]]] = []
    for s in screenings:
        record_fp = record_fingerprint(s.record) if s.error is None else None
        pairs: list[tuple[dict[str, Any], str, str]] = []
        for m in s.matches:
            entity = find_entity(engine, m["list"], m["source_id"])
            efp = fingerprint_of(engine, entity) if entity is not None else ""
            m["hit_id"] = hit_id(context.tenant, s.screening_id, m["list"], m["source_id"])
            m["entity_url"] = entity_url(m["list"], m["source_id"])
            m["profile"] = compact_profile(entity)
            pairs.append((m, efp, pair_key(record_fp or "", m["list"], m["source_id"], efp)))
        prepared.append((s, record_fp, pairs))
    now = now_iso()
    described = context.describe()  # once per call, not per record
    # Hashed only when entries name it: the instant check inlines its context.
    context_ref = "context:" + sha256(canonical(described)) if shared_context else ""
    shared = {"context": context_ref} if shared_context else described
    with db.write_connection(connection) as session:  # driver statements: no ORM Session
        # The chain lock before looking at anything: a chunk redelivered while its first
        # delivery still runs waits here, then sees that delivery's entries; a decision
        # (which takes the same lock) is either wholly before or wholly after.
        first = screenings[0].screening_id if skip_audited and screenings else None
        subjects = [s for s in (context_ref if shared_context else None, first) if s]
        # The lock and the reads behind it in one round trip on PostgreSQL.
        head, found = audit.lock_chain_and_read(session, context.tenant, [
            *([_audited_query(context.tenant, subjects)] if subjects else []),
            *_review_queries(context.tenant,
                             (k for _, _, pairs in prepared for _, _, k in pairs))])
        done = {row[0] for row in found[0]} if subjects else set()
        # A chunk is recorded in one transaction: its first entry being there means all
        # of it is, hits included (a redelivery).
        redelivered = first is not None and first in done
        reviews = _pair_reviews(found[1:] if subjects else found)
        hits: list[dict[str, Any]] = []
        refs: list[list[dict[str, Any]]] = []  # each screening's hits, for its entry
        for s, record_fp, pairs in prepared:
            hit_refs: list[dict[str, Any]] = []
            record = public_record(s.record) if pairs else None
            for m, efp, key in pairs:
                state, decision = reviews.get(key, ("open", None))
                m["review"] = {"state": state,
                               "decision": decision_view(decision) if decision else None}
                hits.append({
                    "id": m["hit_id"], "tenant": context.tenant, "job_id": context.job_id,
                    "screening_id": s.screening_id, "source": context.source,
                    "record": record, "record_fp": record_fp or "", "list": m["list"],
                    "source_id": m["source_id"], "entity_fp": efp, "pair_key": key,
                    "schema": m["schema"], "name": m["name"],
                    "matched_name": m["matched_name"], "score": float(m["score"]),
                    "explanation": m["explanation"], "profile": m["profile"],
                    "state": state, "decision_id": decision.id if decision else None,
                    "created_at": now,
                })
                hit_refs.append({"hit_id": m["hit_id"], "list": m["list"],
                                 "source_id": m["source_id"], "score": m["score"],
                                 "state": state})
            refs.append(hit_refs)
        with_context = shared_context and context_ref not in done
        if not redelivered:
            _insert_hits_ignore(session, hits)

        def entries() -> Iterator[audit.Entry]:
            # Lazy: on PostgreSQL each entry's JSON is built while the COPY sends the
            # ones before it (see audit.append_entries).
            if with_context:
                yield ("screening_context", context.actor, context_ref,
                       orjson.dumps(described).decode())
            if redelivered:
                return
            for (s, record_fp, _), hit_refs in zip(prepared, refs, strict=True):
                yield ("screening", context.actor, s.screening_id, orjson.dumps({
                    "source": context.source, "job_id": context.job_id,
                    "position": s.position, "record_id": s.record.get("id"),
                    "record_fp": record_fp, **shared, "error": s.error,
                    "hits": hit_refs}).decode())

        audit.append_entries(session, context.tenant, entries(), at=now, head=head,
                             meanwhile=meanwhile,
                             count=int(with_context) + (0 if redelivered else len(prepared)))
    return now


def _audited_query(tenant: str, subjects: list[str]) -> tuple[str, tuple[str, ...]]:
    """The statement reading which of these subjects already have an audit entry."""
    marks = ", ".join("?" * len(subjects))
    return (f"SELECT subject FROM compliance_audit WHERE tenant = ? AND subject IN ({marks})",
            (tenant, *subjects))


# --- reading hits ------------------------------------------------------------------------


def _hit_view(hit: Hit, decisions: Mapping[str, Decision]) -> dict[str, Any]:
    decision = decisions.get(hit.decision_id) if hit.decision_id else None
    return {
        "hit_id": hit.id, "job_id": hit.job_id, "screening_id": hit.screening_id,
        "source": hit.source, "record": hit.record, "list": hit.list,
        "source_id": hit.source_id, "schema": hit.schema, "name": hit.name,
        "matched_name": hit.matched_name, "score": hit.score, "explanation": hit.explanation,
        "profile": hit.profile, "entity_url": entity_url(hit.list, hit.source_id),
        "review": {"state": hit.state,
                   "decision": decision_view(decision) if decision else None},
        "created_at": hit.created_at,
    }


def _decisions_by_id(session: Session, ids: Iterable[str | None]) -> dict[str, Decision]:
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    return {d.id: d for d in session.scalars(select(Decision).where(Decision.id.in_(wanted)))}


def get_hit(db: Database, tenant: str, hit: str) -> dict[str, Any]:
    with db.read() as session:
        row = session.get(Hit, hit)
        if row is None or row.tenant != tenant:
            raise HitNotFound(f"No hit {hit!r} for this API key: GET /v1/hits lists your hits.",
                              field="hit_id")
        return _hit_view(row, _decisions_by_id(session, [row.decision_id]))


@dataclass(slots=True)
class HitFilter:
    state: str = "all"
    job_id: str | None = None
    list: str | None = None
    min_score: float | None = None
    max_score: float | None = None
    sort: str = "newest"


def list_hits(db: Database, tenant: str, flt: HitFilter, offset: int = 0,
              limit: int = 50) -> tuple[list[dict[str, Any]], dict[str, int], bool]:
    """(a page of hits, counts per state under the same filters, whether more follow)."""
    conds: list[Any] = [Hit.tenant == tenant]
    if flt.job_id:
        conds.append(Hit.job_id == flt.job_id)
    if flt.list:
        conds.append(Hit.list == flt.list)
    if flt.min_score is not None:
        conds.append(Hit.score >= flt.min_score)
    if flt.max_score is not None:
        conds.append(Hit.score <= flt.max_score)
    with db.read() as session:
        counts = dict.fromkeys(STATES, 0)
        for state, n in session.execute(
            select(Hit.state, func.count()).where(*conds).group_by(Hit.state)
        ):
            counts[str(state)] = int(n)
        if flt.state != "all":
            conds.append(Hit.state == flt.state)
        order = ((Hit.score.desc(), Hit.created_at.desc(), Hit.id) if flt.sort == "score"
                 else (Hit.created_at.desc(), Hit.id))
        rows = session.scalars(
            select(Hit).where(*conds).order_by(*order).offset(offset).limit(limit + 1)
        ).all()
        decisions = _decisions_by_id(session, (h.decision_id for h in rows[:limit]))
        return [_hit_view(h, decisions) for h in rows[:limit]], counts, len(rows) > limit


def reviews_for(db: Database, tenant: str, hit_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The current review of each hit (job results show today's state, not the state at
    screening time)."""
    wanted = sorted(set(hit_ids))
    out: dict[str, dict[str, Any]] = {}
    if not wanted:
        return out
    with db.read() as session:
        for start in range(0, len(wanted), 500):
            rows = session.execute(select(Hit.id, Hit.state, Hit.decision_id).where(
                Hit.tenant == tenant, Hit.id.in_(wanted[start:start + 500]))).all()
            decisions = _decisions_by_id(session, (r.decision_id for r in rows))
            for r in rows:
                d = decisions.get(r.decision_id) if r.decision_id else None
                out[r.id] = {"state": r.state, "decision": decision_view(d) if d else None}
    return out


# --- decisions ---------------------------------------------------------------------------


def _own_hit(session: Session, tenant: str, hit: str) -> Hit:
    row = session.get(Hit, hit, with_for_update=True)
    if row is None or row.tenant != tenant:
        raise HitNotFound(f"No hit {hit!r} for this API key: GET /v1/hits lists your hits.",
                          field="hit_id")
    return row


def _suppress_open_pair(session: Session, tenant: str, key: str, decision: Decision) -> None:
    """An effective false positive also clears the pair's other hits still waiting."""
    session.execute(update(Hit).where(
        Hit.tenant == tenant, Hit.pair_key == key,
        Hit.state.in_(("open", "pending_confirmation")), Hit.id != decision.hit_id,
    ).values(state="suppressed", decision_id=decision.id))


def decide(db: Database, tenant: str, hit: str, decision: str, comment: str, user: str, *,
           four_eyes: bool = False, idempotency_key: str | None = None
           ) -> tuple[dict[str, Any], bool]:
    """Record a decision on a hit. Returns (decision, created); a retry with the same
    Idempotency-Key returns the first decision and created=False."""
    if decision not in DECISIONS:
        raise InvalidDecision(f"decision must be one of {', '.join(DECISIONS)}, not "
                              f"{decision!r}.", field="decision")
    request_hash = sha256(canonical([hit, decision, comment, user]))
    try:
        with db.write() as session:
            audit.lock_chain(session, tenant)
            if idempotency_key:
                found = _idempotent(session, tenant, idempotency_key, request_hash)
                if found is not None:
                    return found, False
            row = _own_hit(session, tenant, hit)
            previous = session.scalars(select(Decision).where(
                Decision.tenant == tenant, Decision.pair_key == row.pair_key
            ).order_by(Decision.seq.desc()).limit(1)).first()
            pending = decision == "false_positive" and four_eyes
            made = Decision(
                id=new_id("dec"), tenant=tenant, hit_id=row.id, pair_key=row.pair_key,
                decision=decision, comment=comment, user=user, created_at=now_iso(),
                status="pending_confirmation" if pending else "effective",
                supersedes=previous.id if previous is not None else None,
                idempotency_key=idempotency_key, request_hash=request_hash,
            )
            session.add(made)
            session.flush()
            row.state, row.decision_id = ("pending_confirmation" if pending else "decided",
                                          made.id)
            if made.status == "effective" and decision == "false_positive":
                _suppress_open_pair(session, tenant, row.pair_key, made)
            view = decision_view(made)
            audit.append(session, tenant, [audit.Event("decision", user, made.id, {
                **view, "pair": {"record_fp": row.record_fp, "list": row.list,
                                 "source_id": row.source_id, "entity_fp": row.entity_fp},
            })])
            return view, True
    except IntegrityError:
        # A concurrent retry with the same Idempotency-Key committed first.
        if not idempotency_key:
            raise
        with db.read() as session:
            found = _idempotent(session, tenant, idempotency_key, request_hash)
        if found is None:
            raise
        return found, False


def _idempotent(session: Session, tenant: str, key: str, request_hash: str
                ) -> dict[str, Any] | None:
    found = session.scalars(select(Decision).where(
        Decision.tenant == tenant, Decision.idempotency_key == key)).first()
    if found is None:
        return None
    if found.request_hash != request_hash:
        raise DecisionConflict(
            "This Idempotency-Key was already used for a different decision: use a new key "
            "for a new decision.", field="Idempotency-Key", details={"decision_id": found.id})
    return decision_view(found)


def confirm(db: Database, tenant: str, decision_id: str, user: str) -> dict[str, Any]:
    """Four-eyes: a second, different user makes a pending false_positive effective."""
    with db.write() as session:
        audit.lock_chain(session, tenant)
        made = session.scalars(select(Decision).where(
            Decision.id == decision_id, Decision.tenant == tenant).with_for_update()).first()
        if made is None:
            raise DecisionNotFound(f"No decision {decision_id!r} for this API key: GET "
                                   "/v1/decisions lists them.", field="decision_id")
        if made.status != "pending_confirmation":
            raise DecisionConflict(f"Decision {decision_id} is already {made.status}: only a "
                                   "pending one can be confirmed.", field="decision_id",
                                   details={"status": made.status})
        if made.user == user:
            raise SameUser("Four-eyes: the decision must be confirmed by a different user "
                           "than its author.", field="X-Screening-User")
        later = session.scalars(select(Decision.id).where(
            Decision.tenant == tenant, Decision.pair_key == made.pair_key,
            Decision.seq > made.seq)).first()
        if later is not None:
            raise DecisionConflict(f"Decision {decision_id} was superseded by {later}: it can "
                                   "no longer be confirmed.", field="decision_id",
                                   details={"superseded_by": later})
        made.status, made.confirmed_by, made.confirmed_at = "effective", user, now_iso()
        session.execute(update(Hit).where(Hit.tenant == tenant, Hit.id == made.hit_id)
                        .values(state="decided", decision_id=made.id))
        _suppress_open_pair(session, tenant, made.pair_key, made)
        view = decision_view(made)
        audit.append(session, tenant, [audit.Event("confirmation", user, made.id, view)])
        return view


@dataclass(slots=True)
class DecisionFilter:
    hit_id: str | None = None
    decision: str | None = None
    user: str | None = None


def list_decisions(db: Database, tenant: str, flt: DecisionFilter, after_seq: int = 0,
                   limit: int = 100) -> tuple[list[dict[str, Any]], int | None]:
    """A page of decisions, oldest first, and the cursor of the next page (None: last)."""
    conds: list[Any] = [Decision.tenant == tenant, Decision.seq > after_seq]
    if flt.hit_id:
        conds.append(Decision.hit_id == flt.hit_id)
    if flt.decision:
        conds.append(Decision.decision == flt.decision)
    if flt.user:
        conds.append(Decision.user == flt.user)
    with db.read() as session:
        rows = session.scalars(
            select(Decision).where(*conds).order_by(Decision.seq).limit(limit + 1)).all()
        page = rows[:limit]
        more = len(rows) > limit
        return [decision_view(d) for d in page], (page[-1].seq if more and page else None)
