"""Database models, one module per concept. Import from here: `from models import User, Unit`."""

from models.core import AuditEvent, LoginAttempt, Notification, Organization, Unit, User, UserRole

__all__ = ["AuditEvent", "LoginAttempt", "Notification", "Organization", "Unit", "User", "UserRole"]
