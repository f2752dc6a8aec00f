"""A scanned signed copy's searchable PDF made by OCR: signed_copy.searchable_file_id (domain.register.scan_reading)

Revision ID: c8e2f5a7d914
Revises: b8e2f4a61c07
Create Date: 2026-12-06 06:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c8e2f5a7d914'
down_revision = 'b8e2f4a61c07'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signed_copy', schema=None) as batch_op:
        batch_op.add_column(sa.Column('searchable_file_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_signed_copy_searchable_file_id_stored_file', 'stored_file',
                                    ['searchable_file_id'], ['id'])


def downgrade():
    with op.batch_alter_table('signed_copy', schema=None) as batch_op:
        batch_op.drop_constraint('fk_signed_copy_searchable_file_id_stored_file', type_='foreignkey')
        batch_op.drop_column('searchable_file_id')
