"""Word-level differences between two versions of a text, aligned by line, for the reviewer's screen.

Lines are matched first (cheap even for a 600-paragraph plan); only lines that changed are compared word by
word. Pieces are plain text with an operation; the template escapes them and wraps them in <ins>/<del>.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from domain.text.vietnamese import fold

EQUAL, INSERT, DELETE = "equal", "insert", "delete"

# A word (letters with diacritics, digits), a run of spaces, or one punctuation mark.
_TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


@dataclass
class Piece:
    op: str  # equal, insert, delete
    text: str


@dataclass
class DiffLine:
    kind: str  # equal, changed, inserted, deleted
    pieces: list[Piece]
    old_number: int | None = None  # 1-based line in the previous text
    new_number: int | None = None  # 1-based line in the current text

    @property
    def text(self) -> str:
        """The line as it reads now ("" for a deleted line)."""
        return "".join(p.text for p in self.pieces if p.op != DELETE)


@dataclass
class FieldDiff:
    key: str
    label: str
    lines: list[DiffLine] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(line.kind != EQUAL for line in self.lines)

    @property
    def counts(self) -> dict[str, int]:
        words = {INSERT: 0, DELETE: 0}
        for line in self.lines:
            for piece in line.pieces:
                if piece.op in words:
                    words[piece.op] += len(re.findall(r"\w+", piece.text))
        return {"inserted": words[INSERT], "deleted": words[DELETE]}


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


def _coalesce(pieces: list[Piece]) -> list[Piece]:
    """Readable runs: spaces between two changes join them; each changed run shows deletions, then insertions."""
    # A whitespace-only equal run squeezed between changes belongs to the change on both sides.
    spread: list[Piece] = []
    for i, piece in enumerate(pieces):
        between = 0 < i < len(pieces) - 1 and pieces[i - 1].op != EQUAL and pieces[i + 1].op != EQUAL
        if piece.op == EQUAL and between and not piece.text.strip():
            spread += [Piece(DELETE, piece.text), Piece(INSERT, piece.text)]
        else:
            spread.append(piece)
    out: list[Piece] = []
    run: dict[str, list[str]] = {DELETE: [], INSERT: []}

    def flush():
        for op in (DELETE, INSERT):
            if run[op]:
                out.append(Piece(op, "".join(run[op])))
                run[op] = []

    for piece in spread:
        if piece.op == EQUAL:
            flush()
            if out and out[-1].op == EQUAL:
                out[-1] = Piece(EQUAL, out[-1].text + piece.text)
            else:
                out.append(piece)
        else:
            run[piece.op].append(piece.text)
    flush()
    return [p for p in out if p.text]


def diff_words(old: str, new: str) -> list[Piece]:
    """The pieces that turn `old` into `new`, word by word."""
    a, b = tokens(old), tokens(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece(EQUAL, "".join(a[i1:i2])))
        else:
            if i2 > i1:
                pieces.append(Piece(DELETE, "".join(a[i1:i2])))
            if j2 > j1:
                pieces.append(Piece(INSERT, "".join(b[j1:j2])))
    return _coalesce(pieces)


def diff_lines(old: str, new: str) -> list[DiffLine]:
    """Line-aligned differences; lines that changed carry their word-level pieces."""
    a, b = old.splitlines(), new.splitlines()
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    lines: list[DiffLine] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            lines += [DiffLine(EQUAL, [Piece(EQUAL, a[i1 + k])], i1 + k + 1, j1 + k + 1) for k in range(i2 - i1)]
            continue
        paired = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(paired):
            lines.append(DiffLine("changed", diff_words(a[i1 + k], b[j1 + k]), i1 + k + 1, j1 + k + 1))
        for k in range(i1 + paired, i2):
            lines.append(DiffLine("deleted", [Piece(DELETE, a[k])], k + 1, None))
        for k in range(j1 + paired, j2):
            lines.append(DiffLine("inserted", [Piece(INSERT, b[k])], None, k + 1))
    return lines


def diff_fields(old: dict[str, str] | None, new: dict[str, str], labels: dict[str, str]) -> list[FieldDiff]:
    """One FieldDiff per labelled field, in the order of `labels`; `old` None compares against nothing changed."""
    out = []
    for key, label in labels.items():
        current = new.get(key, "") or ""
        previous = current if old is None else (old.get(key, "") or "")
        out.append(FieldDiff(key, label, diff_lines(previous, current)))
    return out


def hunks(lines: list[DiffLine], context: int = 2) -> list[list[DiffLine] | int]:
    """Changed lines with `context` unchanged lines around them; an int stands for that many hidden lines."""
    keep = [False] * len(lines)
    for i, line in enumerate(lines):
        if line.kind != EQUAL:
            for k in range(max(0, i - context), min(len(lines), i + context + 1)):
                keep[k] = True
    out: list[list[DiffLine] | int] = []
    for line, shown in zip(lines, keep, strict=True):
        if shown:
            if not out or isinstance(out[-1], int):
                out.append([])
            out[-1].append(line)
        elif out and isinstance(out[-1], int):
            out[-1] += 1
        else:
            out.append(1)
    return out


# ---- does a copy carry a text? (a signed PDF against the issued document) --------------------------------

_WORD_RE = re.compile(r"\w+", re.UNICODE)


@dataclass
class WordAgreement:
    """How much of an expected text another text carries, word by word and in order."""

    words: int  # words of the expected text
    matched: int  # of them, found in the same order in the other text
    missing: list[str] = field(default_factory=list)  # runs of expected words not found there (the first few)

    @property
    def ratio(self) -> float:
        return self.matched / self.words if self.words else 1.0


def word_agreement(expected: str, found: str, *, limit: int = 10) -> WordAgreement:
    """Tolerant of what a PDF's text layer does to a text: case, diacritics (fold), punctuation, line breaks,
    hyphens and the page furniture around it (headers, page numbers, Nơi nhận: words it has beyond the expected
    are not counted). Words are compared folded; a missing run is shown as written in `expected`."""
    shown = _WORD_RE.findall(expected)
    a = [fold(w) for w in shown]
    b = [fold(w) for w in _WORD_RE.findall(found)]
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    missing = [" ".join(shown[i1:i2]) for op, i1, i2, _j1, _j2 in matcher.get_opcodes()
               if op in ("delete", "replace")][:limit]
    return WordAgreement(len(a), matched, missing)
