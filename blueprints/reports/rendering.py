"""The aggregated Báo cáo as .docx: the document as the editor keeps it, plus the round's annex table.

`blueprints.documents.rendering.document_data` knows nothing of annexes (a Document has no table); the table
lives with the round (`domain.report_drafts.report_annexes`) and is added here.
"""

from __future__ import annotations

from blueprints.documents.rendering import document_data
from docgen import DocumentData, Table, build_docx, suggested_filename
from docgen.annex import LANDSCAPE_WIDTH_CM, NUMBER_COLUMN_CM
from domain.report_drafts import report_annexes
from models import Document, Organization

NAME_COLUMN_MIN_CM = 4.0  # "Thành phố Tam Điệp" on one or two lines however many indicators there are


def annex_table(annex: dict) -> Table:
    """A stored annex {"title", "columns", "rows", "total_row"} as docgen's Table, the unit column kept readable."""
    figures = max(1, len(annex["columns"]) - 2)
    name = max(NAME_COLUMN_MIN_CM, (LANDSCAPE_WIDTH_CM - NUMBER_COLUMN_CM) / (figures + 1))
    widths = [NUMBER_COLUMN_CM, name] + [(LANDSCAPE_WIDTH_CM - NUMBER_COLUMN_CM - name) / figures] * figures
    return Table(title=annex["title"], columns=list(annex["columns"]), rows=annex["rows"],
                 total_row=annex.get("total_row"), widths_cm=widths if len(annex["columns"]) > 2 else None)


def report_data(document: Document, organization: Organization) -> DocumentData:
    data = document_data(document, organization)
    data.annexes = [annex_table(a) for a in report_annexes(document)]
    return data


def report_docx(document: Document, organization: Organization) -> tuple[bytes, str]:
    """(.docx bytes, suggested file name) of a Báo cáo drafted from a round."""
    data = report_data(document, organization)
    return build_docx(data), suggested_filename(data)
