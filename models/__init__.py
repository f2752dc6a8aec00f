"""Database models, one module per concept. Import from here: `from models import User, Unit`."""

from models.core import AuditEvent, LoginAttempt, Notification, Organization, Unit, User, UserRole
from models.documents import Document, DocumentRecipient, DocumentRevision
from models.files import StoredFile  # noqa: F401
from models.jobs import Job, JobWorker  # noqa: F401
from models.mail import MailSettings  # noqa: F401
from models.ocr import ScanReading  # noqa: F401
from models.plans import (  # noqa: F401
    Assignment,
    AssignmentUpdate,
    Evidence,
    Indicator,
    IndicatorValue,
    PlanTask,
    PlanTracking,
)
from models.register import DocumentSearch, Register, RegisterCounter, RegisterEntry, SignedCopy  # noqa: F401
from models.reports import ReportRound, RoundUnit, Submission, SubmissionEvent  # noqa: F401
from models.trust import TrustedCertificate  # noqa: F401
from models.workflow import DocumentComment, DocumentEvent  # noqa: F401

__all__ = [
    "AuditEvent", "Document", "DocumentRecipient", "DocumentRevision", "LoginAttempt", "Notification", "Organization",
    "Unit", "User", "UserRole",
]
