"""Effective formatting of a paragraph and of its runs, as Word resolves it.

A property is taken from the first place that sets it, in Word's order: the run's own properties, its character
style (and the styles it is based on), the paragraph's style chain (the document's default paragraph style when
the paragraph names none), the table's style for a paragraph in a table, then the document defaults. A theme font
(asciiTheme="minorHAnsi") is read from the theme. Toggle properties (bold, italic, caps) are taken from the first
level that sets them, which is what documents do in practice (Word's XOR of toggles across style levels is not
modelled). Automatic numbering's own indents (numbering.xml) are not read.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from domain.plans.word.xml import VAL, W, int_val

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_OFF = {"0", "false", "off", "none"}
NO_LINE = frozenset(_OFF | {"nil"})  # border values that draw nothing
DEFAULT_SIZE_PT = 10.0  # OOXML's size when nothing sets one
DEFAULT_FONT = "Times New Roman"  # OOXML's font when nothing sets one


@dataclass(frozen=True)
class RunFormat:
    fonts: tuple[str, ...]  # the effective ascii and hAnsi fonts (Vietnamese letters use hAnsi)
    size: float  # pt
    bold: bool
    italic: bool
    caps: bool  # shown in capitals whatever was typed
    color: str  # "000000", "auto" or another RGB
    underline: bool


@dataclass(frozen=True)
class ParagraphFormat:
    style: str  # style name ("Normal", "VB Nội dung")
    align: str  # left, center, right, both (justified), ...
    left_twips: int
    right_twips: int
    first_line_twips: int  # negative for a hanging indent
    before_pt: float
    after_pt: float
    line: int | None  # w:spacing/@w:line
    line_rule: str  # auto (240ths of a line), exact, atLeast
    bottom_border: bool  # a rule drawn as the paragraph's bottom border
    keep_next: bool
    boxed: bool = False  # borders on all four sides (a stamp such as KHẨN in its rectangle)


class Styles:
    """The styles part, the theme fonts and the document defaults of one .docx."""

    def __init__(self, styles_root, theme_root=None):
        self.by_id: dict[str, object] = {}
        self.default_paragraph = None
        self.rpr_default = self.ppr_default = None
        if styles_root is not None:
            for style in styles_root.iter(W + "style"):
                self.by_id[style.get(W + "styleId") or ""] = style
                if style.get(W + "type") == "paragraph" and (style.get(W + "default") or "").lower() in ("1", "true"):
                    self.default_paragraph = style
            defaults = styles_root.find(W + "docDefaults")
            if defaults is not None:
                self.rpr_default = defaults.find(f"{W}rPrDefault/{W}rPr")
                self.ppr_default = defaults.find(f"{W}pPrDefault/{W}pPr")
        self.theme_fonts = _theme_fonts(theme_root)
        # A run's format depends only on its own properties, its paragraph's style and its table's style: most runs
        # of a document share a handful of those, so each is resolved once.
        self._run_formats: dict[tuple, RunFormat] = {}
        self._paragraph_formats: dict[tuple, ParagraphFormat] = {}

    # ---- chains of property elements, most specific first ----
    def _chain(self, style) -> list:
        seen, chain = set(), []
        while style is not None and id(style) not in seen:
            seen.add(id(style))
            chain.append(style)
            based = style.find(W + "basedOn")
            style = self.by_id.get(based.get(VAL)) if based is not None else None
        return chain

    def paragraph_styles(self, p) -> list:
        ps = p.find(f"{W}pPr/{W}pStyle")
        style = self.by_id.get(ps.get(VAL)) if ps is not None else self.default_paragraph
        return self._chain(style if style is not None else self.default_paragraph)

    def _table_styles(self, table) -> list:
        if table is None:
            return []
        ts = table.find(f"{W}tblPr/{W}tblStyle")
        return self._chain(self.by_id.get(ts.get(VAL))) if ts is not None else []

    def ppr_chain(self, p, table=None) -> list:
        chain = [p.find(W + "pPr")]
        chain += [s.find(W + "pPr") for s in self.paragraph_styles(p)]
        chain += [s.find(W + "pPr") for s in self._table_styles(table)]
        return [e for e in chain + [self.ppr_default] if e is not None]

    def rpr_chain(self, r, p, table=None) -> list:
        chain = []
        if r is not None:
            rpr = r.find(W + "rPr")
            chain.append(rpr)
            rs = rpr.find(W + "rStyle") if rpr is not None else None
            if rs is not None:
                chain += [s.find(W + "rPr") for s in self._chain(self.by_id.get(rs.get(VAL)))]
        else:  # the paragraph mark: how an empty paragraph is sized
            chain.append(p.find(f"{W}pPr/{W}rPr"))
        chain += [s.find(W + "rPr") for s in self.paragraph_styles(p)]
        chain += [s.find(W + "rPr") for s in self._table_styles(table)]
        return [e for e in chain + [self.rpr_default] if e is not None]

    # ---- resolved formats ----
    def run_format(self, r, p, table=None) -> RunFormat:
        own = r.find(W + "rPr") if r is not None else p.find(f"{W}pPr/{W}rPr")
        key = (r is None, _xml(own), _val(p.find(f"{W}pPr/{W}pStyle")), _table_style(table))
        if key not in self._run_formats:
            self._run_formats[key] = self._run_format(r, p, table)
        return self._run_formats[key]

    def _run_format(self, r, p, table) -> RunFormat:
        chain = self.rpr_chain(r, p, table)
        size = _first(chain, "sz", lambda e: int_val(e.get(VAL)))
        color = _first(chain, "color", lambda e: e.get(VAL))
        underline = _first(chain, "u", lambda e: (e.get(VAL) or "single") not in _OFF)
        return RunFormat(
            fonts=(self._font(chain, "ascii"), self._font(chain, "hAnsi")),
            size=size / 2 if size else DEFAULT_SIZE_PT,
            bold=bool(_first(chain, "b", _toggle)),
            italic=bool(_first(chain, "i", _toggle)),
            caps=bool(_first(chain, "caps", _toggle)),
            color=(color or "auto").upper() if color and color.lower() != "auto" else "auto",
            underline=bool(underline),
        )

    def _font(self, chain, slot: str) -> str:
        for rpr in chain:
            fonts = rpr.find(W + "rFonts")
            if fonts is None:
                continue
            theme = fonts.get(W + slot + "Theme")
            if theme:
                return self.theme_fonts.get("major" if theme.startswith("major") else "minor", "") or theme
            name = fonts.get(W + slot)
            if name:
                return name
        return DEFAULT_FONT

    def paragraph_format(self, p, table=None) -> ParagraphFormat:
        key = (_xml(p.find(W + "pPr")), _table_style(table))
        if key not in self._paragraph_formats:
            self._paragraph_formats[key] = self._paragraph_format(p, table)
        return self._paragraph_formats[key]

    def _paragraph_format(self, p, table) -> ParagraphFormat:
        chain = self.ppr_chain(p, table)
        ind = _attrs(chain, "ind", ("left", "start", "right", "end"))
        first = _first(chain, "ind", _first_line)
        spacing = _attrs(chain, "spacing", ("before", "after", "line", "lineRule", "beforeAutospacing",
                                            "afterAutospacing"))  # fmt: skip
        style_chain = self.paragraph_styles(p)
        name = style_chain[0].find(W + "name") if style_chain else None
        return ParagraphFormat(
            style=name.get(VAL) if name is not None else "",
            align=_first(chain, "jc", lambda e: e.get(VAL)) or "left",
            left_twips=int_val(ind.get("left") or ind.get("start"), 0),
            right_twips=int_val(ind.get("right") or ind.get("end"), 0),
            first_line_twips=first or 0,
            before_pt=_space(spacing, "before"),
            after_pt=_space(spacing, "after"),
            line=int_val(spacing.get("line")),
            line_rule=spacing.get("lineRule") or "auto",
            bottom_border=bool(_first(chain, "pBdr", _has_bottom)),
            keep_next=bool(_first(chain, "keepNext", _toggle)),
            boxed=bool(_first(chain, "pBdr", _has_box)),
        )


def _xml(element) -> bytes:
    return etree.tostring(element) if element is not None else b""


def _val(element) -> str | None:
    return element.get(VAL) if element is not None else None


def _table_style(table) -> str | None:
    return _val(table.find(f"{W}tblPr/{W}tblStyle")) if table is not None else None


def _first(chain, tag: str, read):
    """The value read from the first element of the chain that has a child w:<tag> giving one."""
    for props in chain:
        child = props.find(W + tag)
        if child is not None:
            value = read(child)
            if value is not None:
                return value
    return None


def _attrs(chain, tag: str, names: tuple[str, ...]) -> dict[str, str]:
    """Each attribute of w:<tag> from the first level that sets that attribute."""
    found: dict[str, str] = {}
    for props in chain:
        child = props.find(W + tag)
        if child is None:
            continue
        for name in names:
            value = child.get(W + name)
            if value is not None and name not in found:
                found[name] = value
    return found


def _toggle(e) -> bool:
    return (e.get(VAL) or "true").lower() not in _OFF


def _first_line(e) -> int | None:
    if e.get(W + "hanging") is not None:
        return -(int_val(e.get(W + "hanging"), 0) or 0)
    return int_val(e.get(W + "firstLine"))


def _has_bottom(e) -> bool | None:
    bottom = e.find(W + "bottom")
    return None if bottom is None else (bottom.get(VAL) or "") not in _OFF | {"nil"}


def _has_box(e) -> bool | None:
    sides = [e.find(W + side) for side in ("top", "left", "bottom", "right")]
    return all(side is not None and (side.get(VAL) or "") not in _OFF | {"nil"} for side in sides)


def _space(spacing: dict[str, str], side: str) -> float:
    if (spacing.get(side + "Autospacing") or "").lower() in ("1", "true", "on"):
        return 14.0  # Word's "auto" spacing of HTML paragraphs
    return (int_val(spacing.get(side), 0) or 0) / 20


def _theme_fonts(theme) -> dict[str, str]:
    fonts = {}
    if theme is None:
        return fonts
    for key in ("major", "minor"):
        latin = theme.find(f".//{A}{key}Font/{A}latin")
        if latin is not None and latin.get("typeface"):
            fonts[key] = latin.get("typeface")
    return fonts
