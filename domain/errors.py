"""How the office's rules say no: one base for a refused action, one for a form with problems.

A refusal carries its Vietnamese `message` for the person, and the `field` of the form at fault when there is one
(the page shows the message beside that field, else at the top). Each room names its own refusals (PlanError,
RegisterError, SubmissionRefused, ...) as subclasses, keeping the built-in base its callers already catch.
"""

from __future__ import annotations


class DomainError(Exception):
    """An action the rules refuse now; `message` says why in Vietnamese, `field` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class FormInvalid(ValueError):
    """Field -> Vietnamese message, for every problem of a form at once; nothing was saved."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors
