"""Every schema change is a migration: upgrading an empty database gives exactly the models' schema."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from pg import throwaway_database
from sqlalchemy import text

from app import create_app
from extensions import db
from models.register import include_in_schema_comparison


def upgraded_app(url, tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url,
                      "FILES_DIR": str(tmp_path / "files")})
    with app.app_context():
        upgrade()
    return app


def assert_schema_matches_models(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include_in_schema_comparison})
        diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"


def test_upgrade_from_empty_on_sqlite(tmp_path):
    app = upgraded_app(f"sqlite:///{tmp_path / 'm.sqlite3'}", tmp_path)
    assert_schema_matches_models(app)
    with app.app_context():
        fts = db.session.execute(text("SELECT name FROM sqlite_master WHERE name = 'document_search_fts'")).scalar()
        assert fts == "document_search_fts", "the archive's FTS5 table is created by the migration"
    with app.app_context():
        downgrade(revision="base")
        upgrade()


@pytest.mark.postgres
def test_upgrade_from_empty_on_postgresql(tmp_path):
    with throwaway_database() as url:
        app = upgraded_app(url, tmp_path)
        assert_schema_matches_models(app)
        with app.app_context():
            tsv = db.session.execute(text(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'document_search' AND column_name = 'text_tsv'")).scalar()
            assert tsv == "text_tsv", "the archive's tsvector column is created by the migration"
            db.session.remove()
            db.engine.dispose()
