from .base import ChangeLoggedModel, PrimaryModel, ScopedQuerySet
from .batches import ImportBatch, ImportBatchScope
from .history import ObjectChange
from .tokens import ApiToken
from .units import Unit
from .users import User

__all__ = ["ApiToken", "ImportBatch", "ImportBatchScope", "ChangeLoggedModel", "ObjectChange", "PrimaryModel", "ScopedQuerySet", "Unit", "User"]
