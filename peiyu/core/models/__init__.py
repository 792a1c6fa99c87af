from .base import ChangeLoggedModel, PrimaryModel, ScopedQuerySet
from .batches import ImportBatch
from .history import ObjectChange
from .jobs import Job, ScheduledRun
from .tokens import ApiToken
from .units import Unit
from .users import User

__all__ = ["ApiToken", "ImportBatch", "ChangeLoggedModel", "Job", "ObjectChange", "ScheduledRun", "PrimaryModel", "ScopedQuerySet", "Unit", "User"]
