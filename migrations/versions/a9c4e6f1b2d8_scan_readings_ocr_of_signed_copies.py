"""What OCR read on a scanned signed copy: scan_reading (domain.register.scan_reading)

Revision ID: a9c4e6f1b2d8
Revises: e12a4b7c9d30
Create Date: 2026-12-06 04:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a9c4e6f1b2d8'
down_revision = 'e12a4b7c9d30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'scan_reading',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('signed_copy_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('pages_read', sa.Integer(), nullable=False),
        sa.Column('pages_total', sa.Integer(), nullable=False),
        sa.Column('note', sa.String(length=500), nullable=False),
        sa.Column('seconds', sa.Double(), nullable=False),
        sa.Column('matches_json', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['signed_copy_id'], ['signed_copy.id'], name=op.f('fk_scan_reading_signed_copy_id_signed_copy')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_scan_reading')),
        sa.UniqueConstraint('signed_copy_id', name=op.f('uq_scan_reading_signed_copy_id')),
    )


def downgrade():
    op.drop_table('scan_reading')
