"""audit table: cheaper appends on PostgreSQL (byte-order collation, partial kind index)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

Every batch record appends an audit row, so each index on compliance_audit is paid for
100,000 times a batch. On PostgreSQL:
- the indexed text columns (tenant, kind, at, subject) compare in byte order
  (COLLATE "C"): they hold ids, kinds and ISO times, whose byte order is their order, and
  a libc collation costs a strcoll per comparison;
- the (tenant, kind, at) index leaves out `screening` entries (nearly every row): a kind
  filter for screenings reads the (tenant, seq) index instead, in chain order.
SQLite already compares in byte order, and cannot use a partial index for a kind given
as a bound parameter, so its schema is unchanged.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

_TEXT_COLUMNS = (("tenant", 64), ("kind", 32), ("at", 32), ("subject", 200))


def _collate(collation: str) -> None:
    # One ALTER TABLE: the indexes on these columns are rebuilt once (no table rewrite).
    changes = ", ".join(f'ALTER COLUMN "{name}" TYPE varchar({size}) COLLATE "{collation}"'
                        for name, size in _TEXT_COLUMNS)
    op.execute(f"ALTER TABLE compliance_audit {changes}")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_audit_tenant_kind_at", table_name="compliance_audit")
    _collate("C")
    op.create_index("ix_audit_tenant_kind_at", "compliance_audit", ["tenant", "kind", "at"],
                    postgresql_where=sa.text("kind <> 'screening'"))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_audit_tenant_kind_at", table_name="compliance_audit")
    _collate("default")
    op.create_index("ix_audit_tenant_kind_at", "compliance_audit", ["tenant", "kind", "at"])
