"""The units a plan names: a name as written matched to the unit directory, and a group's task fanned out to the
group's members. Pure functions: no Flask, no database (the clerk's remembered names come in as `aliases`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from domain.text.vietnamese import clean_text, fold


@dataclass(frozen=True)
class UnitRef:
    id: int
    name: str
    short_name: str = ""
    slug: str = ""
    is_group: bool = False


@dataclass(frozen=True)
class UnitMatch:
    """The unit found for a name, and whether a clerk's remembered mapping (an alias) found it."""

    unit: UnitRef | None
    by_alias: bool = False


# Applied in order to a folded name without punctuation: the office's abbreviations and their
# long forms all become one spelling ("Ủy ban MTTQVN" = "UBMTTQ Việt Nam" = "Ủy ban Mặt trận
# Tổ quốc Việt Nam" -> "uy ban mttq"). "Uỷ"/"Ủy" and decomposed input are taken care of by fold.
_KEY_REWRITES = [
    (re.compile(p), r)
    for p, r in (
        (r"^(?:de nghi|dong chi) ", ""),  # "Đề nghị UBND xã ...", "Đồng chí Phó Chủ tịch ...": the name follows
        (r"\bmat tran to quoc viet nam\b", "mttq"),
        (r"\bmat tran to quoc\b", "mttq"),
        (r"\bmat tran\b", "mttq"),  # "Ban Công tác Mặt trận", "các tổ chức thành viên của Mặt trận"
        (r"\bub ?mttq ?vn\b", "uy ban mttq"),
        (r"\bubmttq\b", "uy ban mttq"),
        (r"\bmttq ?vn\b", "mttq"),
        (r"\bmttq viet nam\b", "mttq"),
        (r"\bubnd\b", "uy ban nhan dan"),
        (r"\bhdnd\b", "hoi dong nhan dan"),
        (r"\bbtt\b", "ban thuong truc"),
        (r"\btt\b", "thuong truc"),
        (r"\bvp\b", "van phong"),
        (r"\bmt\b", "mttq"),
        (r" tren dia ban\b.*$", ""),  # "… các thôn trên địa bàn xã": where, not who
        (r"\btp\b", "thanh pho"),
        (r"\btx\b", "thi xa"),
        (r"\bh\b", "huyen"),
    )
]


@lru_cache(maxsize=4096)
def unit_key(name: str) -> str:
    """The one canonical spelling of a unit name, for comparison only."""
    key = re.sub(r"[^a-z0-9]+", " ", fold(clean_text(name or "", multiline=False))).strip()
    for pattern, replacement in _KEY_REWRITES:
        key = pattern.sub(replacement, key)
    return " ".join(key.split())


# "Tỉnh ủy", "Huyện ủy", "Đảng ủy xã", "xã hội" name no level by these words.
_LEVEL = r"(?:tinh|huyen|thanh pho|thi xa|thi tran|phuong|quan|xa)(?! uy\b| hoi\b)"
_LEVELS = re.compile(rf"\b{_LEVEL}\b")
_ENDS_AT_LEVEL = re.compile(rf"\b{_LEVEL}$")
_STARTS_AT_LEVEL = re.compile(rf"^{_LEVEL}\b")
# "các huyện, thành phố", "các xã, phường, thị trấn": every unit of these levels, i.e. a group.
_PLURAL = re.compile(rf"\bcac ({_LEVEL}(?: {_LEVEL})*)\b")
# The committee and its standing body stand for the same office when a plan gives it work.
_STANDING_BODY = re.compile(r"\b(?:(?:ban )?thuong truc )?(?:uy ban )?mttq\b")


def _levels(key: str) -> set[str]:
    """Administrative levels a name speaks of: "tỉnh" and "thành phố Ninh Bình" are different units."""
    return set(_LEVELS.findall(key))


def _core(key: str) -> str:
    """The key with "Ban Thường trực Ủy ban" before MTTQ taken away: "Ủy ban MTTQ xã" = "BTT UBMTTQ xã"."""
    return " ".join(_STANDING_BODY.sub("mttq", key).split())


def _plural(key: str) -> tuple[set[str], str]:
    """The levels of a plural ("các xã, phường") and the body around it ("mttq" for the office's own)."""
    found = _PLURAL.search(key)
    if not found:
        return set(), ""
    body = _core((key[: found.start()] + key[found.end() :]).strip())
    return _levels(found[1]), (body or "mttq")


def _with_place(key: str, candidate: str) -> bool:
    """ "mttq xa luong minh" is "mttq xa" with the place named: the candidate ends at a level, the rest is a name."""
    if not key.startswith(candidate + " "):
        return False
    return bool(_ENDS_AT_LEVEL.search(candidate)) and not _levels(key[len(candidate) :])


def _narrowed(candidate: str, key: str) -> bool:
    """The candidate is the name with its level (and place) added: "mttq xa luong minh" for "mttq xa" or "mttq"."""
    if not candidate.startswith(key + " "):
        return False
    rest = candidate[len(key) + 1 :]
    return _with_place(candidate, key) or bool(_STARTS_AT_LEVEL.match(rest)) and len(_levels(rest)) == 1


def find_unit(name: str, directory: list[UnitRef], threshold: float = 0.85,
              aliases: Mapping[str, int] | None = None) -> UnitMatch:
    """The directory's unit for a name as written, and how it was found; UnitMatch(None) for a new name.

    In order: a remembered alias (the clerk mapped this name once); the same canonical key; the same key once
    "Ban Thường trực Ủy ban" before MTTQ is set aside, or that key followed by a place name (or the one unit that
    is this key with its level and place added); a plural ("các xã, phường") to the group of the same body and
    levels; else the closest key (difflib ratio >= threshold) among
    units of the same administrative levels, so a typo is forgiven but "tỉnh" never becomes "thành phố", nor a
    name without a level a unit of some level.
    """
    key = unit_key(name)
    if not key:
        return UnitMatch(None)
    if aliases and key in aliases:
        unit = next((u for u in directory if u.id == aliases[key]), None)
        if unit is not None:  # an alias to a unit gone from the directory finds nothing
            return UnitMatch(unit, by_alias=True)
    spellings = [(unit, candidate) for unit in directory
                 for candidate in dict.fromkeys(unit_key(s) for s in (unit.name, unit.short_name,
                                                                      unit.slug.replace("-", " "))) if candidate]
    for unit, candidate in spellings:
        if candidate == key:
            return UnitMatch(unit)
    core = _core(key)
    for unit, candidate in spellings:
        if _core(candidate) == core or _with_place(core, _core(candidate)):
            return UnitMatch(unit)
    # "Ủy ban MTTQ xã" for "Ủy ban MTTQ xã Lương Minh": only when the directory has one such unit.
    placed = {unit for unit, candidate in spellings if _narrowed(_core(candidate), core)}
    if len(placed) == 1:
        return UnitMatch(placed.pop())
    levels, body = _plural(key)
    if levels:
        for unit, candidate in spellings:
            their_levels, their_body = _plural(candidate)
            if unit.is_group and levels & their_levels and body == their_body:
                return UnitMatch(unit)
    best, best_score = None, 0.0
    for unit, candidate in spellings:
        if _levels(candidate) != _levels(key):
            continue
        score = difflib.SequenceMatcher(None, key, candidate).ratio()
        if score > best_score:
            best, best_score = unit, score
    return UnitMatch(best if best_score >= threshold else None)


def match_unit(name: str, directory: list[UnitRef], threshold: float = 0.85,
               aliases: Mapping[str, int] | None = None) -> UnitRef | None:
    """The directory's unit for a name as written, or None (a new unit or an outside body); see find_unit."""
    return find_unit(name, directory, threshold, aliases).unit


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
