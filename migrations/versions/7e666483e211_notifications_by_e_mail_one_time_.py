"""Notifications by e-mail (SMTP settings, per-user mail mode, per-notification mail state, one per event key);
one-time passwords that must be changed at first sign-in

Revision ID: 7e666483e211
Revises: f742a67d9f96
Create Date: 2026-12-06 03:20:04.708279

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7e666483e211'
down_revision = 'f742a67d9f96'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows get the defaults the models give new ones.
    op.create_table('mail_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('port', sa.Integer(), nullable=False),
    sa.Column('security', sa.String(length=20), nullable=False),
    sa.Column('username', sa.String(length=255), nullable=False),
    sa.Column('password', sa.String(length=255), nullable=False),
    sa.Column('sender', sa.String(length=255), nullable=False),
    sa.Column('base_url', sa.String(length=255), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_settings'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=30), nullable=False, server_default='general'))
        batch_op.add_column(sa.Column('key', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('mail_state', sa.String(length=20), nullable=False, server_default='mail_not_wanted'))
        batch_op.add_column(sa.Column('mail_attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('mailed_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_notification_mail_state'), ['mail_state'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_notification_user_id_key'), ['user_id', 'key'])

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('mail_mode', sa.String(length=20), nullable=False, server_default='mail_immediate'))
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False, server_default=sa.false()))



def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
        batch_op.drop_column('mail_mode')
        batch_op.drop_column('email')

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_notification_user_id_key'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_notification_mail_state'))
        batch_op.drop_column('mailed_at')
        batch_op.drop_column('mail_attempts')
        batch_op.drop_column('mail_state')
        batch_op.drop_column('key')
        batch_op.drop_column('kind')

    op.drop_table('mail_settings')
