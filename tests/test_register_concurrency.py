"""Two clerks issuing at the same instant never get the same number and never leave a gap.

200 approved documents are issued from 8 threads, each with its own app context, session and connection,
against a SQLite file database in WAL mode and against a throw-away PostgreSQL database. Then the register must
hold exactly the numbers 1..200, one per document.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from pg import throwaway_database
from register_fixtures import office_time
from sqlalchemy import select

from app import create_app
from domain.documents import workflow
from domain.register import numbering as reg
from extensions import db
from models import Document, Organization, RegisterEntry, User
from models.choices import APPROVER, RECORDS

DOCUMENTS = 200
WORKERS = 8
NOW = office_time(2026, 5, 4, 8, 0)


def _prepare(app) -> tuple[int, list[int]]:
    with app.app_context():
        db.create_all()
        Organization.current()
        clerk = User(username="vanthu", full_name="Lê Thị Hồng Nhung", password_hash="-")
        clerk.set_roles({RECORDS})
        signer = User(username="phochutich", full_name="Đinh Văn Thắng", password_hash="-", position_title="PHÓ CHỦ TỊCH")
        signer.set_roles({APPROVER})
        db.session.add_all([clerk, signer])
        db.session.flush()
        # Approved documents as the workflow leaves them: signed by the vice-chair (no issue without a signer).
        documents = [Document(kind="KH" if i % 3 else "CV", title=f"Văn bản {i}", status=workflow.APPROVED,
                              year=2026, body="Nội dung văn bản.", signer_id=signer.id, signer_title="PHÓ CHỦ TỊCH",
                              signing_authority="TM. BAN THƯỜNG TRỰC") for i in range(DOCUMENTS)]
        db.session.add_all(documents)
        reg.register_for("KH")
        db.session.commit()
        return clerk.id, [d.id for d in documents]


def _issue_all(app, user_id: int, document_ids: list[int]) -> list[tuple[int, int]]:
    """Issue every document from WORKERS threads that start together; (document id, number) per issue."""
    start = threading.Barrier(WORKERS)

    def worker(share: list[int]) -> list[tuple[int, int]]:
        out = []
        with app.app_context():
            start.wait()
            for document_id in share:
                user = db.session.get(User, user_id)
                document = db.session.get(Document, document_id)
                entry = reg.issue(document, user, NOW)
                db.session.commit()
                out.append((document_id, entry.number))
            db.session.remove()
        return out

    shares = [document_ids[i::WORKERS] for i in range(WORKERS)]
    with ThreadPoolExecutor(WORKERS) as pool:
        return [pair for result in pool.map(worker, shares) for pair in result]


def _assert_no_duplicate_and_no_gap(app, issued: list[tuple[int, int]], document_ids: list[int]) -> None:
    numbers = sorted(n for _, n in issued)
    assert numbers == list(range(1, DOCUMENTS + 1))
    with app.app_context():
        rows = db.session.execute(select(RegisterEntry.number, RegisterEntry.document_id, Document.number)
                                  .join(Document, Document.id == RegisterEntry.document_id)).all()
        assert sorted(r[0] for r in rows) == list(range(1, DOCUMENTS + 1))
        assert all(entry_number == document_number for entry_number, _, document_number in rows)
        assert sorted(r[1] for r in rows) == sorted(document_ids)
        assert reg.last_number(reg.register_for("KH"), 2026) == DOCUMENTS
        db.session.remove()
        db.engine.dispose()


def test_200_issues_from_8_threads_on_sqlite_give_1_to_200(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'c.db'}",
                      "FILES_DIR": str(tmp_path / "files")})
    user_id, document_ids = _prepare(app)
    with app.app_context():
        assert db.session.execute(db.text("PRAGMA journal_mode")).scalar() == "wal"
    issued = _issue_all(app, user_id, document_ids)
    _assert_no_duplicate_and_no_gap(app, issued, document_ids)


@pytest.mark.postgres
def test_200_issues_from_8_threads_on_postgresql_give_1_to_200(tmp_path):
    with throwaway_database() as url:
        app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": url,
                          "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": WORKERS, "max_overflow": 2},
                          "FILES_DIR": str(tmp_path / "files")})
        user_id, document_ids = _prepare(app)
        issued = _issue_all(app, user_id, document_ids)
        _assert_no_duplicate_and_no_gap(app, issued, document_ids)


@pytest.mark.postgres
def test_a_double_click_on_postgresql_issues_once(tmp_path):
    """Both requests start from an approved page; the second waits on the row lock and sees it issued."""
    with throwaway_database() as url:
        app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": url,
                          "FILES_DIR": str(tmp_path / "files")})
        user_id, document_ids = _prepare(app)
        start = threading.Barrier(2)

        def click():
            with app.app_context():
                document = db.session.get(Document, document_ids[0])
                user = db.session.get(User, user_id)
                start.wait()
                try:
                    entry = reg.issue(document, user, NOW)
                    db.session.commit()
                    return entry.number
                except workflow.StaleAction as stale:
                    db.session.rollback()
                    return stale.current_status
                finally:
                    db.session.remove()

        with ThreadPoolExecutor(2) as pool:
            results = sorted(map(str, pool.map(lambda _: click(), range(2))))
        assert results == ["1", "issued"]
        with app.app_context():
            assert reg.last_number(reg.register_for("KH"), 2026) == 1
            db.session.remove()
            db.engine.dispose()
