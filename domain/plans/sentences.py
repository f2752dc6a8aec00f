"""How the office words an assignment: action verbs, sentences, and where one task ends and the next begins.

Used by `domain.plans.extraction` (with `domain.plans.assignees`, who does the work) to tell a task
("Tổ chức học tập quán triệt ...") from a description, and to cut an item into tasks.

The convention (../shared/samples/README.md): an item is split only at a new sentence, that is ". " or
"; " followed by a capital letter. "; " before a lower-case word, commas and a colon followed by an
enumeration of parts do not split. A sentence that only gives the time of the one before it
("Thời gian gửi báo cáo ...") stays with it; so does a part with neither an action nor anyone named
("…; Nghị quyết số 101/2025/UBTVQH15 …", an enumeration of documents).
"""

from __future__ import annotations

import re

# Verbs that make a clause an assignment. Compared on lower-cased NFC words, not on folded ones:
# folding would let "cũ" pass for "cử" and "tầng" for "tặng".
ACTION_VERBS = frozenset(
    w.replace("_", " ")
    for w in """
    tổ_chức tuyên_truyền xây_dựng phân_công báo_cáo triển_khai phối_hợp hướng_dẫn theo_dõi
    kiểm_tra giám_sát tổng_hợp chỉ_đạo vận_động thực_hiện tham_mưu đôn_đốc nắm_bắt phát_động
    biểu_dương khen_thưởng đăng_tải cập_nhật rà_soát chủ_trì quán_triệt ban_hành lựa_chọn
    chuẩn_bị đề_xuất tiếp_tục chủ_động tăng_cường đẩy_mạnh phát_huy nâng_cao bố_trí cử gửi
    bảo_đảm đảm_bảo học_tập phản_biện tiếp_nhận giải_quyết đưa_tin tham_gia tập_huấn bồi_dưỡng
    sơ_kết tổng_kết đánh_giá hỗ_trợ trao thăm lồng_ghép xét_chọn giới_thiệu duy_trì cung_cấp
    phản_ánh kiến_nghị tuyên_dương biên_soạn phát_hành thành_lập kiện_toàn huy_động khảo_sát
    tiếp_xúc định_hướng lập chịu điều_hành tham_dự triệu_tập thông_báo niêm_yết bàn_giao treo
    xác_minh xử_lý chuyển nộp tiến_hành quản_lý phổ_biến thăm_hỏi tặng mời vận_hành thẩm_định
    """.split()
)
# After these words a verb is a noun: "các tổ chức thành viên", "những báo cáo".
_NOUN_MARKERS = {"các", "những", "mọi", "từng", "cả", "được", "bị"}
CLOSING = "trên đây"  # "Trên đây là Kế hoạch ..." closes the body: nothing after it is a task
LEAD_NOT = ("phối hợp", "tham gia")  # a task that starts so is someone else's work that the assignee joins
# A part that starts so gives the time of the task before it: "Thời gian gửi báo cáo ... ngày 23/3/2026".
_TIME_WORDS = ("thời gian", "thời hạn", "thời điểm")
_ABBREVIATIONS = {"tp", "h", "tx", "q", "p", "ths", "ts", "pgs", "gs", "ô", "bà", "tm", "kt", "tl", "đc", "vd"}  # fmt: skip
_OPEN, _CLOSE = '([“"«', ')]”"»'
# A footnote mark left in the text by Word's export: "[1]", "¹".
FOOTNOTE_MARK = re.compile(r"\s?\[\d{1,3}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+")


def _words(text: str) -> list[str]:
    return text.split()


def _bare(word: str) -> str:
    return word.strip(",.;:()“”\"'").lower()


def verb_at(words: list[str], i: int) -> int:
    """Length in words of the action verb starting at words[i], or 0."""
    for size in (2, 1):
        if i + size <= len(words) and " ".join(_bare(w) for w in words[i : i + size]) in ACTION_VERBS:
            if i > 0 and _bare(words[i - 1]) in _NOUN_MARKERS:
                return 0
            return size
    return 0


def starts_with_verb(text: str) -> bool:
    words = _words(text)
    return bool(words) and verb_at(words, 0) > 0


def has_action(text: str) -> bool:
    """Holds an action verb; a capitalised one inside the text is part of a name ("Ban Tổ chức")."""
    words = _words(text)
    return any(verb_at(words, i) and (i == 0 or words[i][0].islower()) for i in range(len(words)))


def _split_outside_brackets(text: str, at) -> list[str]:
    """Cut text where at(text, i) says so, never inside brackets or quotes."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN and not (ch == '"' and depth):
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        elif depth == 0 and at(text, i):
            parts.append(text[start : i + 1])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


_SPACES_RE = re.compile(r"\s*")


def _sentence_end(text: str, i: int) -> bool:
    # Called for every character of a paragraph: it looks only at the neighbours of i, never at the whole text.
    if text[i] != "." or text[i + 1 : i + 2] == "/":  # "./." is one end mark, cut after the last "."
        return False
    next_letter = _SPACES_RE.match(text, i + 1).end()
    if next_letter < len(text) and (not text[next_letter].isupper() or text[i + 1 : i + 2] not in (" ", "")):
        return False
    start = i  # the word before the ".": back to a space or "("
    while start > 0 and not (text[start - 1].isspace() or text[start - 1] == "("):
        start -= 1
    word = text[start:i]
    return not (_bare(word) in _ABBREVIATIONS or (len(word) == 1 and word.isupper()))


def _clause_end(text: str, i: int) -> bool:
    """A ";" before a capital letter ends a clause: "... trong cơ quan; Tuyên truyền ..."."""
    if text[i] != ";":
        return False
    j = _SPACES_RE.match(text, i + 1).end()
    return j < len(text) and text[j].isupper()


def sentences(text: str) -> list[str]:
    """Sentences of a paragraph; "TP. Ninh Bình", "H. Kim Sơn" and "(...)" do not end one."""
    if ". " not in text.rstrip(". "):  # one sentence: no need to look at each character
        return [text.strip()] if text.strip() else []
    return _split_outside_brackets(text, _sentence_end)


def clauses(sentence: str) -> list[str]:
    """A sentence cut at each ";" that a capital letter follows (a new sentence, by the convention)."""
    if ";" not in sentence.rstrip("; "):
        return [sentence.strip()] if sentence.strip() else []
    return _split_outside_brackets(sentence, _clause_end)


def gives_time(part: str) -> bool:
    """ "Thời gian gửi báo cáo ... ngày 23/3/2026": the time of the task before, not a task of its own."""
    return part.lower().startswith(_TIME_WORDS)


def tidy(text: str) -> str:
    """Task text as shown: no footnote marks, list or end punctuation; first letter capital."""
    text = FOOTNOTE_MARK.sub("", text)
    text = re.sub(r"\s*(\./\.|[.;,:])\s*$", "", text.strip())
    return text[:1].upper() + text[1:]


def split_list(text: str) -> list[str]:
    """Unit names from "A, B; C": commas before an administrative level stay in the name."""
    names: list[str] = []
    for part in re.split(r"\s*[;\n]\s*|\s*,\s*", text.strip().rstrip(".;")):
        if names and continues_name(part):
            names[-1] += ", " + part
        elif part and part not in ("-", "–"):
            names.append(part)
    return names


# A unit name continues past a comma when the next words name an administrative level:
# "Ban Thường trực Ủy ban MTTQVN các huyện, thành phố" is one unit.
_LEVEL_WORDS = (
    "thành phố",
    "thị xã",
    "thị trấn",
    "xã",
    "phường",
    "huyện",
    "quận",
    "tỉnh",
    "khu dân cư",
    "tổ dân phố",
)


def continues_name(text: str) -> bool:
    """True for ", thành phố" in "các huyện, thành phố": a lower-case administrative level."""
    return text[:1].islower() and text.startswith(_LEVEL_WORDS)
