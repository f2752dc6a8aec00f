"""The two-column editor with its live page preview (a new document, or one still being drafted), and the
read-only page of a document this user may no longer change."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_blocks
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from blueprints import render, roles_required
from blueprints.context import local_time
from blueprints.documents import bp, particulars
from blueprints.documents import recipients as picker
from blueprints.documents.document_list import number_line
from blueprints.documents.forms import (
    AUTHORITY_SUGGESTIONS,
    DEPUTY_SUGGESTIONS,
    TITLE_SUGGESTIONS,
    DocumentForm,
    single_line,
)
from blueprints.forms import choices
from blueprints.params import posted_id, query_int
from docgen.records import document_data, page_data
from docgen.sheet import sheet
from domain.access import EDITOR_ROLES, READER_ROLES, document_for
from domain.documents.return_notes import return_notes
from domain.documents.workflow import approvers, status_of
from domain.office import office_today
from extensions import db
from models import Document, DocumentRecipient, DocumentRevision, Organization, User
from models.choices import KINDS, PLAN, URGENCIES
from models.core import audit
from models.documents import DRAFT, document_revisions

EDITOR = "documents/editor.html"


def _office_year() -> int:
    return office_today().year


def _signer_choices(current_id: int | None) -> list:
    """Active approvers with their position titles; the document's own signer stays listed even if not."""
    signers = approvers()
    if current_id and current_id not in {u.id for u in signers} and (user := db.session.get(User, current_id)):
        signers.append(user)
    pairs = [(0, "(Chưa chọn người ký)")]
    pairs += [(u.id, f"{u.full_name} — {u.position_title}" if u.position_title else u.full_name) for u in signers]
    return choices(pairs)


def _form_for(document: Document | None, data: dict | None = None) -> DocumentForm:
    """The form filled from the request when posted, else from `data` (a document's or a revision's content)."""
    if request.method == "POST":
        form = DocumentForm()
        form.particulars_json.data = particulars.posted(request.form, form.kind.data)
    else:
        data = data or {}
        form = DocumentForm(
            kind=data.get("kind") or PLAN, title=data.get("title", ""), references_text=data.get("references", ""),
            body=data.get("body", ""), kinh_gui_text=data.get("kinh_gui", ""), signer_id=data.get("signer_id") or 0,
            signing_authority=data.get("signing_authority", "TM. BAN THƯỜNG TRỰC"),
            signing_deputy_line=data.get("signing_deputy_line", ""), signer_title=data.get("signer_title", ""),
            urgency=data.get("urgency", ""), internal_only=bool(data.get("internal_only")),
            particulars_json=data.get("particulars_json", ""),
            lock_version=str(document.lock_version) if document else "",
        )
    form.signer_id.choices = _signer_choices(document.signer_id if document else None)
    return form


def _fields(form: DocumentForm) -> dict:
    kind = form.kind.data if form.kind.data in KINDS else PLAN
    return {
        "kind": kind,
        "title": form.title.data or "",
        "references_text": form.references_text.data or "",
        "body": form.body.data or "",
        "kinh_gui_text": form.kinh_gui_text.data or "",
        "signer_id": form.signer_id.data or None,
        "signing_authority": form.signing_authority.data or "",
        "signing_deputy_line": form.signing_deputy_line.data or "",
        "signer_title": form.signer_title.data or "",
        "urgency": form.urgency.data if form.urgency.data in URGENCIES else "",
        "internal_only": bool(form.internal_only.data),
        "particulars_json": form.particulars_json.data or "",
    }


def unsaved_copy(fields: dict, entries: list[picker.Entry], base: Document | None) -> Document:
    """A Document never added to the session, holding what the form says: what the preview is drawn from."""
    copy = Document(**fields, status=base.status if base else DRAFT, number=base.number if base else None,
                    issued_on=base.issued_on if base else None, year=base.year if base else _office_year())
    copy.signer = db.session.get(User, fields["signer_id"]) if fields.get("signer_id") else None
    copy.recipients = [DocumentRecipient(position=i, unit_id=e.unit_id, text=e.text, unit=e.unit)
                       for i, e in enumerate(entries)]
    return copy


def _editor(form: DocumentForm, document: Document | None, entries: list[picker.Entry], *, block: str | None = None,
            notice: str | None = None, picker_message: str | None = None, locked: bool = False, status: int = 200):
    """The editor page (or one of its blocks for an htmx request) for the form as it stands."""
    org = Organization.current()
    preview = sheet(document_data(unsaved_copy(_fields(form), entries, document), org))
    action = url_for(".show", document_id=document.id) if document else url_for(".new")
    context = dict(
        form=form, document=document, entries=entries, directory=picker.directory(), organization=org,
        sheet=preview, action=action, notice=notice, picker_message=picker_message, locked=locked,
        recipient_problems=picker.problems(entries), revisions=document_revisions(document.id) if document else [],
        authority_suggestions=AUTHORITY_SUGGESTIONS, deputy_suggestions=DEPUTY_SUGGESTIONS,
        title_suggestions=TITLE_SUGGESTIONS, kind=KINDS[_fields(form)["kind"]],
        # A line that could not be added stays in its box; after a successful "Thêm dòng" the box is emptied.
        add_text=request.form.get("add_text", "") if picker_message else "",
        # Returned: the reason and the reviewer's comments at the top, each line's beside the body.
        returned=return_notes(document) if document else None,
    )
    response = Response(render(EDITOR, block, **context), status=status)
    if block == "recipients":
        # After the swap, so that the preview reads the new list from the form.
        response.headers["HX-Trigger-After-Swap"] = "recipients-changed"
    return response


def _posted_entries() -> tuple[list[picker.Entry], str, str | None]:
    """The posted Nơi nhận rows and the button pressed. On "save", a line left typed in the "Dòng khác" box is
    added rather than lost (Enter in that box, or Lưu without pressing "Thêm dòng")."""
    entries = picker.posted_entries(request.form)
    op = request.form.get("op") or "save"
    message = None
    if op == "save" and single_line(request.form.get("add_text")):
        entries, message = picker.apply(entries, "add-text", request.form)
    return entries, op, message


def _picker_step(form: DocumentForm, document: Document | None, entries: list[picker.Entry], op: str):
    """One button of the Nơi nhận picker: change the list in the form, save nothing."""
    entries, message = picker.apply(entries, op, request.form)
    return _editor(form, document, entries, block="recipients", picker_message=message)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITOR_ROLES)
def new():
    """Choose a kind, then draft a new document."""
    if request.method == "GET":
        kind = request.args.get("kind", "")
        if kind not in KINDS:
            return render_template("documents/new.html")
        return _editor(_form_for(None, {"kind": kind}), None, [])
    form = _form_for(None)
    entries, op, message = _posted_entries()
    if op != "save":
        return _picker_step(form, None, entries, op)
    if not form.validate_on_submit() or picker.problems(entries) or message:
        db.session.rollback()
        return _editor(form, None, entries, picker_message=message)
    document = Document(status=DRAFT, year=_office_year(), created_by_id=current_user.id)
    db.session.add(document)
    document.update_content(_fields(form), [(e.unit_id, e.text) for e in entries], current_user,
                            form.reason.data or "Tạo văn bản")
    audit("document_create", document, user=current_user, summary=f"Tạo {document.kind_info.name.lower()} "
          f"“{document.title[:120]}”", after=document.summary())
    db.session.commit()
    flash("Đã tạo dự thảo văn bản.", "success")
    return redirect(url_for(".show", document_id=document.id), code=303)


@bp.get("/<int:document_id>")
def show(document_id: int):
    """Open a document: the editor while this user may change it, else the read-only page."""
    document = document_for(current_user, document_id) or abort(404)
    if document.editable_by(current_user):
        data = document.content()
        notice = None
        if (number := query_int("from_revision", minimum=0)) is not None:
            revision = db.first_or_404(select(DocumentRevision).where(
                DocumentRevision.document_id == document.id, DocumentRevision.number == number))
            data = revision.data
            notice = (f"Biểu mẫu đang chứa nội dung của phiên bản {number}. Bấm “Lưu” để dùng lại nội dung này "
                      "(phiên bản hiện tại vẫn được giữ trong lịch sử).")
        form = _form_for(document, data)
        entries = picker.content_entries(data)
        return _editor(form, document, entries, notice=notice)
    return _read_only(document)


def _stale_notice(document: Document) -> str:
    last = document.last_revision()
    who = last.author.full_name if last and last.author else "người khác"
    when = local_time(last.created_at, "%H:%M ngày %d/%m/%Y") if last else ""
    return (f"Văn bản vừa được {who} lưu lúc {when}, sau khi bạn mở trang này. Nội dung của bạn CHƯA được lưu và "
            "vẫn còn nguyên trong biểu mẫu. Hãy mở văn bản ở thẻ khác để xem bản mới nhất; nếu bấm “Lưu” lần nữa, "
            "nội dung của bạn sẽ thay thế bản đó (bản đó vẫn được giữ trong lịch sử phiên bản).")


@bp.post("/<int:document_id>")
@roles_required(*EDITOR_ROLES)
def update(document_id: int):
    """Save the editor: a new revision when the content changed; a stale page is refused, its text kept."""
    document = document_for(current_user, document_id) or abort(404)
    form = _form_for(document)
    entries, op, message = _posted_entries()
    if op != "save":
        return _picker_step(form, document, entries, op)
    if not document.editable_by(current_user):
        db.session.rollback()  # nothing to write: let other writers go while the page is drawn
        label = status_of(document.status).label
        return _editor(form, document, entries, locked=True, status=409, notice=(
            f"Văn bản đang ở trạng thái “{label}” nên không sửa được nữa; chưa có gì được lưu. "
            "Nội dung bạn vừa nhập vẫn còn bên dưới để bạn sao chép."))
    if (form.lock_version.data or "") != str(document.lock_version):
        form.lock_version.data = str(document.lock_version)
        notice = _stale_notice(document)
        db.session.rollback()
        return _editor(form, document, entries, notice=notice, status=409)
    if not form.validate_on_submit() or picker.problems(entries) or message:
        db.session.rollback()
        return _editor(form, document, entries, picker_message=message)
    before = document.content()
    try:
        revision = document.update_content(_fields(form), [(e.unit_id, e.text) for e in entries], current_user,
                                           form.reason.data)
        if revision is None:
            db.session.rollback()
            flash("Không có thay đổi nào cần lưu.", "info")
            return redirect(url_for(".show", document_id=document.id), code=303)
        after = document.content()
        audit("document_update", document, user=current_user,
              summary=f"Lưu văn bản “{document.title[:120]}” (phiên bản {revision.number})",
              after={"revision": revision.number, "changed": [k for k in after if before.get(k) != after[k]]})
        db.session.commit()
    except StaleDataError:  # someone saved between our read and our write
        db.session.rollback()
        document = document_for(current_user, document_id) or abort(404)
        form.lock_version.data = str(document.lock_version)
        return _editor(form, document, entries, notice=_stale_notice(document), status=409)
    flash(f"Đã lưu văn bản (phiên bản {revision.number}).", "success")
    return redirect(url_for(".show", document_id=document.id), code=303)


@bp.post("/preview")
@roles_required(*EDITOR_ROLES)
def preview():
    """Redraw the page preview and the outline warnings from the editor form as typed (nothing is saved)."""
    document = None
    if document_id := posted_id(request.form.get("document_id")):
        document = document_for(current_user, document_id) or abort(404)
    form = _form_for(document)
    entries = picker.posted_entries(request.form)
    preview_sheet = sheet(document_data(unsaved_copy(_fields(form), entries, document), Organization.current()))
    html = render_blocks(EDITOR, ["preview", "outline_warnings"], sheet=preview_sheet, oob=True, document=document)
    return Response(html, mimetype="text/html")


def _read_only(document: Document):
    org = Organization.current()
    staff = current_user.has_role(*READER_ROLES)
    data = page_data(document, org)
    return render_template("documents/view.html", document=document, sheet=sheet(data), signature=data.signature,
                           revisions=document_revisions(document.id) if staff else [], show_revisions=staff,
                           number_line=number_line(document, org.symbol_suffix))
