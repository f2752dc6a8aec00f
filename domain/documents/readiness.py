"""What a document must have before it goes up the line: checked on the server at submit, approve and issue.

A document without a signer used to go all the way to a number, its .docx ending with "TM. BAN THƯỜNG TRỰC" and
nothing under it (ND30 Phụ lục I, II.7: quyền hạn, chức vụ and họ tên of the signer are part of the format). These
checks need only the record; the format gate (docgen.gate) adds the checks of the generated .docx.
"""

from __future__ import annotations

from models.documents import Document

# The steps after which the document leaves the clerk's hands: each one checks again (the signer may have been
# deactivated or renamed between two steps).
CHECKED_ACTIONS = frozenset({"submit", "approve", "issue"})

NO_SIGNER = ("Văn bản chưa có người ký: ở trang soạn thảo, chọn «Người ký» (phần Chữ ký) rồi bấm «Lưu» "
             "trước khi trình, duyệt hoặc phát hành.")
NO_SIGNER_NAME = ("Người ký của văn bản chưa có họ tên: quản trị hệ thống cần ghi họ tên cho tài khoản này, "
                  "hoặc chọn người ký khác ở trang soạn thảo.")
NO_POSITION = ("Văn bản chưa có chức vụ của người ký (ví dụ PHÓ CHỦ TỊCH): ở trang soạn thảo, ghi «Chức vụ người "
               "ký» rồi bấm «Lưu», hoặc ghi chức vụ cho tài khoản của người ký trong phần quản trị.")


def signer_name(document: Document) -> str:
    return (document.signer.full_name or "").strip() if document.signer else ""


def signer_position(document: Document) -> str:
    """The chức vụ printed above the name: the document's own, else the signer's position title."""
    own = (document.signer_title or "").strip()
    return own or ((document.signer.position_title or "").strip() if document.signer else "")


def signer_problems(document: Document) -> list[str]:
    """What is missing from the signature block, each as a Vietnamese sentence that says what to fix."""
    if document.signer is None:
        return [NO_SIGNER] + ([] if (document.signer_title or "").strip() else [NO_POSITION])
    problems = [] if signer_name(document) else [NO_SIGNER_NAME]
    if not signer_position(document):
        problems.append(NO_POSITION)
    return problems


def readiness_problems(document: Document, action: str) -> list[str]:
    """Why `action` may not go ahead on this document's content (empty: it may)."""
    if action not in CHECKED_ACTIONS:
        return []
    return signer_problems(document)
