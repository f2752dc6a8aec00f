"""Onboarding a province from an .xlsx: 130 communes and wards with their reporters previewed, confirmed and
printed with one-time passwords; each account must change its password at first sign-in; a bad file (duplicate
codes, unknown parents, blank names, formulas, 10,000 rows, not a workbook) is refused with a message per row and
nothing is saved."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from onboarding_fixtures import SLIP_ROW, TITLES, counts, preview, province, workbook
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from domain.onboarding.sheet import MAX_ROWS
from extensions import db as _db
from models import AuditEvent, Unit, User
from models.choices import DONE, JOB_ONBOARDING, UNIT_REPORTER
from models.jobs import Job

_counts = counts


def test_a_province_of_130_units_is_previewed_confirmed_and_printed_with_one_time_passwords(app, client, login,
                                                                                             people):
    login("admin")
    before = _counts(app)
    shown = preview(client, workbook(province()), name="xa-phuong-ninh-binh.xlsx")
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "Tệp hợp lệ: 131 đơn vị mới, 130 tài khoản báo cáo." in page
    assert _counts(app) == before  # a preview saves nothing
    digest = re.search(r'name="digest" value="([0-9a-f]{64})"', page).group(1)
    done = client.post("/admin/onboarding/confirm", data={"digest": digest, "filename": "xa-phuong-ninh-binh.xlsx"})
    assert done.status_code == 303 and "/admin/onboarding/jobs/" in done.headers["Location"]
    printed = client.get(done.headers["Location"]).get_data(as_text=True)  # the job ran at the commit (tests)
    assert "Đã tạo 131 đơn vị và 130 tài khoản báo cáo" in printed
    slips = re.findall(r'<section class="onboarding-slip">', printed)
    accounts = dict(SLIP_ROW.findall(printed))
    assert len(slips) == 130 and len(accounts) == 130 and len(set(accounts.values())) == 130
    assert _counts(app) == (before[0] + 131, before[1] + 130)
    with app.app_context():
        group = _db.session.scalar(select(Unit).where(Unit.slug == "xa-phuong"))
        assert group.is_group and len(group.children) == 130
        reporter = _db.session.scalar(select(User).where(User.username == "x-thu-nghiem-1"))
        assert reporter.roles == {UNIT_REPORTER} and reporter.must_change_password
        assert (reporter.email, reporter.phone) == ("canbo1@mttq.example.vn", "0912001001")
        assert reporter.unit.name == "Ủy ban MTTQ Việt Nam xã Thử Nghiệm 1"
        job = _db.session.scalar(select(Job).where(Job.kind == JOB_ONBOARDING))
        admin_id = _db.session.scalar(select(User.id).where(User.username == "admin"))
        assert (job.state, job.created_by_id) == (DONE, admin_id)
        events = {e.action: e for e in _db.session.scalars(select(AuditEvent).where(
            AuditEvent.action.in_(("onboarding.confirm", "onboarding.import"))))}
        assert events["onboarding.import"].after == {"units": 131, "accounts": 130, "job": job.id}
        assert events["onboarding.confirm"].after == {"file": "xa-phuong-ninh-binh.xlsx", "units": 131,
                                                      "accounts": 130, "job": job.id}
        assert events["onboarding.confirm"].user.username == "admin"
    again = client.post("/admin/onboarding/confirm", data={"digest": digest})  # the file is spent
    assert again.status_code == 422 and _counts(app) == (before[0] + 131, before[1] + 130)
    # The first reporter signs in with the password from the slip: every page leads to the password change.
    first = accounts["x-thu-nghiem-1"]
    login("x-thu-nghiem-1", first)
    assert client.get("/").headers["Location"].endswith("/account/password")
    assert client.get("/my-tasks", headers={"HX-Request": "true"}).headers["HX-Redirect"].endswith("/account/password")
    same = client.post("/account/password", data={"current": first, "new": first, "confirm": first})
    assert "Mật khẩu mới phải khác mật khẩu hiện tại." in same.get_data(as_text=True)
    changed = client.post("/account/password", data={"current": first, "new": "mat-khau-rieng-1", "confirm":
                                                       "mat-khau-rieng-1"})
    assert changed.status_code == 303
    assert client.get("/").status_code == 200
    with app.app_context():
        assert not _db.session.scalar(select(User).where(User.username == "x-thu-nghiem-1")).must_change_password
    # Another slip's password works the same way: every slip's password is the account's.
    login("p-thu-nghiem-3", accounts["p-thu-nghiem-3"])
    assert client.get("/").headers["Location"].endswith("/account/password")


def test_every_bad_row_is_named_and_nothing_is_saved(app, client, login, people):
    login("admin")
    before = _counts(app)
    book = Workbook()
    sheet = book.active
    sheet.append(TITLES)
    sheet.append(["Ủy ban MTTQ xã An Hòa", "", "", "xa-an-hoa", "Lê Văn An", "", ""])
    sheet.append(["Ủy ban MTTQ xã An Hòa mới", "", "", "xa-an-hoa", "", "", ""])  # row 3: the same code
    sheet.append(["Ủy ban MTTQ xã Bình Minh", "Huyện Không Có", "", "xa-binh-minh", "", "", ""])  # unknown parent
    sheet.append(["", "", "", "xa-trong", "Trần Thị B", "", ""])  # row 5: no name
    sheet.append(["Ủy ban MTTQ xã Công Thức", "", "", "xa-cong-thuc", "Phạm C", "", ""])
    sheet["F6"] = "=A2&\"x\""  # row 6: a formula
    sheet.append(["Ủy ban MTTQ xã Sai", "", "Tổ dân phố", "Xã Sai!", "", "12345", "khong-phai-thu"])  # row 7
    sheet.append(["Huyện Yên Mô", "", "", "huyen-yen-mo", "Đỗ D", "", ""])  # row 8: the seed's code, same name: ok
    sheet.append(["Ủy ban khác", "", "", "office", "", "", ""])  # row 9: a code the directory uses for another unit
    out = io.BytesIO()
    book.save(out)
    refused = preview(client, out.getvalue())
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "chưa có gì được lưu" in page
    for message in ("Dòng 3: mã đơn vị “xa-an-hoa” trùng với dòng 2.",
                    "Dòng 4: không tìm thấy đơn vị cấp trên “Huyện Không Có” (trong tệp hay trong hệ thống).",
                    "Dòng 5: thiếu “Tên đơn vị”.",
                    "Dòng 6: ô cột “Số điện thoại” chứa công thức; hãy dán giá trị (Dán đặc biệt → Giá trị).",
                    "Dòng 7: mã đơn vị “xã sai!” chỉ được gồm chữ thường không dấu, chữ số và dấu gạch ngang.",
                    "Dòng 7: loại đơn vị “Tổ dân phố” không có",
                    "Dòng 7: số điện thoại “12345” không hợp lệ (ví dụ 0912 345 678).",
                    "Dòng 7: thư điện tử “khong-phai-thu” không hợp lệ.",
                    "Dòng 7: có số điện thoại hoặc thư điện tử nhưng thiếu họ tên cán bộ báo cáo.",
                    "Dòng 9: mã đơn vị “office” đã dùng cho đơn vị “Ban Thường trực Ủy ban MTTQVN tỉnh” trong hệ thống."):
        assert message in page, message
    assert "Dòng 8" not in page and "Đơn vị đã có: chỉ thêm tài khoản" in page
    assert 'name="digest"' not in page  # no confirmation offered
    assert _counts(app) == before


def test_too_many_rows_are_refused_with_the_limit(app, client, login, people):
    login("admin")
    rows = [[f"Đơn vị {n}", "", "", f"don-vi-{n}", "", "", ""] for n in range(10_000)]
    refused = preview(client, workbook(rows))
    assert refused.status_code == 422
    assert f"Tệp có hơn {MAX_ROWS:,} dòng dữ liệu".replace(",", ".") in refused.get_data(as_text=True)


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml", bytes(80 * 1024 * 1024))  # 80 MB of zeros, ~80 KB packed
    return out.getvalue()


@pytest.mark.parametrize("data, message", [
    (zip_bomb(), "quá lớn khi giải nén"),
    (b"PK\x03\x04 not really a workbook", "không phải bảng tính Excel .xlsx"),
    (b"Ten don vi;Ma\nXa A;xa-a\n", "không phải bảng tính Excel .xlsx"),
    (workbook([], titles=["Tên", "Ghi chú"]), "Dòng tiêu đề thiếu cột “Tên đơn vị”, “Mã đơn vị”"),
    (workbook([]), "chỉ có dòng tiêu đề"),
])
def test_a_file_that_is_not_the_template_is_refused_in_vietnamese(app, client, login, people, data, message):
    login("admin")
    refused = preview(client, data)
    assert refused.status_code == 422 and message in refused.get_data(as_text=True)


def test_the_template_has_the_column_titles_and_only_administrators_onboard(app, client, login, people):
    login("reporter")
    assert client.get("/admin/onboarding").status_code == 403
    assert preview(client, workbook(province(2))).status_code == 403
    login("admin")
    assert "Tải tệp mẫu" in client.get("/admin/onboarding").get_data(as_text=True)
    response = client.get("/admin/onboarding/template.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data))
    assert [c.value for c in book.worksheets[0][1]] == TITLES and book.worksheets[0].max_row == 1
    assert preview(client, response.data).status_code == 422  # the template alone has no unit yet
    assert client.post("/admin/onboarding/confirm", data={"digest": "../../etc"}).status_code == 422
    assert client.post("/admin/onboarding/preview", data={}, csrf=False).status_code == 400


def test_a_password_set_by_the_administrator_must_be_changed_at_next_sign_in(app, client, login, people):
    login("admin")
    with app.app_context():
        reporter_id = _db.session.scalar(select(User.id).where(User.username == "reporter"))
    assert client.post(f"/admin/users/{reporter_id}/password", data={"password": "tam-thoi-123"}).status_code == 303
    assert "Mật khẩu tạm thời" in client.get("/admin/users").get_data(as_text=True)
    login("reporter", "tam-thoi-123")
    assert client.get("/my-tasks").headers["Location"].endswith("/account/password")
    assert client.post("/account/password", data={"current": "tam-thoi-123", "new": "cua-rieng-toi-9",
                                                  "confirm": "cua-rieng-toi-9"}).status_code == 303
    assert client.get("/my-tasks").status_code == 200
