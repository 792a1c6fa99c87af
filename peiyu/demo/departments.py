"""The bureau's departments (科室) and the leaders in charge of them (分管领导), from the
responsibility table of seed 004 (the bureau's rectification plan): its measures name 局办公室,
高新技术科, 科技管理科 and 农业与社会发展科 (printed 农业与社会开展科 in the scanned text) as
responsible departments. The seed blanks its leaders' names ("xxx"), so the demo gives the
director (the `leader` account) and two deputy directors, each in charge of some departments."""

from django.contrib.auth.hashers import make_password

from peiyu.core.choices import Role
from peiyu.core.models import Department, User
from peiyu.demo.accounts import PASSWORD

DISTRICT = "东丽区"
# (username, full name): the deputy directors; the director is the `leader` demo account.
DEPUTIES = (("fujuzhang1", "马建华"), ("fujuzhang2", "高文静"))
# Department → (leaders in charge, members), by username, in the bureau's order.
DEPARTMENTS = (
    ("局办公室", ("leader",), ("cadre1",)),
    ("高新技术科", ("fujuzhang1",), ("bureau", "cadre2", "cadre3")),
    ("科技管理科", ("fujuzhang1",), ("cadre4", "bureau")),
    ("农业与社会发展科", ("fujuzhang2",), ("cadre5",)),
)


def create_departments(units: dict, users: dict) -> list[Department]:
    district = units[DISTRICT]
    password = make_password(PASSWORD)
    people = dict(users)
    for username, name in DEPUTIES:
        people[username] = User.objects.create(
            username=username, full_name=name, role=Role.LEADER, unit=district, password=password
        )
    departments = []
    for order, (name, leaders, members) in enumerate(DEPARTMENTS, start=1):
        department = Department.objects.create(unit=district, name=name, sort_order=order * 10)
        department.leaders.set([people[u] for u in leaders])
        department.members.set([people[u] for u in members])
        departments.append(department)
    return departments
