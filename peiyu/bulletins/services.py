"""Generating, freezing and publishing bulletins. A bulletin is computed once, from the template
as it stands and the reported figures of its period, and stored with that snapshot and its files;
nothing later recomputes it."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peiyu.bulletins import documents, engine
from peiyu.bulletins.models import Bulletin, BulletinTemplate, ReportedInput
from peiyu.core.choices import Role
from peiyu.core.models import Unit, User
from peiyu.core.notifications import notify
from peiyu.core.periods import Period

PUBLISHED_KIND = "bulletins.published"


def units_for(user):
    """The units a user may make bulletins for: their unit and everything below it."""
    if user.is_superuser or user.unit_id is None and user.role == Role.BUREAU:
        return Unit.objects.exclude(kind="park")
    if user.unit_id is None:
        return Unit.objects.none()
    return Unit.objects.filter(pk__in=Unit.objects.subtree_ids(user.unit))


def check_may_generate(user, unit) -> None:
    if not (user.is_superuser or user.role in (Role.BUREAU, Role.UNIT)):
        raise PermissionDenied(_("Only bureau and unit staff generate bulletins."))
    if not units_for(user).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("You may generate bulletins only for your own unit and the units under it."))


def inputs_for(unit, period: Period) -> dict:
    """The reported figures of the unit for the period: key → (value, source)."""
    rows = ReportedInput.objects.filter(unit=unit, period=period.code)
    return {row.key: (row.value, row.source) for row in rows}


def written(template_body: dict, snapshot: dict, title: str) -> dict:
    return engine.document(template_body, snapshot, title)


def build(template: BulletinTemplate, unit, period: Period, progress=None) -> tuple[dict, dict, bytes, bytes]:
    """Compute the snapshot, write the document and make both files."""
    progress = progress or (lambda phase, done, total: None)
    progress("figures", 0, 3)
    frozen = {
        "body": template.body,
        "title": template.title,
        "settings": template.settings,
        "name": template.name,
    }
    snapshot = engine.compute(template.body, unit, period, inputs_for(unit, period), template.settings)
    doc = written(template.body, snapshot, template.title)
    progress("docx", 1, 3)
    docx = documents.docx_bytes(doc)
    progress("xlsx", 2, 3)
    xlsx = documents.xlsx_bytes(doc)
    progress("saving", 3, 3)
    return frozen, snapshot, docx, xlsx, doc


def generate(template: BulletinTemplate, unit, period: Period, user, progress=None) -> Bulletin:
    """A new draft bulletin, frozen with its snapshot and files (one transaction)."""
    check_may_generate(user, unit)
    frozen, snapshot, docx, xlsx, doc = build(template, unit, period, progress)
    with transaction.atomic():
        return Bulletin.objects.create(
            template=template,
            unit=unit,
            period=period.code,
            title=doc["title"],
            frozen_template=frozen,
            snapshot=snapshot,
            docx=docx,
            xlsx=xlsx,
            generated_by=user,
        )


def document_of(bulletin: Bulletin) -> dict:
    """The archived bulletin as written, from its frozen template and snapshot only."""
    frozen = bulletin.frozen_template
    return written(frozen["body"], bulletin.snapshot, frozen["title"])


def publish(bulletin: Bulletin, user, comment: str = "") -> None:
    """Publish (workflow step) and tell the leaders who can see it."""
    with transaction.atomic():
        bulletin.apply_transition("publish", user, comment=comment)
        bulletin.published_at = timezone.now()
        bulletin.save(update_fields=["published_at", "updated"])
        leaders = User.objects.filter(role=Role.LEADER, is_active=True)
        notify(
            PUBLISHED_KIND,
            leaders,
            title=_("Bulletin published: %(title)s") % {"title": bulletin.title},
            body=_("%(unit)s, %(period)s.")
            % {"unit": bulletin.unit.name, "period": Period.parse(bulletin.period).label},
            source=bulletin,
            reason=_("You are a leader of this unit."),
        )
