"""What the format checker says about a .docx: findings (one broken rule each) and the report that holds them.

Where a finding is:
- `element`: one of ELEMENTS (the part of the document, as a person names it);
- `paragraph`: the 0-based index of the paragraph among ALL the document body's paragraphs in document order, as
  `domain.format_check.paragraphs.paragraphs()` lists them: top-level paragraphs, each table cell's paragraphs
  where the table appears (row by row, cell by cell, nested tables inside their cell), and the paragraphs of a
  text box or frame right after the paragraph that anchors it (Word's own copy for old readers, mc:Fallback, is
  skipped). Headers, footers and footnotes are not counted. `CheckReport.paragraph_texts` gives each one's text.
- `paragraphs`: every paragraph concerned when the same rule is broken in several places (`paragraph` is the
  first of them);
- `page`: the 1-based page, for the rendered checks (docgen.rendered_checks).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from models.choices import ERROR, FINDING_SEVERITIES, WARNING

PAGE, HEADER, QUOC_HIEU, TIEU_NGU, ISSUER = "page", "header", "quoc_hieu", "tieu_ngu", "issuer"
NUMBER, PLACE_DATE, TITLE, TRICH_YEU, BODY = "number", "place_date", "title", "trich_yeu", "body"
SIGNATURE, NOI_NHAN, PAGE_NUMBERS, ANNEX = "signature", "noi_nhan", "page_numbers", "annex"

# Element keys in the order a document reads, with the heading a person sees for each group of findings.
ELEMENTS: dict[str, str] = {
    PAGE: "Trang (khổ giấy, lề, phông chữ)",
    HEADER: "Phần đầu văn bản",
    QUOC_HIEU: "Quốc hiệu",
    TIEU_NGU: "Tiêu ngữ",
    ISSUER: "Tên cơ quan ban hành",
    NUMBER: "Số, ký hiệu",
    PLACE_DATE: "Địa danh, ngày tháng",
    TITLE: "Tên loại văn bản",
    TRICH_YEU: "Trích yếu",
    BODY: "Nội dung",
    SIGNATURE: "Chữ ký (quyền hạn, chức vụ, họ tên)",
    NOI_NHAN: "Nơi nhận",
    PAGE_NUMBERS: "Số trang",
    ANNEX: "Phụ lục",
}

EXCERPT_CHARS = 80


def excerpt(text: str) -> str:
    """At most EXCERPT_CHARS characters of a paragraph's text, on one line."""
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


@dataclass(frozen=True)
class Finding:
    rule: str  # stable id, e.g. "page.margins", "quoc_hieu.font", "number.format"
    severity: str  # models.choices.ERROR or WARNING
    element: str  # a key of ELEMENTS
    message: str  # Vietnamese: what is wrong and what to do
    expected: str = ""  # what the rule wants ("13 pt", "in hoa, đậm")
    found: str = ""  # what the document has
    paragraph: int | None = None  # see the module's docstring
    page: int | None = None  # 1-based, when known (rendered checks)
    text: str = ""  # the text concerned, at most EXCERPT_CHARS characters
    source: str = ""  # the rule's source as in format-spec.md ("NĐ 30/2020, Phụ lục I, II.1")
    paragraphs: tuple[int, ...] = ()  # every paragraph concerned when there are several

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def severity_label(self) -> str:
        return FINDING_SEVERITIES[self.severity].label

    @property
    def element_label(self) -> str:
        return ELEMENTS.get(self.element, self.element)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["paragraphs"] = list(self.paragraphs)
        data["severity_label"], data["element_label"] = self.severity_label, self.element_label
        return data


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    # What was recognized where: element key -> the paragraph indexes it covers (see the module's docstring).
    elements: dict[str, list[int]] = field(default_factory=dict)
    rendered: bool = False  # True once docgen.rendered_checks has added the checks of the printed pages
    pages: int | None = None  # number of pages, when rendered
    paragraph_texts: list[str] = field(default_factory=list)  # each paragraph's text, by index
    kind: str | None = None  # the tên loại recognized or given ("Kế hoạch"), None when none was found

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def ok(self) -> bool:
        """No error (warnings allowed)."""
        return not self.errors

    def by_element(self) -> list[tuple[str, str, list[Finding]]]:
        """(element key, its Vietnamese heading, its findings: errors first), in the order a document reads."""
        groups = []
        for key, label in ELEMENTS.items():
            found = [f for f in self.findings if f.element == key]
            if found:
                groups.append((key, label, sorted(found, key=lambda f: (not f.is_error, f.paragraph or 0))))
        return groups

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "rendered": self.rendered,
            "pages": self.pages,
            "kind": self.kind,
            "elements": {key: list(indexes) for key, indexes in self.elements.items()},
            "findings": [f.to_dict() for f in self.findings],
        }
