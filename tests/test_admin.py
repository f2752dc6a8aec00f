"""Administration: users, units, organization settings and the audit log."""

import re

from conftest import field_error

from extensions import db
from models import AuditEvent, Organization, Unit, User


def new_user_form(**overrides):
    form = {"username": "chuyenvien2", "full_name": "Trần Thị Bích", "position_title": "", "unit_id": 0,
            "roles": ["clerk"], "active": "y", "password": "mot-mat-khau-dai"}
    form.update(overrides)
    return form


def test_admin_creates_a_user_who_signs_in_with_a_one_time_password_and_must_change_it(app, client, login, people):
    login("admin")
    assert "người dùng phải đổi" in client.get("/admin/users/new").get_data(as_text=True)
    form = new_user_form(unit_id=people["office"])
    assert client.post("/admin/users/new", data=form).status_code == 303
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(username="chuyenvien2"))
        assert user.roles == {"clerk"} and user.unit_id == people["office"] and user.must_change_password
        event = db.session.scalar(db.select(AuditEvent).filter_by(action="user_create"))
        assert event.object_id == user.id and event.after["roles"] == ["clerk"]
    listed = client.get("/admin/users").get_data(as_text=True)
    assert re.search(r"chuyenvien2.*?Mật khẩu tạm thời", listed, re.S)
    client.post("/logout")
    login("chuyenvien2", "mot-mat-khau-dai")
    # The administrator knows this password: every page leads to the change until the person sets their own.
    assert client.get("/documents").headers["Location"].endswith("/account/password")
    assert client.get("/", headers={"HX-Request": "true"}).headers["HX-Redirect"].endswith("/account/password")
    changed = client.post("/account/password", data={"current": "mot-mat-khau-dai", "new": "cua-rieng-chuyen-vien",
                                                     "confirm": "cua-rieng-chuyen-vien"})
    assert changed.status_code == 303 and client.get("/documents").status_code == 200
    with app.app_context():
        assert not db.session.scalar(db.select(User).filter_by(username="chuyenvien2")).must_change_password


import pytest  # noqa: E402


@pytest.mark.parametrize("overrides,message", [
    ({"username": "co dau cach"}, "không có dấu cách"),
    ({"username": ""}, "không được để trống"),
    ({"username": "x" * 65}, "từ 3 đến 64"),
    ({"username": "clerk"}, "đã có người dùng"),
    ({"full_name": ""}, "không được để trống"),
    ({"full_name": "A" * 121}, "Tối đa 120"),
    ({"password": ""}, "mật khẩu ban đầu"),
    ({"password": "ngan"}, "ít nhất 8 ký tự"),
])
def test_bad_user_input_is_explained_and_nothing_is_saved(app, client, login, people, overrides, message):
    login("admin")
    with app.app_context():
        before = db.session.scalar(db.select(db.func.count(User.id)))
    response = client.post("/admin/users/new", data=new_user_form(**overrides))
    assert response.status_code == 200
    assert any(message in e for e in field_error(response.get_data(as_text=True)))
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == before


def test_admin_cannot_lock_themselves_out(app, client, login, people):
    login("admin")
    with app.app_context():
        me = db.session.scalar(db.select(User).filter_by(username="admin"))
        form = {"username": "admin", "full_name": me.full_name, "unit_id": me.unit_id, "roles": ["clerk"], "active": "y"}
    response = client.post(f"/admin/users/{me.id}", data=form)
    assert "không thể tự bỏ quyền quản trị" in response.get_data(as_text=True)


def test_reset_password_ends_the_users_sessions(app, client, login, people):
    other = app.test_client()
    other.post("/login", data={"username": "clerk", "password": "mat-khau-thu-nghiem"})
    assert other.get("/").status_code == 200
    login("admin")
    with app.app_context():
        clerk_id = db.session.scalar(db.select(User.id).filter_by(username="clerk"))
    assert client.post(f"/admin/users/{clerk_id}/password", data={"password": "mat-khau-moi-123"}).status_code == 303
    assert other.get("/").status_code == 302


def unit_form(**overrides):
    form = {"name": "Huyện Hoa Lư", "recipient_name": "", "slug": "", "kind": "subordinate", "parent_id": 0,
            "sort_order": 10, "active": "y"}
    form.update(overrides)
    return form


def test_admin_creates_a_unit_under_a_group_with_a_generated_slug(app, client, login, people):
    login("admin")
    assert client.post("/admin/units/new", data=unit_form(parent_id=people["group"])).status_code == 303
    with app.app_context():
        unit = db.session.scalar(db.select(Unit).filter_by(slug="huyen-hoa-lu"))
        group = db.session.get(Unit, people["group"])
        assert unit.parent_id == group.id and unit in group.active_members()
        assert unit.recipient_name == "Huyện Hoa Lư"


def test_a_unit_cannot_become_its_own_ancestor(app, client, login, people):
    login("admin")
    response = client.post(f"/admin/units/{people['group']}", data=unit_form(name="Các huyện, thành phố", slug="districts",
                                                                             parent_id=people["district"]))
    assert any("chính nó" in e for e in field_error(response.get_data(as_text=True)))
    with app.app_context():
        assert db.session.get(Unit, people["group"]).parent_id == people["office"]


def test_duplicate_slug_is_refused(app, client, login, people):
    login("admin")
    response = client.post("/admin/units/new", data=unit_form(name="Huyện Yên Mô"))
    assert any("đã được dùng" in e for e in field_error(response.get_data(as_text=True)))


def test_reorder_moves_a_unit_among_its_siblings(app, client, login, people):
    login("admin")
    client.post(f"/admin/units/{people['other_district']}/move/up")
    with app.app_context():
        group = db.session.get(Unit, people["group"])
        assert [u.name for u in group.children] == ["Huyện Kim Sơn", "Huyện Yên Mô"]


def test_deactivated_unit_is_kept_with_its_users(app, client, login, people):
    login("admin")
    form = unit_form(name="Huyện Yên Mô", slug="huyen-yen-mo", parent_id=people["group"])
    del form["active"]
    assert client.post(f"/admin/units/{people['district']}", data=form).status_code == 303
    with app.app_context():
        unit = db.session.get(Unit, people["district"])
        assert not unit.active and db.session.scalar(db.select(User).filter_by(username="reporter")).unit_id == unit.id
        group = db.session.get(Unit, people["group"])
        assert unit not in group.active_members()


def test_organization_settings_are_validated_and_audited(app, client, login, people):
    login("admin")
    bad = client.post("/admin/organization", data={"parent_lines": "ỦY BAN MTTQ VIỆT NAM", "name_lines": "BAN THƯỜNG TRỰC",
                                                   "place": "Ninh Bình", "symbol_suffix": "mttq btt", "archive_unit": "BTG"})
    assert any("Ký hiệu viết hoa" in e for e in field_error(bad.get_data(as_text=True)))
    good = client.post("/admin/organization", data={"parent_lines": "ỦY BAN MTTQ VIỆT NAM\r\nTỈNH NINH BÌNH",
                                                    "name_lines": "BAN THƯỜNG TRỰC", "place": "Ninh Bình",
                                                    "full_name": "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Ninh Bình",
                                                    "symbol_suffix": "MTTQ-BTT", "archive_unit": "BTG"})
    assert good.status_code == 303
    with app.app_context():
        assert Organization.current().parent_lines == "ỦY BAN MTTQ VIỆT NAM\nTỈNH NINH BÌNH"
        assert db.session.scalar(db.select(AuditEvent).filter_by(action="organization_update")) is not None


def test_audit_log_filters_by_action_and_user(app, client, login, people):
    login("admin")
    client.post("/admin/units/new", data=unit_form())
    page = client.get("/admin/audit?action=unit_create").get_data(as_text=True)
    assert "Tạo đơn vị Huyện Hoa Lư" in page and "Đăng nhập" not in page
    assert "Ngày không hợp lệ" in client.get("/admin/audit?from=31-12-2026").get_data(as_text=True)
    fragment = client.get("/admin/audit?action=login", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="audit-table">')


def test_non_admins_cannot_see_administration(client, login, people):
    login("clerk")
    for url in ("/admin/users", "/admin/units", "/admin/organization", "/admin/audit"):
        response = client.get(url)
        assert response.status_code == 403 and "Không có quyền truy cập" in response.get_data(as_text=True)
