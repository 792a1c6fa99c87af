"""The voucher life cycle: apply and issue (first come, first served against the budget), use on a
service contract, redeem, expire. Each step checks its rule, writes in one transaction and records
the state change (who, when, from, to) in the voucher's trail."""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from peiyu.core.history import acting_as
from peiyu.core.models import StateTransition
from peiyu.enterprises.choices import EnterpriseStatus
from peiyu.enterprises.models import Enterprise, Qualification
from peiyu.support import rules
from peiyu.support.choices import ACTIVE_VOUCHER_STATES, VoucherState
from peiyu.support.models import Redemption, ServiceContract, Voucher, VoucherPolicy, add_months

ZERO = Decimal(0)


class VoucherRefused(ValidationError):
    """A step the rules refuse; the message says why, in the user's language."""


def record(voucher: Voucher, step: str, target: str, user=None, comment: str = "") -> None:
    from_state = voucher.state
    voucher.state = target
    voucher.save()
    StateTransition.objects.create(
        content_type=ContentType.objects.get_for_model(Voucher),
        object_id=voucher.pk,
        transition=step,
        from_state=from_state,
        to_state=target,
        user=user,
        user_name=user.get_username() if user else _("system"),
        comment=comment,
    )


# — budget figures ————————————————————————————————————————————————————————————————————


def committed(policy: VoucherPolicy) -> Decimal:
    """Budget taken: face values of vouchers still open (issued or used) plus what was redeemed.
    Expired and refused vouchers give their money back."""
    open_face = (
        Voucher.objects.filter(policy=policy, state__in=ACTIVE_VOUCHER_STATES).aggregate(s=Sum("face_value"))[
            "s"
        ]
        or ZERO
    )
    redeemed = Redemption.objects.filter(voucher__policy=policy).aggregate(s=Sum("amount"))["s"] or ZERO
    return open_face + redeemed


def remaining_budget(policy: VoucherPolicy) -> Decimal:
    return policy.total_budget - committed(policy)


def redeemed_in_year(enterprise, year: int, exclude_voucher=None) -> Decimal:
    qs = Redemption.objects.filter(voucher__enterprise=enterprise, voucher__policy__year=year)
    if exclude_voucher is not None:
        qs = qs.exclude(voucher=exclude_voucher)
    return qs.aggregate(s=Sum("amount"))["s"] or ZERO


def enterprise_committed(enterprise, year: int) -> Decimal:
    """An enterprise's share of a year's cap already taken: open vouchers' face values and redemptions."""
    open_face = (
        Voucher.objects.filter(
            enterprise=enterprise, policy__year=year, state__in=ACTIVE_VOUCHER_STATES
        ).aggregate(s=Sum("face_value"))["s"]
        or ZERO
    )
    return open_face + redeemed_in_year(enterprise, year)


# — eligibility, apply and issue ——————————————————————————————————————————————————————


def eligibility_problems(policy: VoucherPolicy, enterprise: Enterprise, on: datetime.date) -> list[str]:
    problems = []
    if not policy.is_open:
        problems.append(_("The policy is not open for applications."))
    if enterprise.status != EnterpriseStatus.ACTIVE:
        problems.append(
            _("The enterprise is not in business in the district (%(status)s).")
            % {"status": enterprise.get_status_display()}
        )
    kinds = policy.eligible_kinds
    if kinds and not Qualification.objects.current(on).filter(enterprise=enterprise, kind__in=kinds).exists():
        problems.append(
            _("The enterprise holds none of the qualifications the policy requires: %(kinds)s.")
            % {"kinds": "、".join(policy.eligible_kinds_display())}
        )
    return problems


def next_number(policy: VoucherPolicy) -> str:
    n = Voucher.objects.filter(policy=policy).count() + 1
    return f"CXQ{policy.year}-{policy.pk:02d}-{n:05d}"


def apply(
    policy: VoucherPolicy,
    enterprise: Enterprise,
    category: str,
    face_value: Decimal,
    user,
    applied_on: datetime.date | None = None,
    purpose: str = "",
    legal_representative: str = "",
) -> Voucher:
    """Apply for a voucher and issue it at once if the rules allow: first come, first served. The
    policy row (and the enterprise's) is locked, so two requests for the last of the budget are
    served one after the other and the second sees the budget already taken."""
    applied_on = applied_on or timezone.localdate()
    face_value = Decimal(face_value)
    if face_value <= 0:
        raise VoucherRefused(_("The face value must be more than zero."))
    with transaction.atomic(), acting_as(user):
        policy = VoucherPolicy.objects.select_for_update().get(pk=policy.pk)
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        problems = eligibility_problems(policy, enterprise, applied_on)
        if not policy.shares.filter(category=category).exists():
            problems.append(_("The policy pays nothing for this service category."))
        left = policy.total_budget - committed(policy)
        if face_value > left:
            problems.append(
                _("The budget has %(left)s left; the voucher asks for %(face)s.")
                % {"left": rules.wan(max(left, ZERO)), "face": rules.wan(face_value)}
            )
        cap_left = policy.enterprise_annual_cap - enterprise_committed(enterprise, policy.year)
        if face_value > cap_left:
            problems.append(
                _(
                    "The enterprise has %(left)s of its annual cap of %(cap)s left; the voucher asks for %(face)s."
                )
                % {
                    "left": rules.wan(max(cap_left, ZERO)),
                    "cap": rules.wan(policy.enterprise_annual_cap),
                    "face": rules.wan(face_value),
                }
            )
        if problems:
            raise VoucherRefused(problems)
        voucher = Voucher.objects.create(
            policy=policy,
            enterprise=enterprise,
            number=next_number(policy),
            category=category,
            face_value=face_value,
            purpose=purpose,
            legal_representative=legal_representative,
            applied_on=applied_on,
            issued_on=applied_on,
            expires_on=add_months(applied_on, policy.validity_months) - datetime.timedelta(days=1),
            state=VoucherState.ISSUED,
            applicant=user,
        )
        StateTransition.objects.create(
            content_type=ContentType.objects.get_for_model(Voucher),
            object_id=voucher.pk,
            transition="issue",
            from_state="",
            to_state=VoucherState.ISSUED,
            user=user,
            user_name=user.get_username() if user else "",
        )
        return voucher


# — use on a contract ————————————————————————————————————————————————————————————————


def affiliation_problems(voucher: Voucher, provider) -> list[str]:
    """川科政〔2025〕6号: no affiliation or equity tie, and not one legal person on both sides."""
    enterprise = voucher.enterprise
    problems = []
    if provider.uscc.upper() == enterprise.uscc.upper():
        problems.append(_("The same legal person is both customer and provider."))
    elif enterprise.uscc.upper() in provider.affiliated_codes():
        problems.append(
            _("The provider is affiliated with the enterprise (an affiliation or equity tie is registered).")
        )
    rep_a, rep_b = voucher.legal_representative.strip(), provider.legal_representative.strip()
    if rep_a and rep_a == rep_b:
        problems.append(
            _("The enterprise and the provider have the same legal representative (%(name)s).")
            % {"name": rep_a}
        )
    return problems


def use(
    voucher: Voucher,
    provider,
    fee: Decimal,
    invoice_date: datetime.date,
    user,
    service=None,
    persons: int | None = None,
    contract_number: str = "",
    invoice_number: str = "",
    mandatory_testing: bool = False,
) -> ServiceContract:
    with transaction.atomic(), acting_as(user):
        voucher = (
            Voucher.objects.select_for_update(of=("self",))
            .select_related("enterprise", "policy")
            .get(pk=voucher.pk)
        )
        problems = []
        if voucher.state != VoucherState.ISSUED:
            raise VoucherRefused(
                _("Only an issued voucher can be used; this one is “%(state)s”.")
                % {"state": voucher.get_state_display()}
            )
        if not provider.is_active or provider.deleted_at is not None:
            problems.append(_("The provider is not registered."))
        problems += affiliation_problems(voucher, provider)
        if mandatory_testing:
            problems.append(_("Testing the law makes mandatory is excluded from vouchers."))
        if service is not None and (
            service.provider_id != provider.pk or service.category != voucher.category
        ):
            problems.append(_("The service is not one this provider offers in the voucher's category."))
        if fee is None or Decimal(fee) <= 0:
            problems.append(_("The service fee must be more than zero."))
        if invoice_date < voucher.issued_on or invoice_date > voucher.expires_on:
            problems.append(
                _("The invoice date %(date)s is outside the voucher's validity (%(start)s to %(end)s).")
                % {"date": invoice_date, "start": voucher.issued_on, "end": voucher.expires_on}
            )
        share = voucher.policy.share_for(voucher.category)
        if share is not None and share.per_person_cap is not None and not persons:
            problems.append(_("Give the number of persons trained: this category is capped per person."))
        if problems:
            raise VoucherRefused(problems)
        contract = ServiceContract.objects.create(
            voucher=voucher,
            provider=provider,
            service=service,
            fee=fee,
            invoice_date=invoice_date,
            persons=persons,
            contract_number=contract_number,
            invoice_number=invoice_number,
        )
        record(voucher, "use", VoucherState.USED, user)
        return contract


# — redeem ——————————————————————————————————————————————————————————————————————————


def redeem(voucher: Voucher, user, on: datetime.date | None = None) -> Redemption:
    """Pay out a used voucher: min(share cap × fee, remaining annual cap, face value), split into
    provincial and local money. The enterprise row is locked while its year's redemptions are summed."""
    on = on or timezone.localdate()
    with transaction.atomic(), acting_as(user):
        voucher = (
            Voucher.objects.select_for_update(of=("self",))
            .select_related("policy", "contract")
            .get(pk=voucher.pk)
        )
        if voucher.state != VoucherState.USED:
            raise VoucherRefused(
                _("Only a used voucher can be redeemed; this one is “%(state)s”.")
                % {"state": voucher.get_state_display()}
            )
        Enterprise.objects.select_for_update().get(pk=voucher.enterprise_id)
        policy, contract = voucher.policy, voucher.contract
        share = policy.share_for(voucher.category)
        remaining = policy.enterprise_annual_cap - redeemed_in_year(voucher.enterprise_id, policy.year)
        result = rules.voucher_subsidy(
            contract.fee,
            share.share_cap,
            remaining,
            voucher.face_value,
            share.per_person_cap,
            contract.persons,
        )
        if result.amount <= 0:
            raise VoucherRefused(
                _("The enterprise's annual cap of %(cap)s is used up.")
                % {"cap": rules.wan(policy.enterprise_annual_cap)}
            )
        provincial, local = rules.split(result.amount, policy.provincial_share)
        redemption = Redemption.objects.create(
            voucher=voucher,
            redeemed_on=on,
            fee=contract.fee,
            share_cap=share.share_cap,
            by_share=result.by_share,
            remaining_cap=max(remaining, ZERO),
            amount=result.amount,
            provincial_amount=provincial,
            local_amount=local,
            reasons=result.reasons,
        )
        record(voucher, "redeem", VoucherState.REDEEMED, user)
        return redemption


# — expire ——————————————————————————————————————————————————————————————————————————


def expire_due(today: datetime.date | None = None) -> int:
    """Issued vouchers whose last valid day is before `today` lapse (the periodic task runs daily).
    A voucher is valid through `expires_on`: one applied on 20 May lapses on 20 August."""
    today = today or timezone.localdate()
    n = 0
    due = list(
        Voucher.objects.filter(state=VoucherState.ISSUED, expires_on__lt=today).values_list("pk", flat=True)
    )
    for pk in due:
        with transaction.atomic():
            voucher = Voucher.objects.select_for_update().filter(pk=pk, state=VoucherState.ISSUED).first()
            if voucher is not None:
                record(
                    voucher,
                    "expire",
                    VoucherState.EXPIRED,
                    None,
                    _("unused by %(date)s") % {"date": voucher.expires_on},
                )
                n += 1
    return n


def monthly_use(policy: VoucherPolicy) -> list[dict]:
    """Budget use per month: face value issued and amounts redeemed."""
    from django.db.models.functions import TruncMonth

    issued = {
        row["m"]: row["s"]
        for row in Voucher.objects.filter(policy=policy, issued_on__isnull=False)
        .annotate(m=TruncMonth("issued_on"))
        .values("m")
        .annotate(s=Sum("face_value"))
        .order_by()
    }
    redeemed = {
        row["m"]: row["s"]
        for row in Redemption.objects.filter(voucher__policy=policy)
        .annotate(m=TruncMonth("redeemed_on"))
        .values("m")
        .annotate(s=Sum("amount"))
        .order_by()
    }
    months = sorted(set(issued) | set(redeemed))
    return [{"month": m, "issued": issued.get(m, ZERO), "redeemed": redeemed.get(m, ZERO)} for m in months]
