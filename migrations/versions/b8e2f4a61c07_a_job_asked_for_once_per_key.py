"""A job asked for at most once per key: job.once_key, unique (the daily notices' morning run, once a day)

Revision ID: b8e2f4a61c07
Revises: b3f9d2e7a1c5
Create Date: 2026-12-07 06:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8e2f4a61c07'
down_revision = 'b3f9d2e7a1c5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('once_key', sa.String(length=128), nullable=True))
        batch_op.create_unique_constraint('uq_job_once_key', ['once_key'])
    # The mornings already asked for (keyed by their day in dedupe_key) keep their day: a worker starting after the
    # upgrade finds tomorrow's job instead of asking for a second one.
    op.execute("UPDATE job SET once_key = dedupe_key WHERE kind = 'daily_notices' AND dedupe_key <> '' AND id IN "
               "(SELECT MIN(id) FROM job WHERE kind = 'daily_notices' AND dedupe_key <> '' GROUP BY dedupe_key)")


def downgrade():
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_constraint('uq_job_once_key', type_='unique')
        batch_op.drop_column('once_key')
