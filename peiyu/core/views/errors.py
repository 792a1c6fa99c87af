"""Error pages inside the page frame. 404 and 500 use Django's handlers with our templates (500 is
rendered without request context, so it works when the database is what failed)."""

from django.shortcuts import render
from django.utils.translation import gettext as _


def permission_denied(request, exception=None):
    """403 with the reason the view gave (views raise PermissionDenied with a message for users)."""
    reason = str(exception) if exception is not None and exception.args else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def csrf_failure(request, reason=""):
    """A form sent from an expired or foreign page; Django's own page is English and technical."""
    message = _("The form had expired or did not come from this site. Go back, reload the page and send it again.")
    return render(request, "403.html", {"reason": message}, status=403)
