"""Archive search: Vietnamese without diacritics, filters, pagination, only what the user may see; the same
answers from SQLite FTS5, PostgreSQL full-text and the portable LIKE form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pg import throwaway_database
from register_fixtures import make_document, office_time, user
from sqlalchemy import select

from app import create_app
from domain.register import archive
from domain.register import numbering as reg
from domain.register.archive import ArchiveQuery, search, search_text, words
from extensions import db
from models import Organization, Unit, User
from models.choices import RECORDS, UNIT_REPORTER

START = office_time(2025, 12, 1, 9, 0)

# (title, kind, body, recipients by people key, when (days after START))
LIBRARY = [
    ("Tuyên truyền Chỉ thị số 07-CT/TW của Ban Bí thư", "KH", "Đẩy mạnh tuyên truyền sâu rộng.", ["group"], 0),
    ("Tổng kết công tác xây dựng Đảng năm 2025", "BC", "Kết quả xây dựng Đảng, chính quyền.", ["office"], 1),
    ("V/v tổ chức Ngày hội Đại đoàn kết", "CV", "Đề nghị các huyện chuẩn bị.", ["district"], 40),
    ("Hướng dẫn giám sát và phản biện xã hội", "HD", "Giám sát việc thực hiện chính sách.", ["other_district"], 41),
]


def issue_library(people) -> dict[str, int]:
    ids = {}
    for title, kind, body, recipients, days in LIBRARY:
        document = make_document(title, kind=kind, body=body, recipients=[people[r] for r in recipients])
        db.session.commit()
        reg.issue(document, user("records"), START + timedelta(days=days))
        db.session.commit()
        ids[title] = document.id
    make_document("Dự thảo chưa phát hành về tuyên truyền")  # approved, never issued: never in the archive
    db.session.commit()
    return ids


@pytest.fixture
def library(app, people):
    with app.app_context():
        return issue_library(people)


def titles(username: str, **filters) -> list[str]:
    rows, _more = search(user(username), ArchiveQuery(**filters))
    return [row.document.title for row in rows]


def test_words_fold_diacritics_and_d_bar():
    assert words("Tuyên truyền, ĐẢNG!  Đại-đoàn-kết 07/KH") == ["tuyen", "truyen", "dang", "dai", "doan", "ket",
                                                                "07", "kh"]
    assert search_text("Đảng", "05/KH-MTTQ-BTT") == " dang 05 kh mttq btt "


# (filters, titles expected, newest first)
SEARCHES = [
    ({"text": "tuyen truyen"}, ["Tuyên truyền Chỉ thị số 07-CT/TW của Ban Bí thư"]),
    ({"text": "TUYÊN Truyền"}, ["Tuyên truyền Chỉ thị số 07-CT/TW của Ban Bí thư"]),
    ({"text": "dang"}, ["Tổng kết công tác xây dựng Đảng năm 2025"]),
    ({"text": "đảng"}, ["Tổng kết công tác xây dựng Đảng năm 2025"]),
    ({"text": "dai doan ket"}, ["V/v tổ chức Ngày hội Đại đoàn kết"]),
    ({"text": "giam sat phan"}, ["Hướng dẫn giám sát và phản biện xã hội"]),  # a word typed half way
    ({"text": "truyen dang"}, []),  # every word must be in the document
    ({"text": "01/KH-MTTQ-BTT"}, ["Tuyên truyền Chỉ thị số 07-CT/TW của Ban Bí thư"]),
    ({"number": "02", "year": 2025}, ["Tổng kết công tác xây dựng Đảng năm 2025"]),
    ({"number": "Số: 01"}, ["V/v tổ chức Ngày hội Đại đoàn kết", "Tuyên truyền Chỉ thị số 07-CT/TW của Ban Bí thư"]),
    ({"kind": "HD"}, ["Hướng dẫn giám sát và phản biện xã hội"]),
    ({"year": 2026}, ["Hướng dẫn giám sát và phản biện xã hội", "V/v tổ chức Ngày hội Đại đoàn kết"]),
    ({"year": 2025, "text": "truyen"}, ["Tuyên truyền Chỉ thị số 07-CT/TW của Ban Bí thư"]),
    ({"signer": "thang"}, [t for t, *_ in reversed(LIBRARY)]),
    ({"signer": "nhung"}, []),
    ({"recipient": "yen mo"}, ["V/v tổ chức Ngày hội Đại đoàn kết"]),
    ({"recipient": "cac huyen"}, ["Tuyên truyền Chỉ thị số 07-CT/TW của Ban Bí thư"]),
    ({"text": "chua phat hanh"}, []),
]


@pytest.mark.parametrize("accelerate", [True, False], ids=["fts5", "like"])
def test_search_finds_vietnamese_without_diacritics_and_filters(app, library, accelerate, monkeypatch):
    monkeypatch.setattr(archive, "ACCELERATE", accelerate)
    with app.app_context():
        for filters, expected in SEARCHES:
            assert titles("records", **filters) == expected, filters


@pytest.mark.parametrize(("username", "expected"), [
    # Yên Mô: addressed directly, and through the districts' group.
    ("reporter", ["V/v tổ chức Ngày hội Đại đoàn kết", "Tuyên truyền Chỉ thị số 07-CT/TW của Ban Bí thư"]),
    ("other_reporter", ["Hướng dẫn giám sát và phản biện xã hội", "Tuyên truyền Chỉ thị số 07-CT/TW của Ban Bí thư"]),
])
def test_a_reporter_finds_only_documents_addressed_to_their_unit(app, library, username, expected):
    with app.app_context():
        assert titles(username) == expected
        assert titles(username, text="dang") == []  # the Báo cáo went to the office only


def test_the_page_filters_live_and_opens_each_result(app, client, login, library):
    login("records")
    page = client.get("/archive?q=tuyen+truyen").get_data(as_text=True)
    document_id = library["Tuyên truyền Chỉ thị số 07-CT/TW của Ban Bí thư"]
    assert "01/KH-MTTQ-BTT" in page and f"/archive/{document_id}#history" in page and "hx-get" in page
    fragment = client.get("/archive?q=dang", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert 'id="archive-results"' in body and "<html" not in body and "Đảng" in body
    assert "Tuyên truyền" not in body
    assert "Không tìm thấy văn bản nào phù hợp" in client.get("/archive?q=zzzz").get_data(as_text=True)


def test_a_document_the_user_may_not_see_is_not_found_on_the_page(app, client, login, library):
    login("reporter")
    page = client.get("/archive?q=dang").get_data(as_text=True)
    assert "xây dựng Đảng" not in page and "Không tìm thấy văn bản nào phù hợp" in page
    hidden = library["Tổng kết công tác xây dựng Đảng năm 2025"]
    assert client.get(f"/archive/{hidden}").status_code == 404


def test_results_are_paginated_newest_first(app, client, login, people):
    with app.app_context():
        for i in range(archive.PAGE_SIZE + 3):
            document = make_document(f"Thông báo số {i + 1}", kind="TB")
            db.session.commit()
            reg.issue(document, user("records"), START + timedelta(hours=i))
            db.session.commit()
    login("records")
    first = client.get("/archive?kind=TB").get_data(as_text=True)
    assert first.count("<tr>") == archive.PAGE_SIZE + 1 and "Trang sau" in first
    assert first.index("Thông báo số 23<") < first.index("Thông báo số 22<")
    second = client.get("/archive?kind=TB&page=2").get_data(as_text=True)
    assert second.count("<tr>") == 1 + 3 and "Trang trước" in second and "Thông báo số 1<" in second


def test_odd_input_is_harmless(app, client, login, library):
    login("records")
    for query in ('q="', "q=*", "q=NEAR(a b)", "q=a:b", "q=%27%20OR%201=1", "number=abc", "year=99999999",
                  "page=-3", "q=" + "x" * 5000, "q=漢字tuyên x² ǅ", "q=a" + "b" * 300, "q=١٢٣"):
        assert client.get(f"/archive?{query}").status_code == 200, query


# Prefixes of every length the index keeps (1 to 7 letters) and beyond, with and without a year: the accelerated
# search answers exactly what the portable LIKE form answers.
SAME_ANSWER = ["t", "tu", "tuy", "tuye", "tuyen", "truyen", "truyenx", "d", "dang", "c", "ch", "chinh", "b", "ba",
               "2025", "07", "0", "ngay hoi", "x", "xa", "doan ket", "de nghi", "zz"]


@pytest.mark.parametrize("username", ["records", "reporter"])
def test_the_index_answers_what_the_plain_form_answers(app, library, username, monkeypatch):
    with app.app_context():
        for text in SAME_ANSWER:
            for year in (None, 2025, 2026):
                monkeypatch.setattr(archive, "ACCELERATE", True)
                fast = titles(username, text=text, year=year)
                monkeypatch.setattr(archive, "ACCELERATE", False)
                assert fast == titles(username, text=text, year=year), (text, year)
        monkeypatch.setattr(archive, "ACCELERATE", True)
        assert titles("records", text="tuy") == [LIBRARY[0][0]]  # a word typed half way, from the index


def test_a_year_is_found_whole_when_its_keys_were_written_after_a_later_year(app, library, monkeypatch):
    """The year filter may start the newest-first walk at the year's last key, but a document of 2025 indexed again
    after the 2026 documents (search-index after a restore) has a key newer than theirs: it is still found."""
    from models import DocumentSearch

    with app.app_context():
        late = library["Tuyên truyền Chỉ thị số 07-CT/TW của Ban Bí thư"]
        db.session.execute(db.delete(DocumentSearch).where(DocumentSearch.document_id == late))
        db.session.commit()
        assert archive.build_search_index()[1] == 1
        db.session.commit()
        newest = db.session.scalar(select(DocumentSearch).order_by(DocumentSearch.id.desc()).limit(1))
        assert newest.document_id == late and newest.year == 2025
        for accelerate in (True, False):
            monkeypatch.setattr(archive, "ACCELERATE", accelerate)
            assert titles("records", year=2025, signer="thang") == [
                "Tuyên truyền Chỉ thị số 07-CT/TW của Ban Bí thư", "Tổng kết công tác xây dựng Đảng năm 2025"]
            assert titles("records", year=2026, signer="thang") == [
                "Hướng dẫn giám sát và phản biện xã hội", "V/v tổ chức Ngày hội Đại đoàn kết"]


@pytest.mark.postgres
def test_postgresql_search_uses_the_stored_tsvector_and_answers_the_same(tmp_path):
    with throwaway_database() as url:
        app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": url,
                          "FILES_DIR": str(tmp_path / "files")})
        with app.app_context():
            db.create_all()
            Organization.current()
            office = Unit(name="Văn phòng", recipient_name="Văn phòng", slug="office", kind="office")
            db.session.add(office)
            db.session.flush()
            for name, roles in (("records", {RECORDS}), ("approver", {"approver"}), ("clerk", {"clerk"})):
                u = User(username=name, full_name={"approver": "Đinh Văn Thắng"}.get(name, name), password_hash="-")
                u.set_roles(roles)
                db.session.add(u)
            db.session.commit()
            people = {key: office.id for key in ("group", "office", "district", "other_district")}
            issue_library(people)
            assert archive._accelerator_present("postgresql")
            for accelerate in (True, False):
                archive.ACCELERATE = accelerate
                try:
                    assert titles("records", text="tuyen truyen") == [LIBRARY[0][0]]
                    assert titles("records", text="dang") == [LIBRARY[1][0]]
                    assert titles("records", text="dai doan", signer="thang") == [LIBRARY[2][0]]
                    assert titles("records", text="thang", year=2025) == [LIBRARY[1][0], LIBRARY[0][0]]
                    assert titles("records", text="gi", year=2026) == [LIBRARY[3][0]]
                finally:
                    archive.ACCELERATE = True
            reporter = User(username="yenmo", full_name="Yên Mô", password_hash="-", unit_id=office.id)
            reporter.set_roles({UNIT_REPORTER})
            db.session.add(reporter)
            db.session.commit()
            assert len(titles("yenmo")) == 4
            assert db.session.scalar(select(db.func.count()).select_from(Unit)) == 1
            db.session.remove()
            db.engine.dispose()


def test_search_index_command_restores_the_accelerator_and_missing_keys(app, library):
    from models import DocumentSearch

    with app.app_context():
        db.session.execute(db.text("DROP TABLE document_search_fts"))
        for name in ("insert", "delete", "update"):
            db.session.execute(db.text(f"DROP TRIGGER IF EXISTS document_search_fts_{name}"))
        db.session.execute(db.delete(DocumentSearch).where(
            DocumentSearch.document_id == library["V/v tổ chức Ngày hội Đại đoàn kết"]))
        db.session.commit()
        archive._ACCELERATOR_PRESENT.clear()
        assert not archive._accelerator_present("sqlite")
        assert titles("records", text="dai doan ket") == []
    result = app.test_cli_runner().invoke(args=["search-index"])
    assert result.exit_code == 0 and "đã tạo" in result.output and "cho 1 văn bản" in result.output
    with app.app_context():
        assert archive._accelerator_present("sqlite")
        assert titles("records", text="dai doan ket") == ["V/v tổ chức Ngày hội Đại đoàn kết"]
        assert titles("records", text="tuyen truyen") == ["Tuyên truyền Chỉ thị số 07-CT/TW của Ban Bí thư"]
    again = app.test_cli_runner().invoke(args=["search-index"])
    assert "đã có" in again.output and "cho 0 văn bản" in again.output
