"""How a document's number is written (ND30 II.3.c): the one rule, low enough for the models to use it too.

Plain Python: no database. domain.text.vietnamese re-exports these for everything above the models.
"""

from __future__ import annotations


def number_text(n: int) -> str:
    """Document number: "05", "45", "123" (numbers below 10 get a leading zero, ND30 II.3.c)."""
    if n < 1:
        raise ValueError(f"document numbers start at 1, got {n}")
    return f"{n:02d}"


def number_symbol(n: int, symbol: str) -> str:
    """A document's number and ký hiệu, as it is cited everywhere: "05/KH-MTTQ-BTT"."""
    return f"{number_text(n)}/{symbol}"
