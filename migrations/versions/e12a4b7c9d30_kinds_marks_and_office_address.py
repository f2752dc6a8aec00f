"""More kinds: a document's urgency, internal circulation and its kind's own fields; the office's address (ô 13)

Revision ID: e12a4b7c9d30
Revises: b7d3c1f09a42
Create Date: 2026-12-06 04:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e12a4b7c9d30'
down_revision = 'b7d3c1f09a42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('urgency', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('internal_only', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('particulars_json', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address_block', sa.Text(), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_column('address_block')
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_column('particulars_json')
        batch_op.drop_column('internal_only')
        batch_op.drop_column('urgency')
