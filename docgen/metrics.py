"""Text widths live in domain.text.metrics, where the format checker measures rules and lines too; docgen's modules
and tests keep importing them from here."""

from domain.text.metrics import text_width_cm

__all__ = ["text_width_cm"]
