"""The parts of a plan that matter for its tasks: the implementation section found by its meaning, and the
outline made to read as the office meant it.

    reading_outline(outline) -> list[Block]        a copy of the blocks, restructured (below)
    implementation_sections(blocks) -> list[Block] "TỔ CHỨC THỰC HIỆN", "PHÂN CÔNG NHIỆM VỤ", ... whatever number
    number_lost_sections(lines) -> lines | None    "I.", "II.", ... before the section titles of a text without numbers
    is_funding(text), is_footnote(text), is_closing(text), is_if_difficulties(text)

The implementation section is found by its title, not its number: a section (or, in a plan without Roman
sections, a top-level item) titled "Tổ chức thực hiện", "Phân công nhiệm vụ/trách nhiệm/thực hiện",
"Trách nhiệm thực hiện" — III, IV or V, repeated or skipped numerals, lettered parts ("A.", "B.") above it all
alike. A title that only mentions it among other things ("NỘI DUNG, TIẾN ĐỘ, PHÂN CÔNG TRÁCH NHIỆM THỰC HIỆN")
counts only when no section is titled so outright.

Restructuring, on a copy (the body kept for the new document is not touched):
- "a. ...", "b. ..." typed as a paragraph are points like "a)", and what follows them belongs to them;
- "1.1.", "1.2." belong to the "1." before them, "2.3.1." to "2.3.";
- a unit heading cut short by a line break ("2. Ban Công tác Mặt trận các" + "thôn, khu dân cư") is one heading.
"""

from __future__ import annotations

import re

from domain.plans.assignees import heading_name
from domain.plans.sentences import CLOSING, has_action
from domain.text.outline import LEVEL, ROMAN, Block, classify
from domain.text.vietnamese import fold

_TITLES = ("to chuc thuc hien", "phan cong nhiem vu", "phan cong trach nhiem", "phan cong thuc hien",
           "trach nhiem thuc hien", "trach nhiem cua cac", "nhiem vu cua cac")  # fmt: skip
_LETTERED_RE = re.compile(r"^([a-zđ])\.\s+(?=\S)")
_FUNDING = ("kinh phi", "nguon kinh phi", "ve kinh phi", "kinh phi thuc hien")
_FOOTNOTE_RE = re.compile(r"^(?:\[\d{1,3}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s*\S")


def _title_match(block: Block) -> int:
    """2: titled as the implementation section; 1: the title mentions it among other things; 0: neither."""
    title = fold(block.text).strip(" .:")
    if any(title.startswith(t) for t in _TITLES):
        is_title = block.kind == "section" or block.text == block.text.upper() or len(title.split()) <= 8
        return 2 if is_title else 0
    return 1 if block.kind == "section" and any(t in title for t in _TITLES) else 0


def implementation_sections(blocks: list[Block]) -> list[Block]:
    """The sections (or top-level items) that assign the plan's work, in order; [] when there is none."""
    candidates = [b for b in blocks if b.kind == "section"] or [b for b in blocks if b.kind == "item"]
    strong = [b for b in candidates if _title_match(b) == 2]
    found = strong or [b for b in candidates if _title_match(b) == 1]
    if found or not any(b.kind == "section" for b in blocks):
        return found
    # No section is titled so: an item inside one may be ("IV. NHIỆM VỤ, GIẢI PHÁP" … "5. Tổ chức thực hiện").
    return [
        c
        for b in blocks
        if b.kind == "section"
        for c in b.children
        if c.kind == "item" and _title_match(c) == 2
    ]


def no_tasks_reason(blocks: list[Block]) -> str:
    """Why a plan gave no task, for the clerk: no implementation section, an empty one, or one naming no one."""
    found = implementation_sections(blocks)
    if not found:
        return ("Không tìm thấy nhiệm vụ nào: văn bản không có mục “Tổ chức thực hiện” (hay “Phân công nhiệm vụ”, "
                "“Trách nhiệm thực hiện”) và không có lịch trình ghi đơn vị chủ trì và thời gian.")  # fmt: skip
    title = f"{found[0].marker} {found[0].text}".strip()
    if not any(not is_closing(b.text) for section in found for b in section.children):
        return f"Không tìm thấy nhiệm vụ nào: mục “{title}” trống."
    return (f"Không tìm thấy nhiệm vụ nào: mục “{title}” không nêu đơn vị hay người thực hiện "
            "(ví dụ “1. Ban Thường trực …”, “Đề nghị Ủy ban nhân dân xã …”, “- Đồng chí …:”).")  # fmt: skip


# The titles a plan's sections have (besides _TITLES), folded: what an all-caps line must start with to be read as
# a section of a text whose numbering was lost ("MỤC ĐÍCH, YÊU CẦU" … "TỔ CHỨC THỰC HIỆN").
_SECTION_TITLES = _TITLES + (
    "muc dich", "yeu cau", "muc tieu", "quan diem", "noi dung", "nhiem vu", "giai phap", "chi tieu", "doi tuong",
    "pham vi", "thanh phan", "hinh thuc", "phuong thuc", "thoi gian", "dia diem", "tien do", "lich trinh",
    "kinh phi", "che do bao cao", "khen thuong", "cac hoat dong", "cac buoc", "ket qua", "danh gia", "giao ban",
)  # fmt: skip


def _is_section_title(line: str) -> bool:
    text = line.strip()
    words = re.sub(r"[^a-z0-9 ]+", " ", fold(text)).split()
    folded = " ".join(words)
    return (
        0 < len(words) <= 10
        and any(c.isalpha() for c in text)
        and text == text.upper()
        and any(folded == t or folded.startswith(t + " ") for t in _SECTION_TITLES)
    )


_PART_RE = re.compile(r"^phần\s+(?:thứ\s+\S+|[IVX]+|\d+)\s*[.:–-]?\s*", re.IGNORECASE)


def number_lost_sections(lines: list[str]) -> list[str] | None:
    """The lines with "I.", "II.", … put before the section titles of a text without Roman section numbers, read by
    their meaning: parts ("PHẦN I. …", "Phần thứ hai" over an all-caps title line) or, when there are none, the
    all-caps lines that are known section titles ("MỤC ĐÍCH, YÊU CẦU", "TỔ CHỨC THỰC HIỆN"; Word's numbering lost on
    paste). None when the text has section numbers, or fewer than two such titles (a plan has two sections at
    least). `lines` start after the trích yếu; a title moved onto its part's line leaves its own line blank."""
    if any(classify(line.strip())[0] == "section" for line in lines if line.strip()):
        return None
    out = list(lines)
    at = [i for i, line in enumerate(lines) if _PART_RE.match(line.strip())]
    for i in at:
        title = _PART_RE.sub("", lines[i].strip())
        below = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if not title and below and below == below.upper() and any(c.isalpha() for c in below):
            title, out[i + 1] = below, ""
        out[i] = title or lines[i].strip()
    if len(at) < 2:
        out, at = list(lines), [i for i, line in enumerate(lines) if _is_section_title(line)]
    if len(at) < 2:
        return None
    for n, i in enumerate(at[: len(ROMAN)]):
        out[i] = f"{ROMAN[n]}. {out[i].strip()}"
    return out


def is_funding(text: str) -> bool:
    """ "Kinh phí thực hiện ...", "4. Kinh phí": how the plan is paid for, a rule rather than a task."""
    return fold(text).startswith(_FUNDING)


def is_if_difficulties(text: str) -> bool:
    """ "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị phản ánh về …": the closing formula that
    says where to ask, only if need be; no task, like the closing "Trên đây là …" it often stands beside."""
    folded = fold(text)
    return (
        folded.startswith(("trong qua trinh", "qua trinh"))
        and "neu co" in folded[:80]
        and any(w in folded[:120] for w in ("vuong mac", "kho khan", "phat sinh"))
    )


def is_footnote(text: str) -> bool:
    return bool(_FOOTNOTE_RE.match(text))


def is_closing(text: str) -> bool:
    return text.lower().startswith(CLOSING)


# ------------------------------------------------------------------------------------------ restructuring


def reading_outline(blocks: list[Block]) -> list[Block]:
    """A restructured copy of the blocks (see the module docstring). A heading joined with the line after it
    carries that line's number as its attribute `last_line`."""
    blocks = [_copy(b) for b in blocks]
    _restructure(blocks)
    return blocks


def _copy(block: Block) -> Block:
    return Block(block.kind, block.marker, block.text, block.line, [_copy(c) for c in block.children])


def _restructure(children: list[Block]) -> None:
    _join_wrapped(children)
    _letter_points(children)
    _nest_numbers(children)
    for block in children:
        _join_cut_heading(block)
        _restructure(block.children)


_ENDED = (".", ";", ":", "!", "?", ")")


def _last(block: Block) -> Block:
    return _last(block.children[-1]) if block.children else block


def _join_wrapped(children: list[Block]) -> None:
    """A line broken inside a sentence (text pasted from a PDF, a manual line break): a paragraph starting in
    lower case after a bullet or paragraph without an end mark goes on with it."""
    out: list[Block] = []
    for block in children:
        target = _last(out[-1]) if out else None
        if (
            block.kind == "paragraph"
            and not block.children
            and block.text[:1].islower()
            and target is not None
            and target.kind in ("dash", "plus", "paragraph")
            and not target.text.endswith(_ENDED)
        ):
            target.text = f"{target.text} {block.text}"
            target.last_line = block.line  # type: ignore[attr-defined]
        else:
            out.append(block)
    children[:] = out


def _letter_points(children: list[Block]) -> None:
    """Paragraphs "a. ..." become points; the paragraphs and bullets after one, up to the next heading, are its."""
    out: list[Block] = []
    point: Block | None = None
    for block in children:
        m = _LETTERED_RE.match(block.text) if block.kind == "paragraph" else None
        if m and block.text[m.end() :][:1].isupper():
            block.kind, block.marker, block.text = "point", f"{m[1]})", block.text[m.end() :]
            point = block
            out.append(block)
        elif point is not None and LEVEL.get(block.kind, 5) > LEVEL["point"]:
            point.children.append(block)
        else:
            point = None
            out.append(block)
    children[:] = out


def _nest_numbers(children: list[Block]) -> None:
    """ "1.1." under "1.", "2.3.1." under "2.3.": items whose number extends the one of an item before them."""
    out: list[Block] = []
    by_number: dict[str, Block] = {}
    for block in children:
        number = block.marker.rstrip(".)") if block.kind == "item" else ""
        parent = by_number.get(number.rsplit(".", 1)[0]) if "." in number else None
        if parent is not None:
            parent.children.append(block)
        else:
            out.append(block)
        if number:
            by_number[number] = block
    children[:] = out
    for block in out:
        if block.kind == "item" and any(c.kind == "item" for c in block.children):
            _nest_numbers(block.children)


def _join_cut_heading(block: Block) -> None:
    """ "2. Ban Công tác Mặt trận các" then "thôn, khu dân cư": a heading cut by a line break goes on in the
    lower-case line after it (for a unit's name, a short one without a verb: "… các" + "tổ chức hội nghị" is a task)."""
    if block.kind not in ("item", "point") or not block.children or block.text.endswith(_ENDED):
        return
    first = block.children[0]
    short_name = (
        heading_name(block.text) is not None and len(first.text.split()) <= 8 and not has_action(first.text)
    )
    if (
        first.kind == "paragraph"
        and first.text[:1].islower()
        and (short_name or heading_name(block.text) is None)
    ):
        block.text = f"{block.text} {first.text}"
        block.last_line = first.line  # type: ignore[attr-defined]
        del block.children[0]
