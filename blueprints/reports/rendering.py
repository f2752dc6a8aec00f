"""The aggregated Báo cáo as .docx. Its annex table is kept with the round and added by `document_data`
(blueprints.documents.rendering), so every download, export and issued copy of the Báo cáo carries it."""

from __future__ import annotations

from docgen import DocumentData, build_docx, suggested_filename
from docgen.annex import table_from_stored as annex_table  # noqa: F401  (used by bench/bench_reports.py)
from docgen.records import document_data
from models import Document, Organization


def report_data(document: Document, organization: Organization) -> DocumentData:
    return document_data(document, organization)


def report_docx(document: Document, organization: Organization) -> tuple[bytes, str]:
    """(.docx bytes, suggested file name) of a Báo cáo drafted from a round."""
    data = report_data(document, organization)
    return build_docx(data), suggested_filename(data)
