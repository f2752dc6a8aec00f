"""What docgen needs to write a document: plain data, filled by the caller from settings and forms."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal


@dataclass
class Issuer:
    """The issuing body, from the organization settings."""

    parent_lines: list[str]  # ["ỦY BAN MTTQ VIỆT NAM", "TỈNH NINH BÌNH"]  (caps, not bold)
    name_lines: list[str]  # ["BAN THƯỜNG TRỰC"]  (caps, bold)
    place: str  # "Ninh Bình"
    symbol_suffix: str  # "MTTQ-BTT"
    archive_unit: str  # "BTG" -> last Nơi nhận line "- Lưu: VT, BTG."
    # Sentence-case name for "(Kèm theo Kế hoạch số ... của <full_name>)" under an annex title;
    # caps lines cannot be turned back into it reliably ("MTTQ" vs "Việt Nam").
    full_name: str = ""


@dataclass
class Signature:
    authority: str  # "TM. BAN THƯỜNG TRỰC" (may be "")
    deputy_line: str  # "" or "KT. CHỦ TỊCH"
    title: str  # "PHÓ CHỦ TỊCH"
    name: str  # signer's full name, may be "" in a draft


@dataclass
class Table:
    """A table for a Báo cáo annex (phụ lục): printed on its own landscape pages."""

    title: str  # "DANH SÁCH ..." / "KẾT QUẢ ..." (printed in caps)
    columns: list[str]  # header row
    rows: list[list[object]]  # cells: str, int (8.500), float (12,5) or None (empty)
    total_row: list[object] | None = None  # printed bold, e.g. ["", "Tổng cộng", 8500]
    widths_cm: list[float] | None = None  # None: the first column narrow (STT), the rest shared


@dataclass
class DocumentData:
    kind: str  # code from models.choices.KINDS
    issuer: Issuer
    title: str  # trích yếu (for a Công văn without "V/v "; docgen adds it)
    body: str  # outline text (domain.text.outline convention)
    references: list[str]  # opening "Thực hiện ..."/"Căn cứ ..." paragraphs, printed before the body
    signature: Signature
    recipients: list[str]  # Nơi nhận entries as plain names, without "- " and ";"
    kinh_gui: list[str] = field(default_factory=list)  # Công văn / upward Báo cáo; adds "Như trên"
    number: int | None = None  # None: a draft, the number is left blank
    issued_on: date | None = None  # None: a draft, day and month are left blank
    year: int | None = None  # year of the blank date line of a draft (default: this year)
    annexes: list[Table] = field(default_factory=list)
    archive_extra: str = ""  # appended to the Lưu line: "- Lưu: VT, BTG. NVA(30)." (ND30 Mẫu 1.4)
    urgency: str = ""  # "KHẨN", "THƯỢNG KHẨN", "HỎA TỐC" in a frame under the Số (ô 10b), or ""
    circulation: str = ""  # "LƯU HÀNH NỘI BỘ" in a frame (ô 11), or ""
    address: str = ""  # ô 13: the office's address, e-mail, telephone, one item a line, at the foot of page 1
    particulars: dict[str, str] = field(default_factory=dict)  # the kind's own fields (models.choices P_*)


def data_to_json(data: DocumentData) -> str:
    """The document as it was written, kept beside an issued copy so its page can be drawn again unchanged."""
    return json.dumps(asdict(data), ensure_ascii=False, default=_plain)


def _plain(value: object) -> object:
    """Dates as ISO text; an annex's Decimal figures as the int or float docgen prints the same way."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not kept with an issued document")


def data_from_json(text: str) -> DocumentData:
    raw = json.loads(text)
    raw["issuer"] = Issuer(**raw["issuer"])
    raw["signature"] = Signature(**raw["signature"])
    raw["annexes"] = [Table(**t) for t in raw.get("annexes", [])]
    if raw.get("issued_on"):
        raw["issued_on"] = date.fromisoformat(raw["issued_on"])
    return DocumentData(**raw)
