"""The demo district's ground truth: seed 001's "一、发展现状" figures for Dongli district, 2009.

Money in 万元 (491.46亿元 = 4,914,600万元). The 2009 enterprise years of the demo sum to these
exactly; the tests assert every one of them.
"""

from decimal import Decimal

from peiyu.enterprises.choices import RevenueBand

YEAR = 2009
ENTERPRISES = 520

# 年销售收入 10亿元以上 3家, 3-10亿元 14家, 1-3亿元 31家, 500万元-1亿元 270家, 500万元以下 202家.
BAND_COUNTS = {
    RevenueBand.FROM_1B: 3,
    RevenueBand.FROM_300M_TO_1B: 14,
    RevenueBand.FROM_100M_TO_300M: 31,
    RevenueBand.FROM_5M_TO_100M: 270,
    RevenueBand.UNDER_5M: 202,
}

# Sums over the 520 enterprises, keyed by EnterpriseYear field.
MONEY_TOTALS = {
    "total_assets": Decimal("4914600"),  # 资产总额 491.46亿元
    "revenue": Decimal("3627100"),  # 销售收入 362.71亿元
    "hitech_revenue": Decimal("1835400"),  # 高新技术产品收入 183.54亿元
    "taxes": Decimal("356000"),  # 上缴税收 35.6亿元
    "rd_expense": Decimal("176300"),  # 科技活动经费支出 17.63亿元
}
COUNT_TOTALS = {
    "employees": 49676,  # 从业人员
    "college_staff": 13033,  # 大专以上从业人员
    "tech_staff": 12875,  # 从事科技活动的人员
    "invention_patents": 103,  # 有效发明专利
}
# 有效专利 995件, of which 103 invention patents: the other 892 are utility models and designs.
OTHER_PATENTS = 995 - 103
# 战略性新兴产业领域企业 211家.
EMERGING_ENTERPRISES = 211
