"""A stored file lives and dies with the transaction that recorded it: nothing orphaned, nothing lost."""

from __future__ import annotations

from sqlalchemy.orm import Session

from domain import file_kinds, files
from domain.files import store_file
from extensions import db as _db

PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _store(data: bytes, name: str = "ban-ky.pdf"):
    return store_file(data, name, allowed_kinds={file_kinds.PDF}, max_bytes=1024 * 1024, user=None)


def test_a_file_written_by_a_transaction_that_fails_is_removed(app):
    with app.app_context():
        stored = _store(PDF + b"%1")
        path = files.file_path(stored)
        assert path.exists()
        _db.session.rollback()
        assert not path.exists()


def test_a_committed_file_stays(app):
    with app.app_context():
        stored = _store(PDF + b"%2")
        _db.session.commit()
        assert files.file_path(stored).exists() and files.verify_all() == []


def test_a_failed_upload_of_bytes_already_kept_leaves_them_in_place(app):
    with app.app_context():
        kept = _store(PDF + b"%3")
        _db.session.commit()
        _store(PDF + b"%3", "lan-hai.pdf")
        _db.session.rollback()
        assert files.read_file(kept) == PDF + b"%3"


def test_a_request_that_fails_after_writing_leaves_no_file(app):
    with app.app_context():
        with app.test_request_context("/", method="POST"):
            stored = _store(PDF + b"%4")
            path = files.file_path(stored)
        _db.session.remove()  # the end of a request that did not commit
        assert not path.exists()


def test_bytes_removed_by_a_failed_transaction_are_written_again_by_one_that_commits(app):
    """Two uploads of the same bytes at once: the first fails after the second found its file and reused it."""
    with app.app_context():
        first = _db.session
        stored = _store(PDF + b"%5")
        path = files.file_path(stored)
        other = Session(bind=_db.engine)
        try:
            # The second transaction finds the bytes on disk (written by the first) and records them.
            rel, created = files._write_once(PDF + b"%5", stored.sha256)
            assert not created
            other.info[files.WRITTEN] = [(rel, stored.sha256, PDF + b"%5", False)]
            row = files.StoredFile(sha256=stored.sha256, size=stored.size, content_type=stored.content_type,
                                   kind=stored.kind, original_name="cung-noi-dung.pdf", storage_path=rel)
            other.add(row)
            first.rollback()  # the first fails: nothing committed refers to the bytes yet, so they go
            assert not path.exists()
            other.commit()  # the second commits and puts them back
            assert path.exists() and files.read_file(row) == PDF + b"%5"
        finally:
            other.close()
