"""What a document's styles (word/styles.xml) add to the text Word shows: numbering given by a paragraph style
("Heading 1" numbered I., II., ...), and run properties that change what is seen (all caps, hidden text).

A style inherits from the style it is based on (w:basedOn); the nearest definition wins. Paragraphs without a
style have the default paragraph style.
"""

from __future__ import annotations

from domain.plans.word.xml import W, child_val, int_val, toggle

_MAX_DEPTH = 20  # a basedOn chain longer than this is a loop in a damaged file


class Styles:
    def __init__(self, root=None):
        self._styles: dict[str, object] = {}
        self.default_paragraph: str | None = None
        self._defaults = None  # docDefaults' run properties
        self._numbering: dict[str, tuple[str, int | None] | None] = {}
        self._flags: dict[tuple[str, str], bool | None] = {}
        if root is None:
            return
        for style in root.iter(W + "style"):
            style_id = style.get(W + "styleId")
            if style_id is None:
                continue
            self._styles.setdefault(style_id, style)
            if style.get(W + "type") == "paragraph" and (style.get(W + "default") or "").lower() in ("1", "true"):
                self.default_paragraph = self.default_paragraph or style_id
        self._defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")

    def _chain(self, style_id: str | None):
        """The style and those it is based on, nearest first."""
        seen = 0
        while style_id is not None and style_id in self._styles and seen < _MAX_DEPTH:
            style = self._styles[style_id]
            yield style
            style_id, seen = child_val(style, "basedOn"), seen + 1

    def numbering(self, style_id: str | None) -> tuple[str, int | None] | None:
        """(numId, ilvl or None) a paragraph style numbers its paragraphs with, or None."""
        if style_id is None:
            return None
        if style_id not in self._numbering:
            found = None
            for style in self._chain(style_id):
                num_pr = style.find(f"{W}pPr/{W}numPr")
                if num_pr is not None:
                    num_id = child_val(num_pr, "numId")
                    found = (num_id, int_val(child_val(num_pr, "ilvl"))) if num_id is not None else None
                    break
            self._numbering[style_id] = found
        return self._numbering[style_id]

    def flag(self, style_id: str | None, name: str) -> bool | None:
        """A run toggle (caps, vanish) as a paragraph or character style sets it, or None."""
        if style_id is None:
            return None
        key = (style_id, name)
        if key not in self._flags:
            value = None
            for style in self._chain(style_id):
                value = toggle(style.find(W + "rPr"), name)
                if value is not None:
                    break
            self._flags[key] = value
        return self._flags[key]

    def paragraph_flag(self, style_id: str | None, name: str) -> bool:
        """A run toggle as a paragraph's style (or the default style), else the document defaults, sets it."""
        key = (style_id or self.default_paragraph or "", "paragraph " + name)
        if key not in self._flags:
            value = self.flag(style_id or self.default_paragraph, name)
            self._flags[key] = bool(toggle(self._defaults, name)) if value is None else value
        return bool(self._flags[key])
