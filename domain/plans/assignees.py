"""Who does the work, as the plan writes it: a unit, a group of units, a position, a person or an outside body.

    split_subject(text) -> (name, rest)   "Đề nghị Ban Tuyên giáo chủ trì ..." -> ("Ban Tuyên giáo", "chủ trì ...")
    heading_name(text) -> name | None     "1. Ban Thường trực ...", "Đề nghị Ủy ban nhân dân xã phối hợp"
    colon_name(text) -> (name, rest)      "- Đồng chí Phó Chủ tịch Thường trực, phụ trách ...: chủ trì ..."
    partners(text) -> (lead, partners)    "Phối hợp với X ..." -> (X, []); "... phối hợp với A và B ..." -> ("", [A, B])

A name starts with what names a body or a position ("Ban ...", "Ủy ban ...", "Các tổ chức ...", "Đồng chí ...",
"Chuyên viên ...", "Kế toán ...") and runs to the first lower-case action verb, to a word that starts what
the subject does ("là", "chịu", "có trách nhiệm", "trực tiếp", "căn cứ", ...) or to a ":". A comma or a
hyphen inside it does not end it when what follows still names someone ("các huyện, thành phố", "Văn phòng
Đảng ủy, Văn phòng HĐND&UBND xã", "Phó Chủ tịch Thường trực, phụ trách lĩnh vực ...", "Nguyễn Văn A – Phó
Chủ tịch ..."). "Đề nghị/Giao/Yêu cầu X ..." is X's task, also after a subject ("A yêu cầu B triển khai ...").
"""

from __future__ import annotations

import re

from domain.plans.sentences import continues_name, starts_with_verb, verb_at

# How a body's name starts; these need a capitalised next word ("Ban Tuyên giáo", not "ban hành").
_HEADS_CAP = (
    "ban",
    "hội",
    "đoàn",
    "sở",
    "báo",
    "đài",
    "phòng",
    "trường",
    "trạm",
    "tổ",
    "liên đoàn",
    "ông",
    "bà",
)
_HEADS = (
    "ủy ban", "ubnd", "hđnd", "ubmttq", "ub mttq", "mttq", "btt", "bch", "văn phòng", "mặt trận", "thường trực",
    "công an", "quân sự", "bộ chỉ huy", "ban chỉ huy", "tỉnh ủy", "tỉnh đoàn", "huyện ủy", "huyện đoàn",
    "thành ủy", "đảng ủy", "cơ quan", "trung tâm", "hội đồng", "cấp ủy", "chính quyền", "ban công tác",
    "ban thường trực", "ban thường vụ", "ban chấp hành", "ban chỉ đạo", "ban bầu cử", "ban tổ chức",
    "tổ bầu cử", "tổ công tác", "tổ dân phố", "chi hội", "chi đoàn", "đoàn thanh niên", "đoàn công tác",
    "hội liên hiệp", "hội cựu chiến binh", "hội nông dân", "hội người cao tuổi", "hội chữ thập đỏ",
    "công đoàn", "đài truyền thanh", "đài phát thanh", "các tổ chức", "các ban", "các đơn vị", "các cơ quan",
    "các đoàn thể", "các hội", "các sở", "các địa phương", "các thôn", "các xã", "các phường", "các huyện",
    "các ngành", "các chi hội", "các chi bộ", "các tổ", "các khu dân cư", "các cấp", "đơn vị", "chi bộ",
    "bưu điện", "ngân hàng", "bảo hiểm xã hội", "cổng thông tin", "kho bạc", "viện kiểm sát", "tòa án",
)  # fmt: skip
# Positions and persons.
_PERSONS = (
    "đồng chí", "các đồng chí", "đ/c", "các ông", "các bà", "chủ tịch", "phó chủ tịch",
    "các phó chủ tịch", "trưởng ban", "phó trưởng ban", "trưởng thôn", "trưởng khu", "trưởng các", "bí thư",
    "phó bí thư", "chuyên viên", "các chuyên viên", "cán bộ", "các cán bộ", "kế toán", "văn thư", "thủ trưởng",
    "người đứng đầu", "tổ trưởng", "thành viên", "các thành viên", "ủy viên", "các ủy viên", "thư ký",
    "công chức", "các công chức",
)  # fmt: skip
_NOT_NAMES = ("hội nghị", "hội thi", "hội thảo", "hội diễn", "ban hành", "cán bộ, đảng viên")
_REQUEST = ("đề nghị", "giao cho", "giao", "yêu cầu")
_LEAD_INS = ("trách nhiệm của", "nhiệm vụ của", "đối với", "về phía")
# Lower-case words that start what the subject does (besides the action verbs).
_PREDICATE = (
    "là", "chịu", "có trách nhiệm", "trực tiếp", "căn cứ", "cần", "phải", "được", "sẽ", "đã", "đang",
    "kịp thời", "khẩn trương", "tích cực", "nghiêm túc", "thường xuyên", "định kỳ", "tiến hành", "dự kiến",
    "yêu cầu", "đề nghị", "giao", "làm", "họp", "có nhiệm vụ", "quan tâm", "tạo điều kiện",
    # how the subject goes about it, not part of its name: "Các Ban chuyên môn theo chức năng, nhiệm vụ …"
    "theo chức năng", "theo chức trách", "trong phạm vi",
)  # fmt: skip
# What a heading may say after the name without being a task itself: "Đề nghị Ủy ban nhân dân xã phối hợp".
_HEADING_TAILS = re.compile(
    r"^(?:phối hợp|thực hiện|phối hợp thực hiện|tham gia|chủ trì|như sau|(?:có|chịu) (?:trách nhiệm|nhiệm vụ)"
    r"|(?:thực hiện|triển khai)(?: tốt)? (?:các|một số|những) (?:nhiệm vụ|nội dung|công việc)(?: chủ yếu| cụ thể)?"
    r"(?: như)? sau)$"
)
# After a comma these go on naming the same group ("Các sở, ban, ngành", "các cơ quan, đơn vị") or position.
_GROUP_WORDS = {"ban", "ngành", "đoàn thể", "đơn vị", "địa phương", "cơ quan", "hội", "sở", "đoàn",
                "thôn", "bản", "ấp", "xóm", "làng", "khu phố", "tổ dân phố", "doanh nghiệp", "nhà hảo tâm", "cá nhân",
                "trường học", "hội viên", "đoàn viên"}  # fmt: skip
_POSITIONS = ("phụ trách", "phó", "trưởng")
# What a position does itself, never the field it is in charge of: "… phụ trách công tác tuyên truyền chủ trì …".
_OWN_WORK = (
    "chủ trì",
    "chịu",
    "có trách nhiệm",
    "là",
    "phối hợp",
    "tham mưu",
    "trực tiếp",
    "chỉ đạo",
    "có nhiệm vụ",
)
# After "phối hợp (với)" the partner's name stops at these.
_PARTNER_STOPS = ("trong", "để", "nhằm", "tại", "khi", "theo", "về", "đến", "cho", "trên", "ở", "từ", "với")


def _low(text: str) -> str:
    return text.lower().replace("uỷ", "ủy")


def _starts(low: str, words) -> str | None:
    return next((w for w in words if low == w or low.startswith(w + " ") or low.startswith(w + ",")), None)


def is_name_start(text: str) -> bool:
    """Does text start with what names a body, a group or a person?"""
    low = _low(text.strip())
    if _starts(low, _NOT_NAMES):
        return False
    if _starts(low, _HEADS) or _starts(low, _PERSONS):
        return True
    head = _starts(low, _HEADS_CAP)
    rest = text.strip()[len(head) :].lstrip() if head else ""
    return bool(head) and rest[:1].isupper()


def _strip_request(text: str) -> tuple[str, bool]:
    low = _low(text)
    for word in _REQUEST:
        if low.startswith(word + " "):
            return text[len(word) :].lstrip(), True
    return text, False


def _predicate_at(words: list[str], i: int) -> bool:
    low = " ".join(w.lower() for w in words[i : i + 3])
    return bool(words[i][:1].islower() and (verb_at(words, i) or _starts(low, _PREDICATE)))


def _continues(words: list[str], i: int) -> bool:
    """After a comma at words[i-1]: does the name go on ("thành phố", "Văn phòng ...", "phụ trách ...")?"""
    rest = " ".join(words[i : i + 3])
    group = any(" ".join(w.strip(",;:").lower() for w in words[i : i + n]) in _GROUP_WORDS for n in (1, 2, 3))
    return continues_name(rest) or is_name_start(rest) or group or rest.lower().startswith(_POSITIONS)


def _field_goes_on(words: list[str], i: int) -> bool:
    """In "… phụ trách công tác kiểm tra, giám sát chủ trì …": does words[i] still belong to the field a position
    is in charge of? Words that are no action do; a verb does when it follows "phụ trách", "công tác", "lĩnh
    vực", "và" or, after a comma, another verb of the field, and is not what the subject itself does."""
    if _starts(_low(" ".join(words[i : i + 3])), _OWN_WORK):
        return False
    if not _predicate_at(words, i):
        return True
    before = _low(words[i - 1].strip(","))
    listed = words[i - 1].endswith(",") and (verb_at(words, i - 1) or (i > 1 and verb_at(words, i - 2) == 2))
    return before in ("trách", "tác", "vực", "và") or bool(listed)


def split_subject(text: str) -> tuple[str | None, str]:
    """(name, what it must do) of a sentence whose subject names someone; (None, text) if it names no one.

    With no predicate at all the whole text is the name (a heading). A long text without a verb is prose.
    """
    body, requested = _strip_request(text.strip())
    if starts_with_verb(body) or not is_name_start(body):
        return None, text.strip()
    words = body.split()
    topic = False  # after "lĩnh vực" comes a field, verbs included ("lĩnh vực giám sát và phản biện xã hội")
    field = False  # after "phụ trách (công tác)": the work a position is in charge of, verbs included
    for i in range(1, len(words)):
        previous = words[i - 1]
        if previous.endswith(":"):
            return " ".join(words[:i]).rstrip(":"), " ".join(words[i:])
        field = field and _field_goes_on(words, i)
        if previous.endswith((",", ";")) and not (field or _continues(words, i)):
            return " ".join(words[:i]).rstrip(",;"), " ".join(words[i:])
        pair = f"{words[i - 2].lower() if i > 1 else ''} {previous.lower()}"
        topic = (topic or pair == "lĩnh vực") and not previous.endswith((",", ";", "."))
        field = field or pair in ("phụ trách", "phu trách")
        if topic or field:  # "phụ trách công tác tuyên truyền": what they are in charge of
            continue
        if _predicate_at(words, i):
            name, rest = " ".join(words[:i]).rstrip(","), " ".join(words[i:])
            if not requested and _low(rest).startswith(_REQUEST):  # "A yêu cầu B triển khai ...": B's task
                other, more = split_subject(rest)
                if other:
                    return other, more
            return name, rest
    if len(words) > 25:
        return None, text.strip()
    name = body.rstrip(".:;")
    at = _low(name).find(" phụ trách ")
    if body.endswith((".", ";")) and at > 0:
        # A sentence, not a heading: "Đồng chí X, Phó Chủ tịch phụ trách chỉ đạo chung." is what the person does.
        return name[:at].rstrip(" ,"), name[at + 1 :]
    return name, ""


def heading_name(text: str) -> str | None:
    """The name a heading gives ("1. Ban Thường trực ...", "Đề nghị Ủy ban nhân dân xã phối hợp:",
    "Trách nhiệm của Văn phòng"), or None when the heading says something else or also gives a task."""
    text = text.strip().rstrip(":.").strip()
    low = _low(text)
    for lead_in in _LEAD_INS:
        if low.startswith(lead_in + " "):
            text = text[len(lead_in) :].lstrip()
            break
    name, rest = split_subject(text)
    if name and (not rest or _HEADING_TAILS.match(_low(rest).rstrip(":. "))):
        return name
    return None


def colon_name(text: str) -> tuple[str | None, str]:
    """("Đồng chí Phó Chủ tịch Thường trực, phụ trách lĩnh vực X", "chủ trì ...") from "Đồng chí ...: chủ trì ...";
    (None, text) when what stands before the colon names no one ("Chế độ báo cáo: ...")."""
    head, colon, tail = text.partition(":")
    if not colon or not tail.strip() or "(" in head and ")" not in head:
        return None, text
    name = heading_name(head)
    return (name, tail.strip()) if name else (None, text)


def _name_after(words: list[str], i: int) -> tuple[str, int]:
    """A name starting at words[i] and where it ends (the index after it)."""
    j = i
    while j < len(words):
        word = words[j]
        if j > i and (_predicate_at(words, j) or word.lower() in _PARTNER_STOPS):
            break
        j += 1
        if word.endswith((",", ";", ".", ":")) and not (
            word.endswith(",") and j < len(words) and _continues(words, j)
        ):
            break
    return " ".join(words[i:j]).rstrip(",;.:"), j


def _split_partners(name: str) -> list[str]:
    parts = re.split(r",\s+|\s+và\s+", name)
    out: list[str] = []
    for part in parts:
        if out and not is_name_start(part) and not part[:1].isupper():
            out[-1] += (", " if continues_name(part) else " và ") + part
        else:
            out.append(part)
    return [p for p in out if p]


def partners(text: str) -> tuple[str, list[str]]:
    """(lead, partners) named by "phối hợp (chặt chẽ) (với) X": a task that starts so is X's, joined by the
    assignee (lead X); elsewhere X works with the assignee (a partner)."""
    words = text.split()
    lead, found = "", []
    for i, word in enumerate(words):
        if (
            word.lower().rstrip(",") != "phối"
            or i + 1 >= len(words)
            or not words[i + 1].lower().startswith("hợp")
        ):
            continue
        j = i + 2
        while j < len(words) and words[j].lower() in ("chặt", "chẽ", "với", "cùng"):
            j += 1
        if j >= len(words) or not (is_name_start(" ".join(words[j : j + 3])) or words[j][:1].isupper()):
            continue
        name, _end = _name_after(words, j)
        if not name:
            continue
        if i == 0 and not lead:
            lead = name
        else:
            found += [n for n in _split_partners(name) if n not in found]
    return lead, found
