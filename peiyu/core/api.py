"""API authentication and the helpers every router shares."""

from django.http import Http404
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from peiyu.core.models import ApiToken


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>`; the key is issued on the user's 'API tokens' page."""

    def authenticate(self, request, token):
        user = ApiToken.objects.authenticate(token)
        if user is not None:
            request.user = require_data_role(user)
        return user


class SessionAuthForDocs(SessionAuth):
    """Signed-in browser sessions (used by the interactive docs), with CSRF checks on writes."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return require_data_role(user) if user else user


def require_data_role(user):
    """The API serves enterprise data: a role without any (experts) is refused outright."""
    if not user.uses_enterprise_data:
        raise HttpError(403, "您的角色无权访问企业数据 / your role has no access to enterprise data")
    return user


def api_user(request):
    return request.auth


def get_scoped(queryset, user, **lookup):
    """One object the user may see, or 404 — the API never reveals rows of another unit."""
    obj = queryset.for_user(user).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def require_writable(queryset, user, obj):
    if not queryset.writable_by(user).filter(pk=obj.pk).exists():
        raise HttpError(403, "无权修改此数据 / not allowed to change this object")
