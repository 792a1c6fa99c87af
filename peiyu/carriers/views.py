"""Pages of the carrier registry. Views declare; scoping and editing live in core's generic views."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peiyu.carriers.filtersets import CarrierFilterSet
from peiyu.carriers.forms import CarrierForm
from peiyu.carriers.models import Carrier
from peiyu.core.choices import Role
from peiyu.core.views.generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from peiyu.core.views.history import history_for

WRITERS = (Role.BUREAU, Role.UNIT)


def can_write(user) -> bool:
    """Bureau and unit staff keep the registry; leaders and party staff read; enterprises only see."""
    return user.is_superuser or user.role in WRITERS


class CarrierListView(ObjectListView):
    queryset = Carrier.objects.select_related("unit", "enterprise")
    filterset_class = CarrierFilterSet
    template_name = "carriers/carrier_list.html"
    sort_fields = {
        "name": "name",
        "kind": "kind",
        "level": "level",
        "unit": "unit__name",
        "recognised": "recognised_on",
        "area": "area",
    }
    nullable_sorts = frozenset({"recognised_on", "area"})
    default_sort = "name"
    paginate_by = 30
    extra_context = {"page_title": gettext_lazy("Innovation carriers")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_create"] = can_write(self.request.user)
        ctx["object_list"] = add_linked_counts(ctx["object_list"])
        return ctx


def add_linked_counts(carriers) -> list:
    """Each shown carrier's number of linked enterprises: one grouped query for the page's rows (a
    count annotated on the whole list would group every row before paging)."""
    carriers = list(carriers)
    through = Carrier.incubated.through
    counts = dict(
        through.objects.filter(carrier__in=[c.pk for c in carriers])
        .values("carrier")
        .annotate(n=Count("pk"))
        .values_list("carrier", "n")
    )
    for carrier in carriers:
        carrier.linked = counts.get(carrier.pk, 0)
    return carriers


class CarrierDetailView(ObjectDetailView):
    queryset = Carrier.objects.select_related("unit", "enterprise")
    template_name = "carriers/carrier_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj, user = ctx["object"], self.request.user
        incubated = list(obj.incubated.select_related("unit").order_by("name"))
        visible = set(
            obj.incubated.model.objects.for_user(user)
            .filter(pk__in=[e.pk for e in incubated])
            .values_list("pk", flat=True)
        )
        writable = can_write(user) and Carrier.objects.writable_by(user).filter(pk=obj.pk).exists()
        ctx.update(
            page_title=obj.name,
            incubated=incubated,
            visible_enterprises=visible,
            incubated_total=len(incubated) + obj.incubated_other,
            host_visible=obj.enterprise_id is not None
            and obj.enterprise.__class__.objects.for_user(user).filter(pk=obj.enterprise_id).exists(),
            history=history_for(obj, user),
            can_edit=writable,
        )
        return ctx


class WriterOnlyMixin:
    """Enterprise users see their carriers but do not keep the registry."""

    def get_queryset(self):
        return super().get_queryset() if can_write(self.request.user) else Carrier.objects.none()


class CarrierEditView(WriterOnlyMixin, ObjectEditView):
    queryset = Carrier.objects.all()
    form_class = CarrierForm

    def check_create(self):
        if not can_write(self.request.user):
            raise PermissionDenied(_("Your role may not create carriers."))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = (
            _("New carrier") if ctx["creating"] else _("Edit %(name)s") % {"name": self.object}
        )
        return ctx

    def get_cancel_url(self):
        return self.object.get_absolute_url() if self.object.pk else reverse("carriers:carrier-list")


class CarrierDeleteView(WriterOnlyMixin, ObjectDeleteView):
    queryset = Carrier.objects.all()

    def get_success_url(self, obj):
        return reverse("carriers:carrier-list")
