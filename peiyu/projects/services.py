"""The rules of the projects app: eligibility, amounts and budgets, scores, draws, decision,
publicity and approval. Every write that touches money runs in one transaction and refuses, with a
Chinese message, anything over the call's budget or a project's approved amount."""

import datetime
from collections import namedtuple
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from peiyu.core.history import acting_as
from peiyu.core.models import Unit
from peiyu.enterprises.choices import QualificationKind, Stage
from peiyu.enterprises.models import EnterpriseYear, Qualification
from peiyu.projects import draw as drawing
from peiyu.projects.choices import AffiliationKind, AppState
from peiyu.projects.models import (
    OPEN_PROJECT_STATES,
    Application,
    Call,
    Draw,
    DrawMember,
    Expert,
    Project,
    Review,
    Tranche,
)

CENT = Decimal("0.01")
ZERO = Decimal(0)


def wan(amount) -> str:
    """An amount in 万元 as users read it: two decimals."""
    return f"{Decimal(amount or 0).quantize(CENT, ROUND_HALF_UP):,}万元"


# ---------------------------------------------------------------- eligibility


@dataclass
class Check:
    label: str
    ok: bool
    detail: str = ""


@dataclass
class Eligibility:
    checks: list[Check]

    @property
    def eligible(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def reasons(self) -> list[str]:
        return [c.detail or c.label for c in self.checks if not c.ok]


def figures_year(call: Call) -> int:
    """Figures of year Y serve applications in Y + 1."""
    return call.year - 1


def eligibility(call: Call, enterprise, today: datetime.date | None = None) -> Eligibility:
    """Whether the enterprise may apply to the call, condition by condition, with the reason of each
    failure. Conditions are data on the call: rule sets (evaluation app), qualifications held, life-cycle
    stages, units, and no open overdue project."""
    rules = call.eligibility or {}
    today = today or timezone.localdate()
    year = figures_year(call)
    checks = []
    for code in rules.get("rulesets", []):
        checks.append(_ruleset_check(code, enterprise, year))
    if rules.get("qualifications"):
        held = set(
            Qualification.objects.current(today).filter(enterprise=enterprise).values_list("kind", flat=True)
        )
        wanted = rules["qualifications"]
        names = "或".join(str(QualificationKind(k).label) for k in wanted)
        ok = bool(held & set(wanted))
        checks.append(
            Check(
                _("Qualification held: %(names)s") % {"names": names},
                ok,
                "" if ok else _("No current qualification: %(names)s") % {"names": names},
            )
        )
    if rules.get("stages"):
        stage = (
            EnterpriseYear.objects.filter(enterprise=enterprise, year=year)
            .values_list("stage", flat=True)
            .first()
        )
        names = "、".join(str(Stage(s).label) for s in rules["stages"])
        ok = stage in rules["stages"]
        shown = Stage(stage).label if stage else _("no figures for %(year)s") % {"year": year}
        checks.append(
            Check(
                _("Life-cycle stage: %(names)s") % {"names": names},
                ok,
                ""
                if ok
                else _("Life-cycle stage in %(year)s is %(stage)s; the call is for %(names)s")
                % {"year": year, "stage": shown, "names": names},
            )
        )
    if rules.get("units"):
        allowed = set()
        for unit in Unit.objects.filter(code__in=rules["units"]):
            allowed |= set(Unit.objects.subtree_ids(unit))
        ok = enterprise.unit_id in allowed or enterprise.park_id in allowed
        names = "、".join(Unit.objects.filter(code__in=rules["units"]).values_list("name", flat=True))
        checks.append(
            Check(
                _("Located in: %(names)s") % {"names": names},
                ok,
                "" if ok else _("The call is only for enterprises in %(names)s") % {"names": names},
            )
        )
    if rules.get("no_open_overdue", True):
        late = [
            p
            for p in Project.objects.filter(enterprise=enterprise, state__in=OPEN_PROJECT_STATES)
            if p.overdue(today)
        ]
        ok = not late
        checks.append(
            Check(
                _("No overdue project"),
                ok,
                ""
                if ok
                else _("Project “%(title)s” is overdue (report or acceptance not done)")
                % {"title": late[0].title},
            )
        )
    return Eligibility(checks)


def _ruleset_check(code: str, enterprise, year: int) -> Check:
    from peiyu.evaluation import engine, explain
    from peiyu.evaluation.dbframes import input_for
    from peiyu.evaluation.services import ruleset_record

    record = ruleset_record(code)
    label = _("Meets %(rules)s") % {"rules": record.name}
    inp = input_for(enterprise, year)
    if inp is None:
        return Check(
            label, False, _("%(rules)s: no figures for %(year)s") % {"rules": record.name, "year": year}
        )
    result = engine.evaluate(record.parsed, inp)
    if result.eligible is True:
        return Check(label, True)
    why = "；".join(explain.reasons(result)) or explain.summary(result)
    return Check(label, False, f"{record.name}：{why}")


# ---------------------------------------------------------------- amounts and budgets


def amount_limit(call: Call, total_investment) -> Decimal | None:
    """The most an application may ask: the cap, and the ratio of its total investment."""
    limits = []
    if call.funding_cap is not None:
        limits.append(call.funding_cap)
    if call.funding_ratio is not None and total_investment is not None:
        limits.append((Decimal(total_investment) * call.funding_ratio / 100).quantize(Decimal("0.0001")))
    return min(limits) if limits else None


def check_request(call: Call, requested, total_investment) -> None:
    errors = {}
    if requested is not None and requested <= 0:
        errors["requested_amount"] = _("The amount requested must be more than zero.")
    if requested is not None and total_investment is not None and requested > total_investment:
        errors["requested_amount"] = _(
            "The amount requested (%(a)s) cannot exceed the total investment (%(b)s)."
        ) % {"a": wan(requested), "b": wan(total_investment)}
    limit = amount_limit(call, total_investment)
    if requested is not None and limit is not None and requested > limit and "requested_amount" not in errors:
        errors["requested_amount"] = _(
            "At most %(limit)s may be requested (funding cap %(cap)s, ratio %(ratio)s%% of the total investment)."
        ) % {
            "limit": wan(limit),
            "cap": wan(call.funding_cap) if call.funding_cap is not None else "—",
            "ratio": call.funding_ratio if call.funding_ratio is not None else "—",
        }
    if errors:
        raise ValidationError(errors)


def form_errors(call: Call, answers: dict) -> dict[str, str]:
    """Missing required answers and malformed numbers in the call's form, by field name."""
    errors = {}
    for section in call.form_sections or []:
        for f in section.get("fields", []):
            value = str(answers.get(f["name"], "") or "").strip()
            if not value:
                if f.get("required"):
                    errors[f["name"]] = _("“%(label)s” is required.") % {"label": f["label"]}
                continue
            if f.get("kind") == "int" and not value.isdigit():
                errors[f["name"]] = _("“%(label)s” must be a whole number.") % {"label": f["label"]}
            if f.get("kind") == "money":
                try:
                    if Decimal(value) < 0:
                        raise ValueError
                except Exception:
                    errors[f["name"]] = _("“%(label)s” must be an amount in 10k yuan.") % {
                        "label": f["label"]
                    }
    return errors


def submit(app: Application, user) -> None:
    """Submit (or resubmit) an application: refused after the deadline, with the deadline shown, and
    when the form or the required attachments are incomplete."""
    from peiyu.core.attachments.services import attachments_of
    from peiyu.core.workflows import TransitionNotAllowed

    call = app.call
    if timezone.now() > call.closes_at:
        deadline = timezone.localtime(call.closes_at).strftime("%Y年%m月%d日 %H:%M")
        raise TransitionNotAllowed(
            _("The deadline (%(deadline)s) has passed: submissions are no longer accepted.")
            % {"deadline": deadline}
        )
    problems = list(form_errors(call, app.answers).values())
    if app.requested_amount is None:
        problems.append(_("The amount requested is required."))
    required = call.required_attachments or []
    if required and len(attachments_of(app)) < len(required):
        problems.append(_("Attach the required files: %(files)s") % {"files": "、".join(required)})
    if problems:
        raise ValidationError(problems)
    check_request(call, app.requested_amount, app.total_investment)
    app.apply_transition("submit", user)


# ---------------------------------------------------------------- scores


def trimmed_mean(scores: list[Decimal], trim_from: int = 5) -> Decimal | None:
    """The mean after dropping the highest and the lowest score, when at least `trim_from` experts
    scored (fewer: the plain mean), to two decimals, half up."""
    values = sorted(Decimal(s) for s in scores)
    if not values:
        return None
    if trim_from and len(values) >= trim_from and len(values) > 2:
        values = values[1:-1]
    return (sum(values) / len(values)).quantize(CENT, ROUND_HALF_UP)


def spread(scores: list[Decimal]) -> Decimal | None:
    return (max(scores) - min(scores)) if scores else None


def criterion_errors(call: Call, scores: dict) -> dict[str, str]:
    errors = {}
    for c in call.criteria():
        raw = str(scores.get(c["code"], "")).strip()
        try:
            value = Decimal(raw)
        except Exception:
            errors[c["code"]] = _("“%(label)s”: enter a score.") % {"label": c["label"]}
            continue
        if not value.is_finite() or value < 0 or value > Decimal(str(c["max"])):
            errors[c["code"]] = _("“%(label)s”: the score must be between 0 and %(max)s.") % {
                "label": c["label"],
                "max": c["max"],
            }
    return errors


@transaction.atomic
def save_review(review: Review, scores: dict, comment: str) -> None:
    """Store an expert's scores (each within its criterion's maximum) and update the application's score."""
    call = review.application.call
    errors = criterion_errors(call, scores)
    if errors:
        raise ValidationError(errors)
    if call.decided_at is not None:
        raise ValidationError(_("The bureau has decided this call: scores can no longer change."))
    review.scores = {c["code"]: str(Decimal(str(scores[c["code"]]).strip())) for c in call.criteria()}
    review.total = sum((Decimal(v) for v in review.scores.values()), ZERO)
    review.comment = comment
    review.submitted_at = timezone.now()
    review.save()
    rescore(review.application)


def rescore(app: Application) -> None:
    totals = list(
        app.reviews.filter(submitted_at__isnull=False, excused=False).values_list("total", flat=True)
    )
    app.score = trimmed_mean(totals, app.call.trim_from)
    app.score_spread = spread(totals)
    Application.objects.filter(pk=app.pk).update(score=app.score, score_spread=app.score_spread)


RANKED_STATES = (AppState.ACCEPTED, AppState.APPROVED, AppState.NOT_APPROVED)


def ranked(call: Call):
    """Applications in review (or decided) by score, best first, unscored last."""
    return (
        call.applications.filter(state__in=RANKED_STATES)
        .select_related("enterprise", "enterprise__unit")
        .order_by(F("score").desc(nulls_last=True), "pk")
    )


def with_review_counts(apps: list[Application]) -> list[Application]:
    """Set `n_reviews` (scores counted: submitted, not excused) on these applications, by one grouped query."""
    counts = dict(
        Review.objects.filter(application__in=[a.pk for a in apps], submitted_at__isnull=False, excused=False)
        .values_list("application_id")
        .annotate(n=Count("pk"))
    )
    for a in apps:
        a.n_reviews = counts.get(a.pk, 0)
    return apps


def ranking(call: Call) -> list[Application]:
    return with_review_counts(list(ranked(call)))


Light = namedtuple("Light", "pk score requested_amount total_investment")


def light_ranking(call: Call):
    """The ranking as plain tuples, read lazily: the proposal stops reading where its list closes."""
    rows = call.applications.filter(state__in=RANKED_STATES).order_by(F("score").desc(nulls_last=True), "pk")
    return (Light(*r) for r in rows.values_list(*Light._fields).iterator(chunk_size=200))


def proposal(call: Call, apps) -> dict[int, Decimal]:
    """The proposed list: in rank order, those at or above the pass score, each at its request (within
    the cap and ratio), while the budget lasts; the first that does not fit closes the list."""
    left = call.budget if call.budget is not None else None
    out = {}
    for app in apps:
        if app.score is None or app.score < call.pass_score:
            break
        amount = app.requested_amount or ZERO
        limit = amount_limit(call, app.total_investment)
        if limit is not None:
            amount = min(amount, limit)
        if left is not None and amount > left:
            break
        out[app.pk] = amount
        if left is not None:
            left -= amount
    return out


@transaction.atomic
def decide(given: Call, amounts: dict[int, Decimal], user) -> None:
    """The bureau's decision: the listed applications with their amounts (the rest get nothing). Refused
    — nothing saved — when an amount is over the request or the cap, or the total over the budget."""
    call = Call.objects.select_for_update().get(pk=given.pk)
    apps = {a.pk: a for a in call.applications.filter(state=AppState.ACCEPTED)}
    errors = []
    total = ZERO
    for pk, amount in amounts.items():
        app = apps.get(pk)
        if app is None:
            errors.append(_("Application %(pk)s is not in review in this call.") % {"pk": pk})
            continue
        limit = amount_limit(call, app.total_investment)
        if amount <= 0:
            errors.append(_("“%(title)s”: the amount must be more than zero.") % {"title": app.title})
        elif app.requested_amount is not None and amount > app.requested_amount:
            errors.append(
                _("“%(title)s”: %(amount)s is more than the %(requested)s requested.")
                % {"title": app.title, "amount": wan(amount), "requested": wan(app.requested_amount)}
            )
        elif limit is not None and amount > limit:
            errors.append(
                _("“%(title)s”: %(amount)s is over the limit of %(limit)s.")
                % {"title": app.title, "amount": wan(amount), "limit": wan(limit)}
            )
        total += amount
    if call.budget is not None and total > call.budget:
        errors.append(
            _("The amounts add up to %(total)s, over the call's budget of %(budget)s.")
            % {"total": wan(total), "budget": wan(call.budget)}
        )
    if errors:
        raise ValidationError(errors)
    with acting_as(user):
        for app in apps.values():
            app.proposed_amount = amounts.get(app.pk)
            app.save(update_fields=["proposed_amount", "updated"])
        call.decided_at = given.decided_at = timezone.now()
        call.save(update_fields=["decided_at", "updated"])


@transaction.atomic
def publish(call: Call, start: datetime.date, user) -> None:
    """Start publicity (公示): the list becomes public and scores visible to applicants."""
    if call.decided_at is None:
        raise ValidationError(_("Decide the list before publishing it."))
    with acting_as(user):
        call.publicity_start = start
        call.save(update_fields=["publicity_start", "updated"])


@transaction.atomic
def approve(call: Call, user, today: datetime.date | None = None) -> list[Project]:
    """After the publicity period: approve the listed applications (立项), create their projects, and
    decline the others in review."""
    today = today or timezone.localdate()
    if call.publicity_end is None or today <= call.publicity_end:
        raise ValidationError(
            _("Approval comes after the publicity period, which ends on %(end)s.")
            % {"end": call.publicity_end.strftime("%Y年%m月%d日") if call.publicity_end else "—"}
        )
    projects = []
    for app in call.applications.filter(state=AppState.ACCEPTED).select_related("enterprise"):
        if app.proposed_amount:
            app.approved_amount = app.proposed_amount
            app.apply_transition("approve", user)
            with acting_as(user):
                projects.append(
                    Project.objects.create(
                        application=app,
                        call=call,
                        enterprise=app.enterprise,
                        title=app.title,
                        approved_amount=app.approved_amount,
                        approved_on=today,
                    )
                )
        else:
            app.apply_transition("decline", user)
    with acting_as(user):
        call.approved_at = timezone.now()
        call.save(update_fields=["approved_at", "updated"])
    return projects


def committed(call: Call) -> Decimal:
    """Money approved in a call (or proposed, before approval)."""
    field = "approved_amount" if call.approved_at else "proposed_amount"
    return call.applications.aggregate(s=Sum(field))["s"] or ZERO


@transaction.atomic
def add_tranche(project: Project, amount: Decimal, planned_on, condition: str = "", user=None) -> Tranche:
    """A payment of the project's money; refused when the tranches would exceed the approved amount."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    planned = project.tranches.aggregate(s=Sum("amount"))["s"] or ZERO
    if planned + amount > project.approved_amount:
        raise ValidationError(
            {
                "amount": _(
                    "The tranches would add up to %(total)s, over the approved %(approved)s (%(left)s left)."
                )
                % {
                    "total": wan(planned + amount),
                    "approved": wan(project.approved_amount),
                    "left": wan(project.approved_amount - planned),
                }
            }
        )
    number = (project.tranches.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    with acting_as(user):
        return Tranche.objects.create(
            project=project, number=number, amount=amount, planned_on=planned_on, condition=condition
        )


# ---------------------------------------------------------------- draws


def avoidance_reason(code: str) -> str:
    """Why an expert was avoided, in the reader's language (draws store the code)."""
    reasons = {
        "works_there": _("works at the applicant"),
        "reviewed": _("reviewed it last round"),
        **{k: str(label) for k, label in AffiliationKind.choices},
    }
    return reasons.get(code, code)


def candidates(call: Call, today: datetime.date | None = None, experts=None) -> list[drawing.Candidate]:
    """Every available expert with their ties: employer, affiliations (former employers within the
    call's avoidance period) and enterprises they reviewed in the programme's previous call."""
    today = today or timezone.localdate()
    experts = list(
        (experts if experts is not None else Expert.objects.all())
        .filter(available=True)
        .prefetch_related("affiliations")
    )
    cutoff = today.replace(year=today.year - call.avoid_years) if call.avoid_years else today
    previous = (
        Call.objects.filter(programme=call.programme, year__lt=call.year).order_by("-year", "-pk").first()
    )
    reviewed: dict[int, set[int]] = {}
    if previous is not None:
        for expert_id, enterprise_id in Review.objects.filter(
            application__call=previous, excused=False
        ).values_list("expert_id", "application__enterprise_id"):
            reviewed.setdefault(expert_id, set()).add(enterprise_id)
    out = []
    for e in experts:
        ties = {drawing.name_key(e.employer): "works_there"}
        for a in e.affiliations.all():
            if a.kind == AffiliationKind.FORMER_EMPLOYER and a.ended_on and a.ended_on < cutoff:
                continue
            why = a.kind
            ties.setdefault(drawing.name_key(a.organisation), why)
            if a.uscc:
                ties.setdefault(drawing.code_key(a.uscc), why)
        for enterprise_id in reviewed.get(e.pk, ()):
            ties.setdefault(drawing.enterprise_key(enterprise_id), "reviewed")
        out.append(drawing.Candidate(e.pk, e.field, e.employer, ties))
    return out


def applicants(call: Call, group: str) -> list[drawing.Applicant]:
    rows = call.applications.filter(state=AppState.ACCEPTED, review_group=group).values_list(
        "enterprise_id", "enterprise__name", "enterprise__uscc"
    )
    return [drawing.Applicant(*row) for row in rows]


def busy_in_call(call: Call, group: str) -> set[int]:
    """Experts active in another group of the same call (one expert reviews one group)."""
    return set(
        DrawMember.objects.filter(draw__call=call, declined=False)
        .exclude(draw__group=group)
        .values_list("expert_id", flat=True)
    )


def _constraints(constraints: dict) -> dict:
    return {
        "min_fields": {k: int(v) for k, v in (constraints.get("min_fields") or {}).items() if int(v) > 0},
        "max_same_employer": constraints.get("max_same_employer") or None,
        "fields": set(constraints.get("fields") or []) or None,
    }


@transaction.atomic
def run_draw(
    call: Call, group: str, size: int, seed: int, constraints: dict, user=None, pool=None, busy=None
) -> Draw:
    """Draw a group's experts and assign them every application of the group. `pool` (candidates) and
    `busy` (experts serving other groups) may be given when several groups are drawn in a row."""
    if call.draws.filter(group=group).exists():
        raise ValidationError(
            _("Group “%(group)s” already has a draw: replace declined experts instead.") % {"group": group}
        )
    people = applicants(call, group)
    if not people:
        raise ValidationError(_("Group “%(group)s” has no applications in review.") % {"group": group})
    busy = busy_in_call(call, group) if busy is None else busy
    pool = [c for c in (candidates(call) if pool is None else pool) if c.id not in busy]
    try:
        outcome = drawing.draw(pool, people, size, seed, **_constraints(constraints))
    except drawing.DrawError as e:
        raise ValidationError(f"{group}：{e}") from None
    record = Draw.objects.create(
        call=call,
        group=group,
        seed=seed,
        size=size,
        constraints=constraints,
        created_by=user,
        excluded=[
            {"expert": pk, "reason": why, "applicant": name}
            for pk, (why, name) in sorted(outcome.avoided.items())
        ],
    )
    members = DrawMember.objects.bulk_create(
        DrawMember(draw=record, expert_id=c.id, position=position)
        for position, c in enumerate(outcome.chosen, 1)
    )
    if not all(m.pk for m in members):  # backends that do not return ids from bulk inserts
        members = list(record.members.order_by("position"))
    apps = call.applications.filter(state=AppState.ACCEPTED, review_group=group).values_list("pk", flat=True)
    write_reviews([(a, m.expert_id, m.pk) for m in members for a in apps])
    return record


def write_reviews(rows: list[tuple[int, int, int]]) -> None:
    """Insert empty reviews (application, expert, draw member) in one statement per batch: a call of
    thousands of applications gets tens of thousands, which model instances would make slow."""
    table = connection.ops.quote_name(Review._meta.db_table)
    sql = (
        f"INSERT INTO {table} (application_id, expert_id, member_id, excused, conflict_note, scores, comment) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s)"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(a, e, m, False, "", "{}", "") for a, e, m in rows])


@transaction.atomic
def run_all_draws(call: Call, size: int, seed: int, constraints: dict, user=None) -> list[Draw]:
    """Draw every group of the call that has no draw yet, each with seed + its position: the library is
    read once, and no expert serves two groups."""
    drawn = set(call.draws.values_list("group", flat=True))
    groups = sorted(
        set(
            call.applications.filter(state=AppState.ACCEPTED)
            .exclude(review_group="")
            .values_list("review_group", flat=True)
        )
        - drawn
    )
    pool = candidates(call)
    busy = set(DrawMember.objects.filter(draw__call=call, declined=False).values_list("expert_id", flat=True))
    records = []
    for n, group in enumerate(groups):
        record = run_draw(call, group, size, seed + n, constraints, user, pool=pool, busy=busy)
        busy |= set(record.members.values_list("expert_id", flat=True))
        records.append(record)
    return records


@transaction.atomic
def decline(member: DrawMember, reason: str, user=None) -> DrawMember:
    """An expert declines: keep the reason, drop their unfinished reviews, draw a replacement by the same seed."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for declining."))
    draw_ = member.draw
    call = draw_.call
    member.declined = True
    member.decline_reason = reason.strip()
    member.save()
    Review.objects.filter(member=member, submitted_at__isnull=True).delete()
    pool = {c.id: c for c in candidates(call) if c.id not in busy_in_call(call, draw_.group)}
    all_members = list(draw_.members.all())
    everyone = {
        c.id: c
        for c in candidates(call, experts=Expert.objects.filter(pk__in=[m.expert_id for m in all_members]))
    }
    members = [everyone[m.expert_id] for m in all_members if m.expert_id in everyone]
    active = [everyone[m.expert_id] for m in all_members if not m.declined and m.expert_id in everyone]
    try:
        new = drawing.replacement(
            list(pool.values()),
            applicants(call, draw_.group),
            draw_.seed,
            members,
            active,
            **_constraints(draw_.constraints),
        )
    except drawing.DrawError as e:
        raise ValidationError(str(e)) from None
    position = max(m.position for m in all_members) + 1
    fresh = DrawMember.objects.create(draw=draw_, expert_id=new.id, position=position, replaces=member)
    apps = call.applications.filter(state=AppState.ACCEPTED, review_group=draw_.group).values_list(
        "pk", flat=True
    )
    Review.objects.bulk_create(
        [Review(application_id=a, expert_id=new.id, member=fresh) for a in apps], ignore_conflicts=True
    )
    return fresh


def group_by_field(call: Call) -> int:
    """Put every application in review without a group into the group of its technical field."""
    from peiyu.enterprises.choices import HitechField

    n = 0
    for app in call.applications.filter(state=AppState.ACCEPTED, review_group=""):
        app.review_group = str(HitechField(app.field).label) if app.field else _("General")
        app.save(update_fields=["review_group", "updated"])
        n += 1
    return n
