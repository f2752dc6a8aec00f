"""What the author reads when a document comes back: the reason it was returned, and the reviewer's comments, each
beside the line it refers to as the body reads now (the author may have edited since: a line is found again by its
text, or said to be gone).

    return_notes(document) -> ReturnNotes | None     (None unless the document is "Trả lại")
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.documents.review import body_lines
from domain.documents.workflow import RETURNED
from models.documents import Document
from models.workflow import DocumentComment, DocumentEvent, document_comments, last_event

RETURN_ACTION = "return"  # the workflow's action (domain.documents.workflow), as its events record it


@dataclass
class LineNote:
    comment: DocumentComment
    line: int | None  # the line of the body it refers to now; None: about the whole document, or the line is gone
    text: str  # that line as it reads now (or as it read when the line is gone)
    moved: bool = False  # found again elsewhere: lines were added or removed above it
    gone: bool = False  # its text is no longer in the body


@dataclass
class ReturnNotes:
    event: DocumentEvent | None  # who returned it, when, and why
    general: list[LineNote]  # comments on the whole document
    lines: list[LineNote]  # comments on a line, in the order of the body

    @property
    def by_line(self) -> dict[int, list[LineNote]]:
        out: dict[int, list[LineNote]] = {}
        for note in self.lines:
            if note.line is not None:
                out.setdefault(note.line, []).append(note)
        return out


def _placed(comment: DocumentComment, lines: dict[int, str]) -> LineNote:
    anchor, excerpt = comment.anchor_line, (comment.anchor_excerpt or "").strip()
    if anchor in lines and (not excerpt or lines[anchor].strip()[:300] == excerpt):
        return LineNote(comment, anchor, lines[anchor])
    found = [n for n, text in lines.items() if excerpt and text.strip()[:300] == excerpt]
    if found:  # the nearest line with the same text
        line = min(found, key=lambda n: abs(n - (anchor or 0)))
        return LineNote(comment, line, lines[line], moved=True)
    return LineNote(comment, None, excerpt, gone=True)


def return_notes(document: Document) -> ReturnNotes | None:
    """The reason and the open comments of a returned document, the line comments placed on today's body."""
    if document.status != RETURNED:
        return None
    lines = dict(body_lines(document))
    open_comments = [c for c in document_comments(document.id) if not c.resolved]
    general = [LineNote(c, None, "") for c in open_comments if c.anchor_line is None]
    placed = [_placed(c, lines) for c in open_comments if c.anchor_line is not None]
    placed.sort(key=lambda n: (n.line is None, n.line or 0, n.comment.created_at))
    return ReturnNotes(last_event(document, RETURN_ACTION), general, placed)
