"""Finding the register's number, date and trích yếu in OCR text, tolerant of what OCR does to a scan: diacritics
lost or wrong ("Tuyen truyén"), spaces around punctuation ("05 / KH-MTTQ- BTT"), an O read for a 0, lines broken
anywhere, a letter misread here and there.

Digits are not forgiven: "05" never matches "06", nor "Chỉ thị số 07" "Chỉ thị số 08" (OCR reads digits well, and a
wrong digit is a different document). Letters are: the symbol and the trích yếu match when they are similar enough
(difflib's ratio over folded words, thresholds below). Each match keeps the text it was found in, as OCR read it,
so the page can show what was compared.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date
from difflib import SequenceMatcher

SYMBOL_THRESHOLD = 0.8  # "KH-MTTQ-BTT" read as "KH-MTTO-BTT" still matches; "CV-UBND" does not
TITLE_THRESHOLD = 0.85
SEEN_MAX = 300
_WORD = re.compile(r"[a-z0-9]+")


@dataclass
class FieldMatch:
    found: bool
    seen: str = ""  # the OCR text it was matched against ("" when nothing close was found)
    score: int = 0  # similarity in percent

    def to_dict(self) -> dict:
        return asdict(self)


def _fold_char(c: str) -> str:
    if c in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", c)[0].lower()
    return base if len(base) == 1 else c


def fold_same_length(text: str) -> str:
    """Lower case without diacritics, one character for one ("Đảng" -> "dang"), so a span found in the folded text is
    the same span in the original."""
    return "".join(_fold_char(c) for c in unicodedata.normalize("NFC", text))


def _digits(number: str) -> str:
    """A regex for a run of digits as OCR may read it: an O for a 0."""
    return "".join("[0o]" if d == "0" else d for d in number)


def _seen(original: str, start: int, end: int) -> str:
    return " ".join(original[start:end].split())[:SEEN_MAX]


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def match_number(number: int | None, symbol: str, text: str) -> FieldMatch:
    """"05/KH-MTTQ-BTT": the number exactly (leading zeros optional), then the symbol, spaces and punctuation aside."""
    if number is None:
        return FieldMatch(False)
    original = unicodedata.normalize("NFC", text)
    folded = fold_same_length(original)
    wanted = re.sub(r"[^a-z0-9]", "", fold_same_length(symbol))
    best = FieldMatch(False)
    pattern = re.compile(rf"(?<![0-9a-z])[0o]*{_digits(str(number))}(?![0-9])\s*[/|]?")
    for hit in pattern.finditer(folded):
        # The symbol's letters after the number: as many as the register's, with what lies between them.
        letters, end = "", hit.end()
        while end < len(folded) and len(letters) < len(wanted) + 2 and end - hit.end() < 3 * len(wanted) + 10:
            if folded[end].isalnum():  # a symbol broken over two lines still counts
                letters += folded[end]
            end += 1
        score = max((_ratio(wanted, letters[:n]) for n in range(max(len(wanted) - 2, 1), len(letters) + 1)),
                    default=0.0)
        if score > best.score / 100:
            cut = hit.end() + _span_of(folded[hit.end():end], wanted)
            best = FieldMatch(score >= SYMBOL_THRESHOLD, _seen(original, hit.start(), cut), round(score * 100))
    return best


def _span_of(segment: str, wanted: str) -> int:
    """Where the symbol ends in a segment: after as many letters and digits as it has."""
    count = 0
    for i, c in enumerate(segment):
        if c.isalnum():
            count += 1
            if count >= len(wanted):
                return i + 1
    return len(segment)


def match_date(issued_on: date | None, text: str) -> FieldMatch:
    """"ngày 05 tháng 01 năm 2026" (any words between the numbers, as OCR spelt them) or "05/01/2026"."""
    if issued_on is None:
        return FieldMatch(False)
    original = unicodedata.normalize("NFC", text)
    folded = fold_same_length(original)
    d, m, y = (_digits(str(v)) for v in (issued_on.day, issued_on.month, issued_on.year))
    in_words = rf"(?<![0-9])[0o]?{d}\s*[a-z]{{3,6}}\s*[0o]?{m}\s*,?\s*[a-z]{{2,4}}\s*{y}(?![0-9])"
    in_digits = rf"(?<![0-9])[0o]?{d}\s*[/.\-]\s*[0o]?{m}\s*[/.\-]\s*{y}(?![0-9])"
    for pattern in (in_words, in_digits):
        hit = re.search(pattern, folded)
        if hit:
            start = hit.start()
            before = re.search(r"[a-z]{3,5}\s*$", folded[max(0, start - 8):start])  # "ngay "
            if before and pattern is in_words:
                start -= len(folded[max(0, start - 8):start]) - before.start()
            return FieldMatch(True, _seen(original, start, hit.end()), 100)
    return FieldMatch(False)


def match_title(title: str, text: str) -> FieldMatch:
    """The trích yếu as a run of words, similar enough, with every number in it read exactly."""
    wanted_words = _WORD.findall(fold_same_length(title))
    if not wanted_words:
        return FieldMatch(False)
    original = unicodedata.normalize("NFC", text)
    words = list(_WORD.finditer(fold_same_length(original)))
    wanted = " ".join(wanted_words)
    numbers = {w for w in wanted_words if w.isdigit()}
    k = len(wanted_words)
    best, best_span = 0.0, None
    for length in range(max(1, k - 3), k + 4):
        for i in range(0, max(1, len(words) - length + 1)):
            window = words[i:i + length]
            candidate = " ".join(w.group() for w in window)
            matcher = SequenceMatcher(None, wanted, candidate, autojunk=False)
            if matcher.real_quick_ratio() <= best or matcher.quick_ratio() <= best:
                continue
            score = matcher.ratio()
            if score > best and numbers <= {w.group().replace("o", "0") for w in window}:
                best, best_span = score, (window[0].start(), window[-1].end())
    if best_span is None:
        return FieldMatch(False)
    return FieldMatch(best >= TITLE_THRESHOLD, _seen(original, *best_span), round(best * 100))


def compare(number: int | None, symbol: str, issued_on: date | None, title: str, text: str) -> list[FieldMatch]:
    """[number and symbol, date, trích yếu] as found in the text."""
    return [match_number(number, symbol, text), match_date(issued_on, text), match_title(title, text)]
