"""The register of one year: every number given, reserved, cancelled or recalled; reserving and cancelling a
number, the Excel and print copies, the numbering mode."""

from __future__ import annotations

import io

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import joinedload

from blueprints import is_partial_request, render, roles_required
from blueprints.forms import choices
from blueprints.params import parse_int
from blueprints.register import bp, export
from blueprints.register.forms import CancelForm, ModeForm, ReserveForm
from blueprints.shared import BUSY
from domain import clock
from domain.access import can
from domain.office import office_date
from domain.register import numbering as reg
from domain.register.numbering import RegisterError
from extensions import db
from models import Organization, Register, RegisterEntry
from models.choices import ADMIN, APPROVER, CLERK, PLAN, RECORDS
from models.numbers import number_text

READERS = (RECORDS, CLERK, APPROVER, ADMIN)
INDEX = "register/index.html"


def _selected(year_arg, register_arg) -> tuple[int, Register, list[Register]]:
    registers = reg.all_registers()
    if not registers:
        reg.register_for(PLAN)  # the default register, on first use
        db.session.commit()
        registers = reg.all_registers()
    register = next((r for r in registers if str(r.id) == str(register_arg or "")), None)
    register = register or next((r for r in registers if r.active), registers[0])
    this_year = office_date(clock.now()).year
    year = parse_int(year_arg, 1990, this_year + 1) or this_year
    return year, register, registers


def _entries(register: Register, year: int) -> list[RegisterEntry]:
    return list(db.session.scalars(
        select(RegisterEntry).options(joinedload(RegisterEntry.document), joinedload(RegisterEntry.cancelled_by))
        .where(RegisterEntry.register_id == register.id, RegisterEntry.year == year)
        .order_by(RegisterEntry.number)))


def _years(register: Register) -> list[int]:
    years = set(db.session.scalars(select(RegisterEntry.year).where(RegisterEntry.register_id == register.id)
                                   .distinct()))
    years.add(office_date(clock.now()).year)
    return sorted(years, reverse=True)


def _page_context(year: int, register: Register, registers: list[Register], reserve_form=None,
                  cancel_errors=None, cancel_typed=None) -> dict:
    reserve_form = reserve_form or ReserveForm(formdata=None, register_id=register.id)
    reserve_form.register_id.choices = choices([(r.id, r.name) for r in registers if r.active])
    entries = _entries(register, year)
    return {
        "year": year, "register": register, "registers": registers, "years": _years(register),
        "entries": entries, "reserve_form": reserve_form, "cancel_errors": cancel_errors or {},
        "cancel_typed": cancel_typed or {}, "next_number": reg.last_number(register, year) + 1,
        "recall_reasons": export.recall_reasons(entries), "can_edit": can(current_user, "keep_register"),
        "is_admin": can(current_user, "administer"),
        "this_year": office_date(clock.now()).year,
    }


@bp.get("/register")
@roles_required(*READERS)
def index():
    """The register of one year: every number given, reserved, cancelled or recalled (ND30 Phụ lục IV)."""
    year, register, registers = _selected(request.args.get("year"), request.args.get("register_id"))
    return render(INDEX, "register_body", **_page_context(year, register, registers))


@bp.post("/register/reserve")
@roles_required(RECORDS)
def reserve():
    """Take the next number in advance for a document that will come later."""
    form = ReserveForm()
    registers = reg.all_registers()
    form.register_id.choices = choices([(r.id, r.name) for r in registers if r.active])
    register = db.session.get(Register, form.register_id.data) if form.register_id.data else None
    if form.validate_on_submit() and register is not None:
        try:
            entry = reg.reserve(register, current_user, clock.now(), form.note.data)
            db.session.commit()
        except RegisterError as error:
            db.session.rollback()
            form.note.errors = [*form.note.errors, error.message]
        except OperationalError:
            db.session.rollback()
            form.note.errors = [*form.note.errors, BUSY]
        else:
            flash(f"Đã giữ trước số {number_text(entry.number)} năm {entry.year} ({register.name}).", "success")
            if is_partial_request():
                year, register, registers = _selected(entry.year, register.id)
                return render(INDEX, "register_body", **_page_context(year, register, registers))
            return redirect(url_for("register.index", year=entry.year, register_id=register.id), code=303)
    year, selected, registers = _selected(None, register.id if register else None)
    return render(INDEX, "register_body", **_page_context(year, selected, registers, reserve_form=form))


@bp.post("/register/entries/<int:entry_id>/cancel")
@roles_required(RECORDS)
def cancel(entry_id: int):
    """Cancel a reserved number, with a reason; the number is never given again."""
    entry = db.get_or_404(RegisterEntry, entry_id)
    form = CancelForm()
    error = None
    if form.validate_on_submit():
        try:
            reg.cancel_reserved(entry, current_user, form.reason.data, clock.now())
            db.session.commit()
        except RegisterError as exc:
            db.session.rollback()
            error = exc.message
        else:
            flash(f"Đã hủy số giữ trước {number_text(entry.number)} năm {entry.year}.", "success")
            if not is_partial_request():
                return redirect(url_for("register.index", year=entry.year, register_id=entry.register_id), code=303)
    else:
        error = next(iter(form.reason.errors), "Vui lòng ghi lý do hủy số.")
    entry = db.session.get(RegisterEntry, entry_id)
    year, register, registers = _selected(entry.year, entry.register_id)
    context = _page_context(year, register, registers, cancel_errors={entry.id: error} if error else None,
                            cancel_typed={entry.id: form.reason.data or ""})
    return render(INDEX, "register_body", **context)


@bp.get("/register/export.xlsx")
@roles_required(*READERS)
def export_xlsx():
    """The register of a year as an Excel workbook with the Phụ lục IV columns."""
    year, register, _registers = _selected(request.args.get("year"), request.args.get("register_id"))
    entries = _entries(register, year)
    data = export.workbook(Organization.current(), register, year, entries)
    name = f"so-van-ban-di-{year}.xlsx" if not register.kind_codes else f"so-van-ban-di-{register.kinds}-{year}.xlsx"
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.get("/register/print")
@roles_required(*READERS)
def print_view():
    """The register of a year laid out for printing (A4 landscape)."""
    year, register, registers = _selected(request.args.get("year"), request.args.get("register_id"))
    entries = _entries(register, year)
    return render_template("register/print.html", year=year, register=register, organization=Organization.current(),
                           rows=export.rows(entries, export.recall_reasons(entries)))


@bp.route("/register/settings", methods=["GET", "POST"])
@roles_required(ADMIN)
def settings():
    """Choose one register for all kinds or one register per kind."""
    form = ModeForm(mode=reg.numbering_mode()) if request.method == "GET" else ModeForm()
    if form.validate_on_submit():
        changed = reg.set_numbering_mode(form.mode.data, current_user)
        db.session.commit()
        flash("Đã lưu cách đánh số." if changed else "Cách đánh số không thay đổi.", "success" if changed else "info")
        return redirect(url_for("register.settings"), code=303)
    return render_template("register/settings.html", form=form, registers=reg.all_registers(),
                           mode=reg.numbering_mode())
