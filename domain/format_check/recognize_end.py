"""The block at the end of a document: Nơi nhận (ô 9b), the signature (ô 7a–7c), and the annexes after it.

The Nơi nhận is found by its label; the signature beside it (the other cells of its table row, the parts after a
tab, indented or centred lines after it) or, failing that, just above it. Without a label, the signature is the
last authority line ("TM.", "KT.", "Q.", "TL.", "TUQ.") with the caps lines and the name under it. The signature's
lines: the authority and chức vụ lines in capitals first; after the room left for signing, the signer's name
(bracketed notes such as "(Đã ký)" are neither).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from domain.format_check.paragraphs import Para, Span, segments
from domain.format_check.recognize import RULE_TEXT_RE
from domain.text.vietnamese import fold

_LABEL_RE = re.compile(r"^noi nhan\s*[:.]?\s*$")
AUTHORITY_RE = re.compile(r"^(tm|kt|q|tl|tuq|t/m|k/t|t/l)\s*[./]?\s+\S")
_ANNEX_RE = re.compile(r"^phu luc(\s+(so\s+)?[ivxlcd\d]+[a-z]?)?\s*[:.]?$")
_DASHES = ("-", "–", "—", "+", "•")
MAX_SIGNATURE_LINES = 14
RIGHT_INDENT_TWIPS = 3500  # a line indented past about 6 cm stands on the signature's side


@dataclass
class Annex:
    label: Span
    name: Span | None = None
    reference: Span | None = None


@dataclass
class End:
    label: Span | None = None  # "Nơi nhận:"
    entries: list[Span] = field(default_factory=list)
    heads: list[Span] = field(default_factory=list)  # quyền hạn and chức vụ lines
    name: Span | None = None  # the signer's name
    lines: list[Span | None] = field(default_factory=list)  # the signature side in order; None = an empty line
    start: int | None = None  # first paragraph of the block (the body ends before it)
    stop: int | None = None  # first paragraph after it
    annexes: list[Annex] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.heads or self.name)


def _fold(span: Span) -> str:
    """The start of a line, folded: enough for the anchored patterns here ("TM. …", "Nơi nhận:"), and cheap on
    long paragraphs."""
    return fold(span.text[:24])


def _is_label(span: Span) -> bool:
    return len(span.text) <= 20 and bool(_LABEL_RE.match(_fold(span)))


def find_end(paras: list[Para], body_start: int) -> End:
    end = End()
    label = next((s for p in paras[body_start:] for s in segments(p)[:1] if _is_label(s)), None)
    if label is not None:
        end.label = label
        if label.para.cell is not None:
            _table_block(paras, end)
        else:
            _paragraph_block(paras, end)
        if not any(end.lines):
            _signature_above(paras, end, body_start)
        if not any(end.lines):  # typed under the Nơi nhận, without tabs or indents
            label_start = end.start
            _signature_alone(paras, end, label.para.index + 1)
            end.start = label_start if end.start is None else min(label_start, end.start)
    else:
        _signature_alone(paras, end, body_start)
    _split_signature(end)
    _annexes(paras, end, body_start)
    return end


def _table_block(paras: list[Para], end: End) -> None:
    here = end.label.para.cell
    table = [p for p in paras if p.cell is not None and p.cell.table == here.table]
    end.entries = [s for p in table if (p.cell.row, p.cell.column) == (here.row, here.column)
                   and p.index > end.label.para.index for s in segments(p)[:1]]
    side = [p for p in table if p.cell.row == here.row and p.cell.column != here.column]
    side = side or [p for p in table if p.cell.column != here.column]
    end.lines = [s for p in side for s in (segments(p) or [None])]
    end.start, end.stop = table[0].index, table[-1].index + 1


def _paragraph_block(paras: list[Para], end: End) -> None:
    label = end.label
    end.lines = list(segments(label.para)[1:])
    end.start = label.para.index
    empties = 0
    index = label.para.index + 1
    while index < len(paras) and empties < 8:
        para = paras[index]
        parts = segments(para)
        if not parts:
            empties += 1
            end.lines.append(None)
        elif (parts[0].text.startswith(_DASHES) or para.numbered) and not para.text.startswith("\t"):
            empties = 0
            end.entries.append(parts[0])
            end.lines += parts[1:]
        elif _continues(end.entries, para, parts[0]):  # a recipient's name wrapped onto the next line by hand
            empties = 0
            end.entries.append(parts[0])
            end.lines += parts[1:]
        elif para.text.startswith("\t") or para.fmt.left_twips >= RIGHT_INDENT_TWIPS or para.fmt.align in (
                "center", "right"):
            empties = 0
            end.lines += parts
        else:
            break
        index += 1
    while end.lines and end.lines[-1] is None:
        end.lines.pop()
    end.stop = index


def _continues(entries: list[Span], para: Para, first: Span) -> bool:
    if not entries or entries[-1].text.endswith((";", ".")) or fold(entries[-1].text[:8]).lstrip("-–+• ").startswith("luu"):
        return False
    return len(para.stripped) <= 120 and not para.text.startswith("\t") and not first.shown_upper() and not (
        AUTHORITY_RE.match(_fold(first)))


def _signature_above(paras: list[Para], end: End, body_start: int) -> None:
    """The signature typed above the Nơi nhận: centred or capital lines just before the label."""
    lines: list[Span | None] = []
    index = end.label.para.index - 1
    while index >= body_start and len(lines) < MAX_SIGNATURE_LINES:
        para = paras[index]
        parts = segments(para)
        if not parts:
            lines.insert(0, None)
        elif para.fmt.align in ("center", "right") or para.fmt.left_twips >= RIGHT_INDENT_TWIPS or para.text.startswith(
                "\t"):
            lines[:0] = parts
            if AUTHORITY_RE.match(_fold(parts[0])):
                end.start = index
                break
        else:
            break
        index -= 1
    if any(lines) and end.start is not None:
        end.lines = lines


def _signature_alone(paras: list[Para], end: End, body_start: int) -> None:
    """The first authority line from `body_start` on (a short line: "TM. BAN THƯỜNG TRỰC"), and the short lines
    under it, up to a long one (the next text)."""
    start = None
    for para in paras[body_start:]:
        parts = segments(para)
        if (parts and len(para.stripped) <= 80 and AUTHORITY_RE.match(_fold(parts[-1]))
                and parts[-1].text.split()[0].isupper()):
            start = para.index
            break
    if start is None:
        return
    end.start = start
    lines: list[Span | None] = []
    for para in paras[start : start + MAX_SIGNATURE_LINES]:
        parts = segments(para)
        if len(para.stripped) > 80 or _ANNEX_RE.match(fold(para.stripped[:30])):
            break
        lines += parts[-1:] if parts else [None]
    while lines and lines[-1] is None:
        lines.pop()
    end.lines = lines
    end.stop = start + len(lines)


def _split_signature(end: End) -> None:
    """Capital lines before the room for signing are the heads; the last line after it is the name."""
    heads: list[Span] = []
    rest: list[Span] = []
    gap_seen = False
    for item in end.lines:
        if item is None:
            gap_seen = gap_seen or bool(heads)
            continue
        text = item.text
        if text.startswith(("(", "[")) or RULE_TEXT_RE.match(text):
            gap_seen = gap_seen or bool(heads)
            continue
        if not gap_seen and item.shown_upper() and item.para.fmt.before_pt < 24:
            heads.append(item)
        else:
            gap_seen = True
            rest.append(item)
    end.heads = heads
    names = [s for s in rest if any(ch.isalpha() for ch in s.text) and len(s.text) <= 60]
    end.name = names[-1] if names else None


def _annexes(paras: list[Para], end: End, body_start: int) -> None:
    start = end.stop if end.stop is not None else body_start
    index = start
    while index < len(paras):
        para = paras[index]
        if (para.cell is None or para.cell.columns == 1) and len(para.stripped) <= 30 and _ANNEX_RE.match(
                fold(para.stripped)):
            annex = Annex(para.span())
            following = [p for p in paras[index + 1 : index + 6] if p.stripped]
            if following:
                annex.name = following[0].span()
                if len(following) > 1 and fold(following[1].stripped[:12]).startswith("(kem theo"):
                    annex.reference = following[1].span()
            end.annexes.append(annex)
        index += 1
