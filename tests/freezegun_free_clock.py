"""Moving recorded times instead of freezing the clock: tests stay free of time-travel libraries."""

from extensions import db
from models import LoginAttempt


def shift_attempts(username: str, delta) -> None:
    for attempt in db.session.scalars(db.select(LoginAttempt).filter_by(username=username)):
        attempt.at = attempt.at + delta
    db.session.commit()
