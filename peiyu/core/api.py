"""API authentication, error answers and the helpers every router shares.

Every error is a JSON object `{"detail": "…"}` in the caller's language (Chinese by default), and a
request the schema refuses also lists its fields in `errors`. Identifiers, years and page numbers are
bounded in the schema, so no value a client sends can overflow a database integer.
"""

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import PageNumberPagination
from ninja.security import HttpBearer, SessionAuth
from pydantic import BeforeValidator, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

from peiyu.core.models import ApiToken

# The largest id a 64-bit database column holds.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Year = Annotated[int, Field(ge=1900, le=2100, description="年度，如 2024")]


def _date_text(value):
    """Dates are written YYYY-MM-DD; a bare number is not read as a Unix timestamp."""
    if isinstance(value, bool | int | float):
        raise PydanticCustomError("date_parsing", "date must be written YYYY-MM-DD")
    return value


Date = Annotated[datetime.date, BeforeValidator(_date_text)]


def one_of(choices, blank: bool = False):
    """A schema type accepting exactly the values of a Django choices class (and "" if `blank`), so
    the documentation lists them and anything else is a 422."""
    values = ([""] if blank else []) + list(choices.values)
    return Literal[tuple(values)]


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


class FieldErrorOut(Schema):
    field: str = Field(description="出错的参数或字段")
    message: str = Field(description="错误说明")


class ErrorOut(Schema):
    detail: str = Field(description="错误说明")
    errors: list[FieldErrorOut] = Field([], description="逐项列出的参数或字段错误（仅 422）")


def responses(ok: dict, *codes: int) -> dict:
    """The documented answers of an operation: its success and the error codes it can give.
    Every authenticated operation can also answer 401 (no or bad token) and 422 (bad input)."""
    return {**ok, **{code: ErrorOut for code in sorted({401, 422, *codes})}}


def _numeric_fields(schema) -> list[str]:
    def numeric(annotation) -> bool:
        if annotation in {int, float, Decimal}:
            return True
        return any(numeric(arg) for arg in get_args(annotation))

    return [name for name, field in schema.model_fields.items() if numeric(field.annotation)]


class InputSchema(Schema):
    """A request body: always a JSON object (a bare `false` or list is refused, not read as empty),
    and an unknown field is an error rather than silently ignored (a misspelt name changes nothing)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _must_be_an_object(cls, data: Any):
        raw = getattr(data, "_obj", data)  # ninja may hand the body over wrapped
        if raw is None or isinstance(raw, bool | int | float | str | list):
            raise PydanticCustomError("model_type", "body must be a JSON object")
        # Pydantic reads true/false as 1/0 for a number; a figure is never a yes/no.
        if isinstance(raw, dict) and any(isinstance(raw.get(name), bool) for name in _numeric_fields(cls)):
            raise PydanticCustomError("int_type", "a number is expected, not true/false")
        return data


class Pages(PageNumberPagination):
    """Page numbers are bounded: page 10^20 is a 422, not a database overflow."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000, description="页码，从 1 开始")
        page_size: int | None = Field(None, ge=1, le=500, description="每页条数（最多 500）")

    def __init__(self, page_size: int = 50, **kwargs):
        super().__init__(page_size=page_size, max_page_size=500, **kwargs)


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
        raise HttpError(403, _("You may not change this object."))


# Pydantic's error types in words a user of the API reads.
ERROR_MESSAGES = {
    "missing": gettext_noop("required"),
    "int_parsing": gettext_noop("must be a whole number"),
    "int_type": gettext_noop("must be a whole number"),
    "int_from_float": gettext_noop("must be a whole number"),
    "decimal_parsing": gettext_noop("must be a number"),
    "decimal_type": gettext_noop("must be a number"),
    "finite_number": gettext_noop("must be a finite number"),
    "float_parsing": gettext_noop("must be a number"),
    "string_type": gettext_noop("must be text"),
    "bool_parsing": gettext_noop("must be true or false"),
    "bool_type": gettext_noop("must be true or false"),
    "date_parsing": gettext_noop("must be a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": gettext_noop("must be a date (YYYY-MM-DD)"),
    "date_type": gettext_noop("must be a date (YYYY-MM-DD)"),
    "dict_type": gettext_noop("must be a JSON object"),
    "model_type": gettext_noop("must be a JSON object"),
    "model_attributes_type": gettext_noop("must be a JSON object"),
    "list_type": gettext_noop("must be a list"),
    "json_invalid": gettext_noop("is not valid JSON"),
    "extra_forbidden": gettext_noop("is not a known field"),
}


def _field_message(error: dict) -> str:
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("must be at least %(limit)s") % {"limit": ctx.get("ge", ctx.get("gt"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("must be at most %(limit)s") % {"limit": ctx.get("le", ctx.get("lt"))}
    if kind in {"string_too_long"}:
        return _("must be at most %(limit)s characters") % {"limit": ctx.get("max_length")}
    if kind in {"decimal_max_digits", "decimal_max_places", "decimal_whole_digits"}:
        return _("has too many digits")
    if kind in {"enum", "literal_error"}:
        # pydantic lists the choices in English ("'a', 'b' or 'c'"); keep only the values.
        return _("must be one of %(choices)s") % {"choices": str(ctx.get("expected", "")).replace(" or ", ", ")}
    return _(ERROR_MESSAGES.get(kind, "is not valid"))


def _field_name(loc) -> str:
    parts = [str(p) for p in loc if p not in {"body", "query", "path", "payload", "filters", "pagination"}]
    return ".".join(parts) or _("request body")


def validation_errors(errors: list[dict]) -> dict:
    fields = [{"field": _field_name(e.get("loc", ())), "message": _field_message(e)} for e in errors]
    summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
    return {"detail": _("Invalid request: %(errors)s") % {"errors": summary}, "errors": fields}


def install_error_handlers(api) -> None:
    """Replace ninja's English defaults with answers in the caller's language."""

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        return api.create_response(request, validation_errors(exc.errors), status=422)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": _("Not found, or outside your jurisdiction.")}, status=404)

    @api.exception_handler(HttpError)
    def refused(request, exc):
        # ninja answers an unreadable body with an English 400; our own HttpErrors are translated.
        detail = _("The request body is not valid JSON.") if exc.status_code == 400 else str(exc)
        return api.create_response(request, {"detail": detail}, status=exc.status_code)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(
            request, {"detail": _("Not signed in: send a valid API token as Authorization: Bearer <token>.")}, status=401,
        )
