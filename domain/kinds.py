"""Kinds of official documents and the rules that differ per kind (Nghị định 30/2020, Phụ lục III)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentKind:
    code: str  # stable identifier stored in the database
    name: str  # Vietnamese name, sentence case ("Kế hoạch")
    title_line: str | None  # the tên loại printed above the trích yếu; None for a Công văn
    abbreviation: str | None  # ND30 Phụ lục III abbreviation; a Công văn has none
    subject_prefix: str = ""  # a Công văn's trích yếu starts with "V/v "
    # May be sent to named recipients: a "Kính gửi:" block (ô 9a), then "Như trên" first in Nơi nhận
    # (ND30 II.9.d). A Công văn always is; a Báo cáo when it goes upward. Other kinds print no Kính gửi.
    addressed: bool = False

    def symbol(self, suffix: str) -> str:
        """The ký hiệu after the number: "KH-MTTQ-BTT", or "MTTQ-BTT" for a Công văn."""
        return f"{self.abbreviation}-{suffix}" if self.abbreviation else suffix


KINDS: dict[str, DocumentKind] = {
    k.code: k
    for k in (
        DocumentKind("KH", "Kế hoạch", "KẾ HOẠCH", "KH"),
        DocumentKind("BC", "Báo cáo", "BÁO CÁO", "BC", addressed=True),
        DocumentKind("CV", "Công văn", None, None, subject_prefix="V/v ", addressed=True),
        DocumentKind("TB", "Thông báo", "THÔNG BÁO", "TB"),
        DocumentKind("HD", "Hướng dẫn", "HƯỚNG DẪN", "HD"),
    )
}


def get_kind(code: str) -> DocumentKind:
    return KINDS[code]
