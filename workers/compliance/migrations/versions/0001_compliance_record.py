"""compliance record: hits, decisions, audit chain

Revision ID: 0001
Revises: (none)
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a bigint.
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('compliance_audit',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('tenant', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=True),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tenant', 'seq', name='uq_audit_tenant_seq')
    )
    with op.batch_alter_table('compliance_audit', schema=None) as batch_op:
        batch_op.create_index('ix_audit_tenant_kind_at', ['tenant', 'kind', 'at'], unique=False)
        batch_op.create_index('ix_audit_tenant_subject', ['tenant', 'subject'], unique=False)

    op.create_table('compliance_audit_heads',
    sa.Column('tenant', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('floor_seq', sa.BigInteger(), nullable=False),
    sa.Column('floor_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('tenant')
    )
    op.create_table('compliance_decisions',
    sa.Column('seq', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('tenant', sa.String(length=64), nullable=False),
    sa.Column('hit_id', sa.String(length=40), nullable=False),
    sa.Column('pair_key', sa.String(length=64), nullable=False),
    sa.Column('decision', sa.String(length=24), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('user', sa.String(length=128), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('confirmed_by', sa.String(length=128), nullable=True),
    sa.Column('confirmed_at', sa.String(length=32), nullable=True),
    sa.Column('supersedes', sa.String(length=40), nullable=True),
    sa.Column('idempotency_key', sa.String(length=200), nullable=True),
    sa.Column('request_hash', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('seq'),
    sa.UniqueConstraint('id'),
    sa.UniqueConstraint('tenant', 'idempotency_key', name='uq_decisions_idempotency')
    )
    with op.batch_alter_table('compliance_decisions', schema=None) as batch_op:
        batch_op.create_index('ix_decisions_tenant_hit', ['tenant', 'hit_id'], unique=False)
        batch_op.create_index(
            'ix_decisions_tenant_pair', ['tenant', 'pair_key', 'seq'], unique=False
        )

    op.create_table('compliance_hits',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('tenant', sa.String(length=64), nullable=False),
    sa.Column('job_id', sa.String(length=64), nullable=True),
    sa.Column('screening_id', sa.String(length=100), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('record', sa.JSON(), nullable=False),
    sa.Column('record_fp', sa.String(length=64), nullable=False),
    sa.Column('list', sa.String(length=200), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=False),
    sa.Column('entity_fp', sa.String(length=64), nullable=False),
    sa.Column('pair_key', sa.String(length=64), nullable=False),
    sa.Column('schema', sa.String(length=32), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('matched_name', sa.Text(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('explanation', sa.JSON(), nullable=False),
    sa.Column('profile', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=24), nullable=False),
    sa.Column('decision_id', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('compliance_hits', schema=None) as batch_op:
        batch_op.create_index('ix_hits_tenant_job', ['tenant', 'job_id'], unique=False)
        batch_op.create_index('ix_hits_tenant_pair', ['tenant', 'pair_key'], unique=False)
        batch_op.create_index(
            'ix_hits_tenant_state_created', ['tenant', 'state', 'created_at'], unique=False
        )



def downgrade() -> None:
    with op.batch_alter_table('compliance_hits', schema=None) as batch_op:
        batch_op.drop_index('ix_hits_tenant_state_created')
        batch_op.drop_index('ix_hits_tenant_pair')
        batch_op.drop_index('ix_hits_tenant_job')

    op.drop_table('compliance_hits')
    with op.batch_alter_table('compliance_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_decisions_tenant_pair')
        batch_op.drop_index('ix_decisions_tenant_hit')

    op.drop_table('compliance_decisions')
    op.drop_table('compliance_audit_heads')
    with op.batch_alter_table('compliance_audit', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_tenant_subject')
        batch_op.drop_index('ix_audit_tenant_kind_at')

    op.drop_table('compliance_audit')
