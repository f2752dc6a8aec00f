"""Automatic numbering and bullets as Word shows them: "I.", "1.", "a)", "1.2.", "-", "•".

Word keeps no numbers in the text. A numbered paragraph names a list (w:numPr: numId and level, given directly
or by its paragraph style); word/numbering.xml says, for each list, which definition it uses (w:abstractNum)
and how each level looks (w:lvl: start, numFmt, lvlText such as "%1." or "%1.%2.", lvlRestart, isLgl), with
per-list overrides (w:lvlOverride: startOverride, or a whole new level). The numbers are counted here, in
document order, the way Word counts them:

- the count belongs to the definition, not to the list: two lists (numIds) of one abstractNum continue each
  other, unless a list overrides the start of a level, which restarts that level where the list first appears;
- using a level restarts the deeper levels (or only those whose lvlRestart names it; lvlRestart 0: never);
- "%2" in a level's text is the current count of level 2, in level 2's format (decimal everywhere when the
  level is "legal", isLgl); a level never used yet shows its start;
- a definition may be a link to a numbering style (numStyleLink), which names the list that defines it.

    numbering = Numbering(numbering_root, styles)
    numbering.label(p_pr, style_id)  -> ("II.", " ") the label and what separates it from the text, or None
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.plans.word.formats import format_number, glyph
from domain.plans.word.styles import Styles
from domain.plans.word.xml import MC, VAL, W, child_val, int_val, toggle

_LEVELS = 9
_MAX_START = 32767  # the highest start Word offers; a larger one in a hostile file would make huge Roman numerals
_PLACEHOLDER = "%"


@dataclass(frozen=True)
class Level:
    start: int = 0
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # lvlRestart: the (1-based) level after which this one restarts; 0 = never
    legal: bool = False
    separator: str = " "  # w:suff tab or space -> " ", nothing -> ""
    hidden: bool = False
    font: str = ""
    style: str | None = None  # the paragraph style linked to this level


@dataclass
class Definition:  # w:abstractNum
    levels: dict[int, Level] = field(default_factory=dict)
    style_link: str | None = None  # numStyleLink: the numbering style whose list defines this one


@dataclass
class ListInstance:  # w:num
    definition: str
    starts: dict[int, int] = field(default_factory=dict)  # startOverride per level
    levels: dict[int, Level] = field(default_factory=dict)  # a whole level redefined for this list


def _start(value: str | None) -> int:
    return min(max(int_val(value, 0) or 0, 0), _MAX_START)


def _level(lvl) -> Level:
    fmt = child_val(lvl, "numFmt") or child_val(lvl.find(f"{MC}AlternateContent/{MC}Fallback"), "numFmt")
    text = lvl.find(W + "lvlText")
    r_pr = lvl.find(W + "rPr")
    fonts = r_pr.find(W + "rFonts") if r_pr is not None else None
    font = "" if fonts is None else (fonts.get(W + "ascii") or fonts.get(W + "hAnsi") or fonts.get(W + "cs") or "")
    return Level(
        start=_start(child_val(lvl, "start")),
        fmt=fmt or "decimal",
        text="" if text is None else (text.get(VAL) or ""),
        restart=int_val(child_val(lvl, "lvlRestart")),
        legal=bool(toggle(lvl, "isLgl")),
        separator="" if child_val(lvl, "suff") == "nothing" else " ",
        hidden=bool(toggle(r_pr, "vanish")),
        font=font,
        style=child_val(lvl, "pStyle"),
    )


def _levels(parent) -> dict[int, Level]:
    levels = {}
    for lvl in parent.findall(W + "lvl"):
        ilvl = int_val(lvl.get(W + "ilvl"), -1)
        if 0 <= ilvl < _LEVELS:
            levels.setdefault(ilvl, _level(lvl))
    return levels


class Numbering:
    def __init__(self, root=None, styles: Styles | None = None):
        self.styles = styles or Styles()
        self.definitions: dict[str, Definition] = {}
        self.lists: dict[str, ListInstance] = {}
        self._counts: dict[str, list[int | None]] = {}  # per definition: the last number shown at each level
        self._started: set[str] = set()  # lists already met in the document
        if root is None:
            return
        for abstract in root.iter(W + "abstractNum"):
            key = abstract.get(W + "abstractNumId")
            if key is not None:
                self.definitions.setdefault(key, Definition(_levels(abstract), child_val(abstract, "numStyleLink")))
        for num in root.iter(W + "num"):
            num_id, definition = num.get(W + "numId"), child_val(num, "abstractNumId")
            if num_id is None or definition is None:
                continue
            instance = ListInstance(definition)
            for override in num.findall(W + "lvlOverride"):
                ilvl = int_val(override.get(W + "ilvl"), -1)
                if not 0 <= ilvl < _LEVELS:
                    continue
                if override.find(W + "startOverride") is not None:
                    instance.starts[ilvl] = _start(child_val(override, "startOverride"))
                instance.levels.update({k: v for k, v in _levels(override).items() if k == ilvl})
            self.lists.setdefault(num_id, instance)

    def _definition(self, instance: ListInstance) -> tuple[str, Definition] | None:
        """The definition a list counts in, following numStyleLink to the numbering style's own list."""
        key = instance.definition
        for _ in range(5):
            definition = self.definitions.get(key)
            if definition is None:
                return None
            if definition.style_link is None:
                return key, definition
            linked = self.styles.numbering(definition.style_link)
            target = self.lists.get(linked[0]) if linked else None
            if target is None:
                return key, definition
            key = target.definition
        return None

    def _list_and_level(self, p_pr, style_id: str | None) -> tuple[str, int] | None:
        """(numId, level) of a paragraph: its own numPr first, then its style's; numId 0 means not numbered."""
        num_pr = p_pr.find(W + "numPr") if p_pr is not None else None
        own_id = child_val(num_pr, "numId")
        own_level = int_val(child_val(num_pr, "ilvl"))
        from_style = self.styles.numbering(style_id or self.styles.default_paragraph)
        num_id = own_id if own_id is not None else (from_style[0] if from_style else None)
        if num_id is None or num_id == "0" or num_id not in self.lists:
            return None
        level = own_level if own_level is not None else (from_style[1] if from_style and own_id is None else None)
        if level is None:  # a style linked to a level of the definition (Heading 2 -> level 1)
            found = self._definition(self.lists[num_id])
            linked = [k for k, lvl in found[1].levels.items() if lvl.style and lvl.style == style_id] if found else []
            level = min(linked) if linked else 0
        return (num_id, level) if 0 <= level < _LEVELS else None

    def label(self, p_pr, style_id: str | None = None) -> tuple[str, str] | None:
        """The number or bullet Word shows before this paragraph, and the separator after it; counts it."""
        found = self._list_and_level(p_pr, style_id)
        if found is None:
            return None
        num_id, ilvl = found
        instance = self.lists[num_id]
        resolved = self._definition(instance)
        if resolved is None:
            return None
        key, definition = resolved

        def level(k: int) -> Level:
            return instance.levels.get(k) or definition.levels.get(k) or Level()

        def start(k: int) -> int:
            return instance.starts.get(k, level(k).start)

        if ilvl not in definition.levels and ilvl not in instance.levels:
            return None
        this = level(ilvl)
        counts = self._counts.setdefault(key, [None] * _LEVELS)
        if num_id not in self._started:  # a list overriding a start restarts that level where it first appears
            self._started.add(num_id)
            for k in instance.starts:
                counts[k] = None
        counts[ilvl] = start(ilvl) if counts[ilvl] is None else counts[ilvl] + 1
        for deeper in range(ilvl + 1, _LEVELS):
            restart = level(deeper).restart
            if restart is None or (restart > 0 and ilvl < restart):
                counts[deeper] = None
        if this.hidden:
            return "", ""
        return self._text(this, counts, level, start), this.separator

    @staticmethod
    def _text(this: Level, counts: list[int | None], level, start) -> str:
        if this.fmt == "bullet":
            return glyph(this.text, this.font)
        out, i, text = [], 0, this.text
        while i < len(text):
            ch = text[i]
            if ch == _PLACEHOLDER and i + 1 < len(text) and text[i + 1] in "123456789":
                k = int(text[i + 1]) - 1
                value = counts[k] if counts[k] is not None else start(k)
                fmt = level(k).fmt
                out.append(format_number(value, "decimal" if this.legal and fmt != "none" else fmt))
                i += 2
            else:
                out.append(ch)
                i += 1
        return glyph("".join(out), this.font)
