"""A Document record -> docgen's DocumentData, its .docx, and the .docx kept when it is issued.

`document_data(document, organization)` is the one bridge from the database to docgen; the editor, the
workflow, the register and the reports use it. It is stable: it takes a Document (persistent or a transient copy
filled from a form) and the Organization, and returns plain data.
"""

from __future__ import annotations

from docgen import build_docx, suggested_filename
from docgen.annex import table_from_stored
from docgen.fields import DocumentData, Issuer, Signature, data_from_json, data_to_json
from domain import file_kinds, files
from domain.documents.workflow import NUMBERED
from domain.register.signed_copy import entry_of
from domain.reports.drafts import report_annexes
from models.choices import INTERNAL_CIRCULATION, REPORT, URGENCIES, get_kind
from models.core import Organization
from models.documents import Document
from models.register import RegisterEntry


def issuer(organization: Organization) -> Issuer:
    """The header lines, place, symbol suffix and drafting unit from the organization settings."""
    return Issuer(
        parent_lines=organization.parent_lines.splitlines(),
        name_lines=organization.name_lines.splitlines(),
        place=organization.place,
        symbol_suffix=organization.symbol_suffix,
        archive_unit=organization.archive_unit,
        full_name=organization.full_name,
    )


def document_data(document: Document, organization: Organization) -> DocumentData:
    """Everything docgen needs to write this document.

    Signature: the document's authority line ("TM. BAN THƯỜNG TRỰC"), optional deputy line ("KT. CHỦ TỊCH"),
    its signer title or else the signer's position title, and the signer's full name. Recipients are the labels
    of its Nơi nhận rows in order (docgen adds "Như trên" and the "Lưu: VT, …" line). A Kính gửi block is
    passed only for kinds that take one. A draft has no number and no date (docgen leaves blanks). A Báo cáo
    drafted from a report round gets the round's annex table.
    """
    signer = document.signer
    kind = get_kind(document.kind)
    return DocumentData(
        kind=document.kind,
        issuer=issuer(organization),
        title=document.title or "",
        body=document.body or "",
        references=document.references,
        signature=Signature(
            authority=document.signing_authority or "",
            deputy_line=document.signing_deputy_line or "",
            title=document.signer_title or (signer.position_title if signer else ""),
            name=signer.full_name if signer else "",
        ),
        recipients=[r.label for r in document.recipients if r.label],
        kinh_gui=document.kinh_gui if kind.addressed else [],
        number=document.number,
        issued_on=document.issued_on,
        year=document.year,
        # A Báo cáo drafted from a report round carries the round's figures as a landscape annex.
        annexes=[table_from_stored(a) for a in report_annexes(document)] if document.kind == REPORT and document.id else [],
        urgency=URGENCIES[document.urgency].label if document.urgency in URGENCIES else "",
        circulation=INTERNAL_CIRCULATION if document.internal_only else "",
        address=organization.address_block or "",
        particulars=document.particulars,
    )


def document_docx(document: Document) -> tuple[bytes, str]:
    """The .docx bytes and file name people download. An issued document gives the file stored when it was
    issued, which never changes (renaming a unit or a signer later must not alter what was issued); any other
    document is drawn from its current data."""
    entry = entry_of(document) if document.status in NUMBERED else None
    if entry is not None and entry.final_file is not None:
        return files.read_file(entry.final_file), entry.final_file.original_name
    data = document_data(document, Organization.current())
    return build_docx(data), suggested_filename(data)


def page_data(document: Document, organization: Organization) -> DocumentData:
    """What a document's page shows: an issued document as it was issued (kept with its register entry), any other
    from its current data."""
    entry = entry_of(document) if document.status in NUMBERED else None
    if entry is not None and entry.issued_data:
        return data_from_json(entry.issued_data)
    return document_data(document, organization)


def store_issued_docx(document: Document, entry: RegisterEntry, user) -> files.StoredFile:
    """Build the issued .docx (number and date filled in), store it and link it to the register entry; the caller
    commits, so the number and the file exist together or not at all."""
    data = document_data(document, Organization.current())
    stored = files.store_file(build_docx(data), suggested_filename(data), allowed_kinds={file_kinds.DOCX},
                              max_bytes=64 * 1024 * 1024, user=user)
    entry.final_file_id = stored.id
    entry.issued_data = data_to_json(data)  # the page of an issued document is drawn from what was issued
    return stored
