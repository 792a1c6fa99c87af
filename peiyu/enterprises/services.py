"""Writing enterprise-library objects the same way from forms, the API and commands."""

from django.db import transaction

from peiyu.enterprises.models import EnterpriseYear


@transaction.atomic
def save_validated(obj):
    """Validate every field and cross-field rule, save, and read back what the database derives."""
    obj.full_clean()
    obj.save()
    if isinstance(obj, EnterpriseYear):
        obj.refresh_from_db(fields=["revenue_band", "stage"])
    return obj
