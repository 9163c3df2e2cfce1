"""Tables of the compliance record. Times are ISO 8601 UTC strings with microseconds
("2026-12-01T00:00:00.000000Z"): they sort as text and hash identically on every
database, which the audit chain needs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a bigint.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def _bytewise(length: int) -> String:
    """An indexed audit column compared in byte order on PostgreSQL (migration 0002):
    ids, kinds and ISO times sort alike either way, and byte order is cheaper to index.
    SQLite compares in byte order already."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


class Base(DeclarativeBase):
    pass


class Hit(Base):
    """One alerting match of one screening (a batch record or an instant check)."""

    __tablename__ = "compliance_hits"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    job_id: Mapped[str | None] = mapped_column(String(64))
    screening_id: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(16))
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    record_fp: Mapped[str] = mapped_column(String(64))
    list: Mapped[str] = mapped_column(String(200))
    source_id: Mapped[str] = mapped_column(String(200))
    entity_fp: Mapped[str] = mapped_column(String(64))
    pair_key: Mapped[str] = mapped_column(String(64))
    schema: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(Text)
    matched_name: Mapped[str] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float)
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON)
    profile: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(24))
    decision_id: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[str] = mapped_column(String(32))

    __table_args__ = (
        Index("ix_hits_tenant_state_created", "tenant", "state", "created_at"),
        Index("ix_hits_tenant_job", "tenant", "job_id"),
        Index("ix_hits_tenant_pair", "tenant", "pair_key"),
    )


class Decision(Base):
    """An analyst's decision on a hit. Never edited: a later one supersedes it; only a
    four-eyes confirmation is added to it (once)."""

    __tablename__ = "compliance_decisions"

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    tenant: Mapped[str] = mapped_column(String(64))
    hit_id: Mapped[str] = mapped_column(String(40))
    pair_key: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(24))
    comment: Mapped[str] = mapped_column(Text)
    user: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(24))
    confirmed_by: Mapped[str | None] = mapped_column(String(128))
    confirmed_at: Mapped[str | None] = mapped_column(String(32))
    supersedes: Mapped[str | None] = mapped_column(String(40))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    request_hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("tenant", "idempotency_key", name="uq_decisions_idempotency"),
        Index("ix_decisions_tenant_pair", "tenant", "pair_key", "seq"),
        Index("ix_decisions_tenant_hit", "tenant", "hit_id"),
    )


class AuditEntry(Base):
    """One link of a tenant's hash chain: `hash` covers `prev_hash` and every field."""

    __tablename__ = "compliance_audit"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    tenant: Mapped[str] = mapped_column(_bytewise(64))
    seq: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(_bytewise(32))
    at: Mapped[str] = mapped_column(_bytewise(32))
    actor: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str | None] = mapped_column(_bytewise(200))
    data: Mapped[str] = mapped_column(Text)  # canonical JSON, hashed as stored
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        # Few indexes: every batch record appends a row. Time ranges use (tenant, seq), as
        # `at` grows with seq within a chain.
        UniqueConstraint("tenant", "seq", name="uq_audit_tenant_seq"),
        # Not on PostgreSQL's screening entries (nearly every row; a kind filter for them
        # reads (tenant, seq)); SQLite cannot use a partial index for a bound kind.
        Index("ix_audit_tenant_kind_at", "tenant", "kind", "at",
              postgresql_where=text("kind <> 'screening'")),
        Index("ix_audit_tenant_subject", "tenant", "subject"),
    )


class AuditHead(Base):
    """The end of each tenant's chain (appends lock this row) and its floor: the last
    entry removed by retention, from which verification starts."""

    __tablename__ = "compliance_audit_heads"

    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    floor_seq: Mapped[int] = mapped_column(BigInteger)
    floor_hash: Mapped[str] = mapped_column(String(64))
