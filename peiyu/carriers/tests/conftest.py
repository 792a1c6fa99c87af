import datetime

import pytest

from peiyu.carriers.models import Carrier


def make_carrier(
    unit, name, kind="incubator", level="district", recognised_on=datetime.date(2020, 5, 1), **fields
):
    fields.setdefault("status", "operating")
    return Carrier.objects.create(
        unit=unit, name=name, kind=kind, level=level, recognised_on=recognised_on, **fields
    )


@pytest.fixture
def carriers(units, enterprises):
    """An incubator in town A holding 华东科技 (ent_a's enterprise), a maker space in town B and an
    R&D centre in town A's park hosted by 丰年电子 (town B's enterprise)."""
    a = make_carrier(
        units["town_a"], "张贵庄孵化器", operator="张贵庄运营公司", level="city", incubated_other=3
    )
    a.incubated.add(enterprises["a"])
    b = make_carrier(units["town_b"], "丰年众创空间", kind="maker_space", operator="丰年创业服务中心")
    park = make_carrier(
        units["park_a"], "科技园研发中心", kind="rd_centre", enterprise=enterprises["b"], level="national"
    )
    return {"a": a, "b": b, "park": park}
