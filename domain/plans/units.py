"""The units a plan names: a name as written matched to the unit directory, and a group's task fanned out to the
group's members. Pure functions: no Flask, no database.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from domain.text.vietnamese import clean_text, fold


@dataclass(frozen=True)
class UnitRef:
    id: int
    name: str
    short_name: str = ""
    slug: str = ""
    is_group: bool = False


# Applied in order to a folded name without punctuation: the office's abbreviations and their
# long forms all become one spelling ("Ủy ban MTTQVN" = "UBMTTQ Việt Nam" = "Ủy ban Mặt trận
# Tổ quốc Việt Nam" -> "uy ban mttq"). "Uỷ"/"Ủy" and decomposed input are taken care of by fold.
_KEY_REWRITES = [
    (re.compile(p), r)
    for p, r in (
        (r"\bmat tran to quoc viet nam\b", "mttq"),
        (r"\bmat tran to quoc\b", "mttq"),
        (r"\bub ?mttq ?vn\b", "uy ban mttq"),
        (r"\bubmttq\b", "uy ban mttq"),
        (r"\bmttqvn\b", "mttq"),
        (r"\bmttq viet nam\b", "mttq"),
        (r"\bubnd\b", "uy ban nhan dan"),
        (r"\bhdnd\b", "hoi dong nhan dan"),
        (r"\bbtt\b", "ban thuong truc"),
        (r"\btp\b", "thanh pho"),
        (r"\btx\b", "thi xa"),
        (r"\bh\b", "huyen"),
    )
]


def unit_key(name: str) -> str:
    """The one canonical spelling of a unit name, for comparison only."""
    key = re.sub(r"[^a-z0-9]+", " ", fold(clean_text(name or "", multiline=False)))
    for pattern, replacement in _KEY_REWRITES:
        key = pattern.sub(replacement, key)
    return " ".join(key.split())


_LEVELS = re.compile(r"\b(tinh|huyen|thanh pho|thi xa|thi tran|phuong|quan|xa(?! hoi))\b")


def _levels(key: str) -> set[str]:
    """Administrative levels a name speaks of: "tỉnh" and "thành phố Ninh Bình" are different units."""
    return set(_LEVELS.findall(key))


def match_unit(name: str, directory: list[UnitRef], threshold: float = 0.85) -> UnitRef | None:
    """The directory's unit for a name as written, or None (a new unit or an outside body).

    Same canonical key wins; otherwise the closest key (difflib ratio >= threshold) among units
    of the same administrative levels, so a typo or a trailing place name is forgiven but
    "tỉnh" never becomes "thành phố", nor a name without a level a unit of some level.
    """
    key = unit_key(name)
    best, best_score = None, 0.0
    if not key:
        return None
    for unit in directory:
        for spelling in (unit.name, unit.short_name, unit.slug.replace("-", " ")):
            candidate = unit_key(spelling)
            if not candidate:
                continue
            if candidate == key:
                return unit
            if _levels(candidate) != _levels(key):
                continue
            score = difflib.SequenceMatcher(None, key, candidate).ratio()
            if score > best_score:
                best, best_score = unit, score
    return best if best_score >= threshold else None


def fan_out(task_unit_id: int, groups: dict[int, list[int]]) -> list[int]:
    """Units that get an assignment: a group's active members (groups of groups expanded), or the unit."""
    if task_unit_id not in groups:
        return [task_unit_id]
    members: list[int] = []
    seen = {task_unit_id}

    def expand(group_id: int) -> None:
        for member in groups.get(group_id, []):
            if member in seen:
                continue
            seen.add(member)
            if member in groups:
                expand(member)
            else:
                members.append(member)

    expand(task_unit_id)
    return members
