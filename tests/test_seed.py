"""Demonstration data: the Ninh Bình organization, idempotent."""

from sqlalchemy import func, select

from extensions import db
from models import Organization, Unit, User

DISTRICT_SLUGS = ["thanh-pho-ninh-binh", "thanh-pho-tam-diep", "huyen-nho-quan", "huyen-gia-vien", "huyen-hoa-lu",
                  "huyen-yen-khanh", "huyen-kim-son", "huyen-yen-mo"]


def test_seed_demo_creates_the_ninh_binh_office_and_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo", "--password", "demo-12345"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["seed-demo", "--password", "demo-12345"])
    assert second.exit_code == 0, second.output
    with app.app_context():
        group = db.session.scalar(select(Unit).filter_by(slug="cac-huyen-thanh-pho"))
        assert group.is_group and [u.slug for u in group.active_members()] == DISTRICT_SLUGS
        assert db.session.scalar(select(func.count(Unit.id)).where(Unit.slug.in_(DISTRICT_SLUGS))) == 8
        names = {u.username: u for u in db.session.scalars(select(User))}
        assert {"admin", "chuyenvien", "phochutich", "vanthu", *DISTRICT_SLUGS} <= set(names)
        assert names["phochutich"].position_title == "PHÓ CHỦ TỊCH" and names["phochutich"].roles == {"approver"}
        assert names["huyen-yen-mo"].unit.slug == "huyen-yen-mo" and names["huyen-yen-mo"].roles == {"unit_reporter"}
        assert all(" " in u.full_name for u in names.values())  # plausible Vietnamese full names
        org = Organization.current()
        assert (org.place, org.symbol_suffix) == ("Ninh Bình", "MTTQ-BTT")
        for outside in ("Ban Tuyên giáo Ủy ban Trung ương MTTQVN", "Ban Tuyên giáo Tỉnh ủy Ninh Bình"):
            assert db.session.scalar(select(Unit).filter_by(name=outside, kind="external")) is not None


def test_seed_demo_without_password_prints_one_random_password_per_user(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0
    lines = [line.split() for line in result.output.splitlines() if line.startswith("  ")]
    passwords = [parts[1] for parts in lines]
    assert len(lines) == 12 and len(set(passwords)) == 12


def test_healthz_answers_without_sign_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {
        "status": "ok", "database": "ok", "migrations": "ok", "files": "ok"}
