"""The shared tools of the rule modules: the document as recognized, and ways to state a finding.

`Doc` holds what recognition found; `Checker` collects findings, with helpers for the checks every element needs
(size within a range, bold / italic / capitals as the rule wants), each saying in Vietnamese what was expected
and what was found.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.format_check import nd30
from domain.format_check.findings import Finding, excerpt
from domain.format_check.formatting import Styles
from domain.format_check.package import Package
from domain.format_check.paragraphs import Para, Span
from domain.format_check.recognize import Header, Title
from domain.format_check.recognize_end import End
from models.choices import ERROR, WARNING

__all__ = ["Checker", "Doc", "ERROR", "WARNING", "pt"]


@dataclass
class Doc:
    package: Package
    styles: Styles
    paras: list[Para]
    header: Header
    title: Title
    end: End
    body: list[Para]
    kind: str | None  # the tên loại ("Kế hoạch"), given or recognized; nd30.CONG_VAN for a V/v without one
    element_of: dict[int, str] = field(default_factory=dict)  # paragraph index -> element key


def pt(value: float) -> str:
    return f"{value:g}".replace(".", ",") + " pt"


def _sizes_found(span: Span) -> str:
    return ", ".join(pt(s) for s in span.sizes())


class Checker:
    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def add(self, rule: str, severity: str, element: str, message: str, *, at: Span | Para | None = None,
            expected: str = "", found: str = "", source: str = "", paras: list[Para] | None = None) -> None:
        paragraph = text = None
        if at is not None:
            para = at.para if isinstance(at, Span) else at
            paragraph, text = para.index, at.text if isinstance(at, Span) else para.stripped
        elif paras:
            paragraph, text = paras[0].index, paras[0].stripped
        self.findings.append(Finding(
            rule=rule, severity=severity, element=element, message=message, expected=expected, found=found,
            paragraph=paragraph, text=excerpt(text or ""), source=source,
            paragraphs=tuple(p.index for p in paras) if paras and len(paras) > 1 else (),
        ))  # fmt: skip

    # ---- the usual checks of one element's text ----
    def size(self, rule: str, element: str, span: Span, bounds: tuple[float, float], what: str, source: str,
             severity: str = ERROR) -> None:
        if not all(nd30.in_range(s, bounds) for s in span.sizes()):
            self.add(rule, severity, element,
                     f"{what} phải có cỡ chữ {nd30.sizes_text(bounds)}; hãy đặt lại cỡ chữ.",
                     at=span, expected=nd30.sizes_text(bounds), found=_sizes_found(span), source=source)

    def look(self, rule: str, element: str, span: Span, what: str, source: str, *, bold: bool | None = None,
             italic: bool | None = None, upper: bool | None = None, severity: str = ERROR) -> None:
        """Bold, italic and capitals as the rule wants them (None: not part of the rule)."""
        wanted, found = [], []
        wrong = False
        for flag, yes, no, attr in ((upper, "in hoa", "chữ thường", None), (bold, "đậm", "không đậm", "bold"),
                                    (italic, "nghiêng", "đứng (không nghiêng)", "italic")):  # fmt: skip
            if flag is None:
                continue
            wanted.append(yes if flag else no)
            if attr is None:
                actual = span.shown_upper()
                found.append(yes if actual else no)
            else:
                actual = span.all(attr) if flag else span.any(attr)
                found.append((yes if span.all(attr) else "một phần " + yes) if span.any(attr) else no)
            wrong = wrong or actual != flag
        if wrong:
            self.add(rule, severity, element, f"{what} phải trình bày {', '.join(wanted)}; hãy sửa lại kiểu chữ.",
                     at=span, expected=", ".join(wanted), found=", ".join(found), source=source)
