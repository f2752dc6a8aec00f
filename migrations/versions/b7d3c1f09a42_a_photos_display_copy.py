"""A photo's reduced copy for display: stored_file.display_file_id (domain.photos)

Revision ID: b7d3c1f09a42
Revises: d5e8a3c6f201
Create Date: 2026-12-06 04:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d3c1f09a42'
down_revision = 'd5e8a3c6f201'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.add_column(sa.Column('display_file_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_stored_file_display_file_id_stored_file', 'stored_file',
                                    ['display_file_id'], ['id'])


def downgrade():
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.drop_constraint('fk_stored_file_display_file_id_stored_file', type_='foreignkey')
        batch_op.drop_column('display_file_id')
