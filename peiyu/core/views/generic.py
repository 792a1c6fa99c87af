"""Generic views every app declares its pages with. Each reads through the model's scoped queryset
(`for_user` to see, `writable_by` to change), so a page cannot forget the unit boundary: an object
outside the user's scope is a 404, never data."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView


class ScopedMixin(LoginRequiredMixin):
    queryset = None
    write = False

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        visible_to_role = getattr(self.queryset, "visible_to_role", None)  # scoped models only
        if user.is_authenticated and visible_to_role and not visible_to_role(user):
            raise PermissionDenied(_("Your role has no access to these records."))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        qs = self.queryset.all()
        return qs.writable_by(self.request.user) if self.write else qs.for_user(self.request.user)

    def get_object(self):
        """The object by pk within the user's scope. Seen but read-only is 403; unseen is 404."""
        pk = self.kwargs["pk"]
        if self.write:
            visible = self.queryset.for_user(self.request.user).filter(pk=pk).exists()
            if visible and not self.get_queryset().filter(pk=pk).exists():
                raise PermissionDenied(_("You may view this record but not change it."))
        return get_object_or_404(self.get_queryset(), pk=pk)


class ObjectListView(ScopedMixin, TemplateView):
    """A filtered, sorted, paginated list. `sort_fields` maps a sort key to an ORM ordering."""

    filterset_class = None
    sort_fields: dict[str, str] = {}
    nullable_sorts: frozenset[str] = frozenset()
    default_sort = ""
    paginate_by = 50

    def get_filterset(self):
        return self.filterset_class(self.request.GET or None, queryset=self.get_queryset(), user=self.request.user)

    def sort(self, qs):
        """Order by the requested column (or the default), nulls last, with the pk as tie-breaker so
        pages never overlap."""
        key = self.request.GET.get("sort") or self.default_sort
        if key.lstrip("-") not in self.sort_fields:
            key = self.default_sort
        field = self.sort_fields.get(key.lstrip("-"))
        if not field:
            return qs.order_by("pk"), ""
        descending = key.startswith("-")
        if field in self.nullable_sorts:
            expr = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
        else:
            expr = f"-{field}" if descending else field
        return qs.order_by(expr, "-pk" if descending else "pk"), key

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filterset = self.get_filterset()
        qs, sort = self.sort(filterset.qs)
        page = Paginator(qs, self.paginate_by).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx.update(filterset=filterset, page_obj=page, object_list=page.object_list, sort=sort, query=query.urlencode())
        return ctx


class ObjectDetailView(ScopedMixin, TemplateView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object"] = self.object = self.get_object()
        return ctx


class ObjectEditView(ScopedMixin, TemplateView):
    """Create (no pk) or edit an object through a ModelForm; the form is told the user so it can
    limit its choices (units) to the user's scope."""

    form_class = None
    write = True
    template_name = "core/object_edit.html"

    def get_instance(self):
        return self.get_object() if "pk" in self.kwargs else self.new_instance()

    def new_instance(self):
        return self.queryset.model()

    def check_create(self):
        if self.request.user.is_read_only:
            raise PermissionDenied(_("Your role may not create records."))

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if "pk" not in kwargs:
            self.check_create()
        self.object = self.get_instance()
        return super().dispatch(request, *args, **kwargs)

    def get_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        return self.form_class(data, instance=self.object, user=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", self.get_form())
        ctx.update(object=self.object, creating=self.object.pk is None, cancel_url=self.get_cancel_url())
        return ctx

    def get_cancel_url(self):
        return self.object.get_absolute_url() if self.object.pk else self.request.GET.get("next", "/")

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            messages.error(request, _("Please correct the errors below."))
            return self.render_to_response(self.get_context_data(form=form))
        with transaction.atomic():
            obj = form.save()
        messages.success(request, _("Saved %(object)s.") % {"object": obj})
        for warning in getattr(form, "warnings", list)():
            messages.warning(request, warning)
        return redirect(self.get_success_url(obj))

    def get_success_url(self, obj):
        return obj.get_absolute_url()


class ObjectDeleteView(ScopedMixin, TemplateView):
    """Confirm, then delete: softly for registry objects (restorable), else for good — history keeps
    the last state either way."""

    write = True
    template_name = "core/object_delete.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object"] = self.get_object()
        return ctx

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        with transaction.atomic():
            obj.soft_delete() if hasattr(obj, "soft_delete") else obj.delete()
        messages.success(request, _("Deleted %(object)s.") % {"object": obj})
        return redirect(self.get_success_url(obj))
