"""How the office words an assignment: action verbs, the unit a sentence names, sentences and clauses.

Used by `domain.plans.extraction` to tell a task ("Tổ chức học tập quán triệt ...") from a description,
and a unit name ("Ban Thường trực Ủy ban MTTQVN các huyện, thành phố") from what it must do.

A clause is a task when it holds one of ACTION_VERBS. A paragraph is cut into sentences, and a
sentence into clauses at ";" only where the next clause starts with a verb of its own
("... trong cơ quan; Tuyên truyền ..."): two verb phrases joined by ";" are two jobs, while ";"
inside an enumeration ("các xã; phường; thị trấn") stays one job.
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
    tiếp_xúc định_hướng
    """.split()
)
# After these words a verb is a noun: "các tổ chức thành viên", "những báo cáo".
_NOUN_MARKERS = {"các", "những", "mọi", "từng", "cả", "được", "bị"}
# A unit name continues past a comma when the next words name an administrative level:
# "Ban Thường trực Ủy ban MTTQVN các huyện, thành phố" is one unit.
_LEVEL_WORDS = ("thành phố", "thị xã", "thị trấn", "xã", "phường", "huyện", "quận", "tỉnh")
# How a unit name starts. "ban" and friends need a capitalised next word ("Ban Tuyên giáo", not
# "ban hành"); the others are specific enough on their own.
_UNIT_HEADS_CAP = ("ban", "hội", "đoàn", "sở", "báo", "đài", "liên đoàn", "hội liên hiệp")
_UNIT_HEADS = (
    "ủy ban", "uỷ ban", "ubnd", "ubmttq", "btt", "văn phòng", "mặt trận", "thường trực", "công an",
    "bộ chỉ huy", "tỉnh ủy", "tỉnh uỷ", "tỉnh đoàn", "huyện ủy", "thành ủy", "đảng ủy", "cơ quan",
    "trung tâm", "hội đồng", "cấp ủy", "chính quyền", "các tổ chức", "các ban", "các đơn vị",
    "các cơ quan", "các đoàn thể", "các hội", "các sở", "các địa phương",
)  # fmt: skip
_REQUEST_WORDS = ("đề nghị", "giao cho", "giao", "yêu cầu")
_NOT_UNITS = ("hội nghị", "hội thi", "hội thảo", "hội diễn", "ban hành")
LEAD_NOT = ("phối hợp", "tham gia")  # a unit that only joins someone else's work
CLOSING = "trên đây"  # "Trên đây là Kế hoạch ..." closes the body: nothing after it is a task
_ABBREVIATIONS = {"tp", "h", "tx", "q", "p", "ths", "ts", "pgs", "gs", "ô", "bà", "tm", "kt", "tl", "đc", "vd"}  # fmt: skip
_OPEN, _CLOSE = '([“"«', ')]”"»'


def _words(text: str) -> list[str]:
    return text.split()


def _bare(word: str) -> str:
    return word.strip(",.;:()“”\"'").lower()


def _verb_at(words: list[str], i: int) -> int:
    """Length in words of the action verb starting at words[i], or 0."""
    for size in (2, 1):
        if i + size <= len(words) and " ".join(_bare(w) for w in words[i : i + size]) in ACTION_VERBS:
            if i > 0 and _bare(words[i - 1]) in _NOUN_MARKERS:
                return 0
            return size
    return 0


def starts_with_verb(text: str) -> bool:
    words = _words(text)
    return bool(words) and _verb_at(words, 0) > 0


def has_action(text: str) -> bool:
    """Holds an action verb; a capitalised one inside the text is part of a name ("Ban Tổ chức")."""
    words = _words(text)
    return any(_verb_at(words, i) and (i == 0 or words[i][0].islower()) for i in range(len(words)))


def _continues_name(text: str) -> bool:
    """True for ", thành phố" in "các huyện, thành phố": a lower-case administrative level."""
    return text[:1].islower() and text.startswith(_LEVEL_WORDS)


def _unit_head(low: str, text: str) -> bool:
    if any(low.startswith(p) for p in _NOT_UNITS):
        return False
    if any(re.match(rf"{p}\b", low) for p in _UNIT_HEADS):
        return True
    for head in _UNIT_HEADS_CAP:
        rest = text[len(head) :].lstrip()
        if low.startswith(head + " ") and rest[:1].isupper():
            return True
    return False


def split_subject(text: str) -> tuple[str | None, str]:
    """("Ban Tuyên giáo", "chủ trì ...") from "Đề nghị Ban Tuyên giáo chủ trì ..."; (None, text) if no unit.

    The unit name runs up to its first lower-case action verb, " là ", or a comma that is not
    followed by an administrative level. With no verb at all the whole text is the unit (a heading).
    """
    body = text.strip()
    low = body.lower()
    for word in _REQUEST_WORDS:
        if low.startswith(word + " "):
            body = body[len(word) :].lstrip()
            low = body.lower()
            break
    if starts_with_verb(body) or not _unit_head(low, body):
        return None, text.strip()
    words = _words(body)
    for i, word in enumerate(words[1:], start=1):
        if word[0].islower() and _verb_at(words, i):
            return " ".join(words[:i]).rstrip(","), " ".join(words[i:])
        if _bare(word) == "là":
            return " ".join(words[:i]).rstrip(","), " ".join(words[i:])
        if word.endswith((",", ":")) and not _continues_name(" ".join(words[i + 1 : i + 3])):
            return " ".join(words[: i + 1]).rstrip(",:"), " ".join(words[i + 1 :])
    if len(words) > 20:  # a long text without any verb is prose, not a unit name
        return None, text.strip()
    return body.rstrip(".:;"), ""


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


def sentences(text: str) -> list[str]:
    """Sentences of a paragraph; "TP. Ninh Bình", "H. Kim Sơn" and "(...)" do not end one."""
    return _split_outside_brackets(text, _sentence_end)


def clauses(sentence: str) -> list[str]:
    """Split at ";" only where the next part starts with a verb (or a unit and its verb)."""
    parts = _split_outside_brackets(sentence, lambda t, i: t[i] == ";")
    out: list[list[str]] = []  # each clause's parts, joined at the end: adding to a string each time is quadratic
    for part in parts:
        unit, rest = split_subject(part)
        if out and not (starts_with_verb(part) or (unit and starts_with_verb(rest))):
            out[-1].append(part)
        else:
            out.append([part])
    return [" ".join(clause) for clause in out]


def tidy(text: str) -> str:
    """Task text as shown: no list or end punctuation, first letter capital."""
    text = re.sub(r"\s*(\./\.|[.;,:])\s*$", "", text.strip())
    return text[:1].upper() + text[1:]


def split_list(text: str) -> list[str]:
    """Unit names from "A, B; C": commas before an administrative level stay in the name."""
    names: list[str] = []
    for part in re.split(r"\s*[;\n]\s*|\s*,\s*", text.strip().rstrip(".;")):
        if names and _continues_name(part):
            names[-1] += ", " + part
        elif part:
            names.append(part)
    return names
