"""A choice: a code as the database stores it, with its Vietnamese label, badge colour and short label."""


from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    code: str
    label: str
    color: str = "grey"
    short: str = ""
    closed: bool = False  # an assignment status after which nothing more is expected from the unit


def choice_set(*choices: Choice) -> dict[str, Choice]:
    return {c.code: c for c in choices}


def choice_of(choices: dict[str, Choice], code: str) -> Choice:
    """The choice for a code, or a grey stand-in that shows the code itself (data older than the vocabulary)."""
    return choices.get(code) or Choice(code, code, "grey", "?")
