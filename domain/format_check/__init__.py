"""The format checker: any .docx against the thể thức rules of Nghị định 30/2020 (../shared/nd30/format-spec.md).

    check_docx(data, kind=None) -> CheckReport     static checks (the .docx's XML); FormatCheckError if unreadable
    docgen.rendered_checks.check_rendered(data, report) adds the checks of the printed pages (LibreOffice)

Pure Python (python-docx's lxml, no Flask). Each finding names its rule, severity (models.choices ERROR for what
ND30 makes mandatory, WARNING for UNCONFIRMED settings and style preferences), element, paragraph, the text, what
was expected and found, and the rule's source; see findings.py for how paragraphs are counted.
"""

from domain.format_check.engine import check_docx
from domain.format_check.findings import ELEMENTS, CheckReport, Finding
from domain.format_check.package import FormatCheckError

__all__ = ["ELEMENTS", "CheckReport", "Finding", "FormatCheckError", "check_docx"]
