"""Signed copies: the check of their digital signatures and of their body; the certificates the office trusts

Revision ID: d5e8a3c6f201
Revises: c4d1a7e2b913
Create Date: 2026-12-06 04:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5e8a3c6f201'
down_revision = 'c4d1a7e2b913'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('trusted_certificate',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('subject', sa.String(length=500), nullable=False),
        sa.Column('issuer', sa.String(length=500), nullable=False),
        sa.Column('serial', sa.String(length=100), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('not_before', sa.DateTime(), nullable=False),
        sa.Column('not_after', sa.DateTime(), nullable=False),
        sa.Column('der', sa.LargeBinary(), nullable=False),
        sa.Column('added_by_id', sa.Integer(), nullable=True),
        sa.Column('added_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['added_by_id'], ['user.id'], name=op.f('fk_trusted_certificate_added_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_trusted_certificate')),
        sa.UniqueConstraint('sha256', name=op.f('uq_trusted_certificate_sha256'))
    )
    with op.batch_alter_table('signed_copy', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signature_report', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('signature_state', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('body_check', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('signed_copy', schema=None) as batch_op:
        batch_op.drop_column('body_check')
        batch_op.drop_column('signature_state')
        batch_op.drop_column('signature_report')
    op.drop_table('trusted_certificate')
