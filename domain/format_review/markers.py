"""Each finding placed on the picture of its page: where its paragraph's first words are printed.

The checker says which paragraph a finding is about (an index into CheckReport.paragraph_texts); the printed pages
give every word's box (docgen.page_pictures). A paragraph is found by its first words, in a row, case and accents
ignored (an automatic number "1." printed before them is no obstacle). Paragraphs are looked for in document order,
each after the one before, so the same words in two places ("- Tổ chức …") mark the right one; a paragraph that
is not found there (a header table read column by column) is looked for from the first page. Positions are
fractions of the page's width and height, so the marker sits right on a picture drawn at any size.

    place_findings(findings, paragraph_texts, pages) -> [Marker]   one marker per place, numbered in list order
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from domain.text.vietnamese import fold

LEAD_WORDS = 6  # enough words to tell one paragraph from another, few enough to fit on its first line
LINE_TOLERANCE_PT = 3
MAX_PLACES = 12  # markers of one finding that names many paragraphs
# A page repeats its words ("của", "và", "các"): each is folded once.
_fold = lru_cache(maxsize=50_000)(fold)


@dataclass(frozen=True)
class Box:
    page: int  # 1-based
    left: float  # fractions of the page (0..1)
    top: float
    width: float
    height: float


@dataclass
class Marker:
    box: Box
    numbers: list[int] = field(default_factory=list)  # the findings' numbers in the list (1-based)
    paragraph: int | None = None

    @property
    def label(self) -> str:
        return ", ".join(str(n) for n in self.numbers)


def _by_lines(words: list[list]) -> list[list]:
    """The words as printed line by line, left to right: the cells of a table side by side are read across."""
    lines: list[list[list]] = []
    for word in sorted(words, key=lambda w: (w[1], w[0])):
        if lines and abs(word[1] - lines[-1][0][1]) <= LINE_TOLERANCE_PT:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [w for line in lines for w in sorted(line, key=lambda w: w[0])]


class _Printed:
    """The printed words in one reading order, folded, with where each word begins (a word -> its positions)."""

    def __init__(self, pages: list[dict], across: bool):
        self.folded: list[str] = []
        self.where: list[tuple[dict, list]] = []
        self.starts: dict[str, list[int]] = {}
        for page in pages:
            for word in _by_lines(page["words"]) if across else page["words"]:
                key = _fold(word[4])
                self.starts.setdefault(key, []).append(len(self.folded))
                self.folded.append(key)
                self.where.append((page, word))

    def find(self, wanted: list[str], start: int) -> int | None:
        """The first place at or after `start` where `wanted` is printed in a row."""
        positions = self.starts.get(wanted[0], [])
        for i in positions[bisect_left(positions, start) :]:
            if self.folded[i : i + len(wanted)] == wanted:
                return i
        return None


def _box(where: list[tuple[dict, list]], at: int, count: int) -> Box:
    """The first printed line of the matched words (a paragraph that wraps is marked at its start)."""
    page, first = where[at]
    x0, y0, x1, y1 = first[0], first[1], first[2], first[3]
    for other_page, word in where[at + 1 : at + count]:
        if other_page is not page or abs(word[1] - first[1]) > LINE_TOLERANCE_PT:
            break
        x1, y1 = max(x1, word[2]), max(y1, word[3])
    w, h = page["width"], page["height"]
    return Box(page["number"], x0 / w, y0 / h, (x1 - x0) / w, (y1 - y0) / h)


def locate_paragraphs(paragraph_texts: list[str], pages: list[dict], wanted: set[int]) -> dict[int, Box]:
    """The printed place of each paragraph in `wanted` that can be found: in the order poppler reads the page
    (a table column by column), then, for those not found so, line by line across the page."""
    found = _locate(paragraph_texts, pages, wanted, across=False)
    missing = wanted - found.keys()
    if missing:
        found.update(_locate(paragraph_texts, pages, missing, across=True))
    return found


def _locate(paragraph_texts: list[str], pages: list[dict], wanted: set[int], across: bool) -> dict[int, Box]:
    printed = _Printed(pages, across)
    found: dict[int, Box] = {}
    cursor = 0
    last = max(wanted, default=-1)
    for index, text in enumerate(paragraph_texts[: last + 1]):
        words = fold(text).split()
        if not words:
            continue
        at, count = None, 0
        for count in (
            min(LEAD_WORDS, len(words)),
            min(2, len(words)),
        ):  # fewer words when a page break cuts in
            at = printed.find(words[:count], cursor)
            if at is None and index in wanted:
                at = printed.find(words[:count], 0)
            if at is not None:
                break
        if at is None:
            continue
        cursor = max(cursor, at + count)
        if index in wanted:
            found[index] = _box(printed.where, at, count)
    return found


def page_box(pages: list[dict], number: int) -> Box | None:
    """A finding about a whole printed page: marked at its top right corner."""
    if any(p["number"] == number for p in pages):
        return Box(number, 0.9, 0.02, 0.06, 0.03)
    return None


def _paragraphs_of(finding) -> list[int]:
    """Every paragraph a finding is about (a font used in several places names them all), at most MAX_PLACES."""
    many = [p for p in getattr(finding, "paragraphs", ()) or () if p is not None]
    if finding.paragraph is not None and finding.paragraph not in many:
        many.insert(0, finding.paragraph)
    return many[:MAX_PLACES]


def place_findings(findings: list, paragraph_texts: list[str], pages: list[dict]) -> list[Marker]:
    """Markers for `findings` in the order they are listed (finding k is number k+1), at each paragraph a finding
    names; findings at the same place share one marker. A finding about a printed page is marked at its corner when
    its paragraph is not found; one with neither paragraph nor page (the page set-up of the whole file) gets none."""
    wanted = {p for f in findings for p in _paragraphs_of(f)}
    boxes = locate_paragraphs(paragraph_texts, pages, wanted)
    markers: dict[tuple, Marker] = {}
    for number, finding in enumerate(findings, start=1):
        places = [(p, boxes[p]) for p in _paragraphs_of(finding) if p in boxes]
        if not places and finding.page is not None and (corner := page_box(pages, finding.page)) is not None:
            places = [(finding.paragraph, corner)]
        for paragraph, box in places:
            marker = markers.setdefault((box.page, box.top, box.left), Marker(box, paragraph=paragraph))
            if number not in marker.numbers:
                marker.numbers.append(number)
    return sorted(markers.values(), key=lambda m: (m.box.page, m.box.top, m.box.left))
