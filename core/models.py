"""Every model, imported in one place so that metadata and migrations see them all."""

from core.attendance.models import InAttendance
from core.audit import AuditEvent
from core.auth.models import Invitation, PasswordReset, RoleAssignment, User
from core.charts.models import KeptDrawing
from core.councils.models import Council
from core.indicators.models import Indicator, IndicatorFigure
from core.mail.models import SentMail
from core.meetings.kept_agendas import refresh_kept_agendas  # noqa: F401  (registers it)
from core.meetings.models import ActionArising, AgendaItem, Attendance, Meeting
from core.meetings.record_models import Declaration, MinutesRevision, Paper, PlannedItem
from core.panels.models import Membership, Panel, Person, Seat, StandingItem
from core.partners.models import JointArea, PartnerBody, Protocol, ReportingLine
from core.pledges.action_checks import refresh_action_checks  # noqa: F401  (registers it)
from core.pledges.kept_json import refresh_action_json  # noqa: F401  (registers it)
from core.pledges.kept_tallies import refresh_action_tallies  # noqa: F401  (registers it)
from core.pledges.latest_status import refresh_action_statuses  # noqa: F401  (registers it)
from core.pledges.models import Action, ActionOwner, Pledge, ProgressMonth, ProgressUpdate
from core.pledges.month_counts import refresh_progress_months  # noqa: F401  (registers it)
from core.reviews.models import Review, ReviewCycle, ReviewOwner
from core.revisions import touch as touch_councils  # noqa: F401  (and its flush listeners)
from core.strategy.models import Priority, Strategy
from core.sync_state import SyncState

__all__ = [
    "Action",
    "ActionArising",
    "ActionOwner",
    "AgendaItem",
    "Attendance",
    "AuditEvent",
    "Council",
    "Declaration",
    "InAttendance",
    "Indicator",
    "IndicatorFigure",
    "Invitation",
    "JointArea",
    "KeptDrawing",
    "Meeting",
    "Membership",
    "MinutesRevision",
    "Panel",
    "Paper",
    "PartnerBody",
    "PasswordReset",
    "Person",
    "PlannedItem",
    "Pledge",
    "Priority",
    "ProgressMonth",
    "ProgressUpdate",
    "Protocol",
    "ReportingLine",
    "Review",
    "ReviewCycle",
    "ReviewOwner",
    "RoleAssignment",
    "Seat",
    "SentMail",
    "StandingItem",
    "Strategy",
    "SyncState",
    "User",
]
