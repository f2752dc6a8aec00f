"""The archive's FTS5 table with a prefix index for every prefix of up to 7 letters and no word positions

Revision ID: b3f9d2e7a1c5
Revises: a9c4e6f1b2d8
Create Date: 2026-12-06 07:00:00.000000

Only SQLite: the FTS5 table is rebuilt from document_search (its content table; the triggers that keep it
current are on document_search and stay). PostgreSQL's GIN index is unchanged. The statements are written here
rather than taken from models.register.SEARCH_INDEX_DDL so that this step stays what it was if that changes again.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b3f9d2e7a1c5'
down_revision = 'a9c4e6f1b2d8'
branch_labels = None
depends_on = None

_CREATE = ("CREATE VIRTUAL TABLE document_search_fts USING fts5(text, signer, recipients, "
           "content='document_search', content_rowid='id', tokenize='unicode61', {options})")
_NEW = "prefix='1 2 3 4 5 6 7', detail='column'"
_OLD = "prefix='2 3'"


def _recreate(options: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE IF EXISTS document_search_fts")
    op.execute(_CREATE.format(options=options))
    op.execute("INSERT INTO document_search_fts(document_search_fts) VALUES ('rebuild')")


def upgrade():
    _recreate(_NEW)


def downgrade():
    _recreate(_OLD)
