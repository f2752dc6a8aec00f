"""Does the signed PDF carry the issued document's text? Its text layer compared word by word with the issued
document's body (and its "Thực hiện …" lines), tolerant of what a PDF does to a text (domain.text.textdiff): the
number, date and trích yếu are compared by domain.register.signed_copy.compare, this is the rest.

Stored with the copy as JSON (SignedCopy.body_check); None when the copy has no text layer to read (a scan).
"""

from __future__ import annotations

import re

from domain.text.textdiff import word_agreement
from models.documents import Document

# The share of the body's words that must be found, in order, for the copy to count as the issued text: a PDF's
# text layer may split or lose a word at a line end or in a table; a changed sentence costs more than 2 %.
BODY_MATCH = 0.98
BODY_PAGES = 60  # the text layer of this many pages at most (a long plan with its annexes)
MIN_TEXT = 20  # fewer letters than this in the text layer: a scan, nothing to compare


def check_body(document: Document, text: str) -> dict | None:
    """{"words", "matched", "ratio", "ok", "absent"}; None when the copy has no text layer."""
    if len(re.sub(r"\W+", "", text)) < MIN_TEXT:
        return None
    expected = "\n".join(part for part in (document.references_text, document.body) if part)
    agreement = word_agreement(expected, text)
    return {"words": agreement.words, "matched": agreement.matched, "ratio": round(agreement.ratio, 4),
            "ok": agreement.ratio >= BODY_MATCH, "absent": agreement.missing}

