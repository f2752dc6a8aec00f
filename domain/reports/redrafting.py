"""Drafting the Báo cáo again keeps what the clerk wrote (`merge_parts`).

Each part of the body (a heading, the deployment paragraph, a task's figures, a task's unit narratives, the list
of missing units, each free question's answers, the closing) remembers the text it was last generated with. When
the report is drafted again:
- a part still exactly as generated (line for line, blank lines ignored) is replaced by its new text;
- a part the clerk changed or deleted is left exactly as the clerk left it, and named, so the clerk can bring
  its figures up to date by hand;
- anything the clerk added between parts stays where it is; a part that is new this time is put after the
  part that precedes it.
Plain Python over plain text (no database).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from domain.text.vietnamese import clean_text


@dataclass
class Part:
    """A named piece of the generated body, with the text it was generated with."""

    key: str
    label: str  # for the clerk: which part was kept
    text: str


def _lines(text: str) -> list[str]:
    return [line.strip() for line in clean_text(text or "").splitlines() if line.strip()]


def _find(lines: list[str], target: list[str], start: int) -> int | None:
    """Index of the first run of `target` lines in `lines` at or after `start`."""
    if not target:
        return None
    first, n = target[0], len(target)
    for i in range(start, len(lines) - n + 1):
        if lines[i] == first and lines[i:i + n] == target:
            return i
    return None


def merge_parts(current: str, old: list[Part], new: list[Part]) -> tuple[str, list[Part]]:
    """The body after regeneration, and the old parts kept because the clerk changed them (see the module doc)."""
    lines = _lines(current)
    spans: dict[int, tuple[str, int]] = {}  # start line -> (key, end line) of each old part found as generated
    ends: dict[str, int] = {}
    position = 0
    for part in old:
        target = _lines(part.text)
        start = _find(lines, target, position)
        if start is not None:
            spans[start] = (part.key, start + len(target))
            ends[part.key] = position = start + len(target)
    kept = [p for p in old if p.key not in ends]
    kept_keys = {p.key for p in kept}
    new_text = {p.key: p.text for p in new}

    inserts: dict[int, list[str]] = defaultdict(list)  # new parts, put after the part before them
    anchor = 0
    for part in new:
        if part.key in ends:
            anchor = ends[part.key]
        elif part.key not in kept_keys:
            inserts[anchor] += _lines(part.text)

    out: list[str] = []
    i = 0
    while True:
        out += inserts.pop(i, [])
        if i >= len(lines):
            break
        if i in spans:
            key, end = spans[i]
            out += _lines(new_text.get(key, ""))  # a part no longer generated is dropped
            i = end
        else:
            out.append(lines[i])
            i += 1
    return "\n".join(out), kept
