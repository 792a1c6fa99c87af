"""The two templates Peiyu ships: seed 001's development-status section (`status`) and the
quarterly statistical bulletin of seed 004 (`quarterly`). Plain data: bureau staff change the
wording on the template page; `ensure_shipped()` creates whichever is missing."""

from peiyu.bulletins.models import BulletinTemplate


def m(name, code, fmt="count", measure="", **extra):
    return {"name": name, "metric": code, "format": fmt, "measure": measure, **extra}


BAND_SLOTS = [
    m(f"band_{band}", "enterprises.count", measure="家", params={"band": band})
    for band in ("5", "4", "3", "2", "1")
]

STATUS = {
    "slots": [
        m("count", "enterprises.count", measure="家"),
        {"name": "all_smes", "input": "all_smes", "format": "count", "measure": "家"},
        {"name": "sme_share", "ratio": ["count", "all_smes"], "format": "pct", "decimals": 1},
        {"name": "base_count", "input": "base_count", "format": "count", "measure": "家"},
        {"name": "count_times", "times": ["count", "base_count"], "format": "times", "decimals": 0},
        *BAND_SLOTS,
        m("assets", "enterprises.total_assets", "yi"),
        m("revenue", "enterprises.revenue", "yi"),
        m("hitech_revenue", "enterprises.hitech_revenue", "yi"),
        {"name": "hitech_share", "ratio": ["hitech_revenue", "revenue"], "format": "pct", "decimals": 1},
        m("taxes", "enterprises.taxes", "yi"),
        {"name": "all_taxes", "input": "sme_taxes", "format": "yi"},
        {"name": "tax_share", "ratio": ["taxes", "all_taxes"], "format": "pct", "decimals": 2},
        m("employees", "enterprises.employees", measure="人"),
        m("college_staff", "enterprises.college_staff", measure="人"),
        m("invention_patents", "enterprises.invention_patents", measure="件"),
        m("utility_patents", "enterprises.utility_patents", measure="件"),
        m("design_patents", "enterprises.design_patents", measure="件"),
        {
            "name": "patents",
            "sum": ["invention_patents", "utility_patents", "design_patents"],
            "format": "count",
            "measure": "件",
        },
        {"name": "district_patents", "input": "district_patents", "format": "count", "measure": "件"},
        {"name": "district_inventions", "input": "district_inventions", "format": "count", "measure": "件"},
        {"name": "patent_share", "ratio": ["patents", "district_patents"], "format": "pct", "decimals": 0},
        {
            "name": "invention_share",
            "ratio": ["invention_patents", "district_inventions"],
            "format": "pct",
            "decimals": 0,
        },
        m("rd_expense", "enterprises.rd_expense", "yi"),
        {"name": "rd_ratio", "ratio": ["rd_expense", "revenue"], "format": "pct", "decimals": 2},
        m("tech_staff", "enterprises.tech_staff", measure="人"),
        {"name": "tech_share", "ratio": ["tech_staff", "employees"], "format": "pct", "decimals": 2},
        m("emerging", "enterprises.count", measure="家", params={"emerging": "yes"}),
        {"name": "emerging_share", "ratio": ["emerging", "count"], "format": "pct", "decimals": 2},
        {"name": "base_emerging", "input": "base_emerging", "format": "count", "measure": "家"},
        {"name": "emerging_times", "times": ["emerging", "base_emerging"], "format": "times", "decimals": 0},
        m("count_last", "enterprises.count", measure="家", period="last_year"),
        {"name": "count_growth", "growth": ["count", "count_last"], "format": "growth"},
        m("revenue_last", "enterprises.revenue", "yi", period="last_year"),
        {"name": "revenue_growth", "growth": ["revenue", "revenue_last"], "format": "growth"},
        m("rd_last", "enterprises.rd_expense", "yi", period="last_year"),
        {"name": "rd_growth", "growth": ["rd_expense", "rd_last"], "format": "growth"},
    ],
    "sections": [
        {
            "title": "数量规模增长迅速",
            "blocks": [
                {
                    "type": "text",
                    "text": "{scope}有科技型中小企业{count}，占{scope}中小企业的{sme_share}，是“十五”末的{count_times}。"
                    "其中，年销售收入10亿元以上的企业{band_5}，3-10亿元的企业{band_4}，1-3亿元的企业{band_3}，"
                    "500万元-1亿元的企业{band_2}，500万元以下的企业{band_1}。",
                },
                {
                    "type": "table",
                    "id": "bands",
                    "title": "科技型中小企业按年销售收入分组情况",
                    "rows": "bands",
                    "row_label": "年销售收入",
                    "total": True,
                    "columns": [
                        {"label": "企业数（家）", "metric": "enterprises.count", "format": "count"},
                        {"label": "销售收入（亿元）", "metric": "enterprises.revenue", "format": "yi"},
                    ],
                },
                {
                    "type": "chart",
                    "table": "bands",
                    "column": 0,
                    "chart": "pie",
                    "title": "按年销售收入分组的企业数",
                },
            ],
        },
        {
            "title": "对经济社会发展的贡献显著",
            "blocks": [
                {
                    "type": "text",
                    "text": "{scope}科技型中小企业的资产总额为{assets}。{year}年度实现销售收入{revenue}，"
                    "其中高新技术产品收入{hitech_revenue}，占销售收入的{hitech_share}；上缴税收{taxes}，"
                    "占{scope}科技型中小企业税收总额的{tax_share}；从业人员{employees}，其中大专以上从业人员{college_staff}。",
                },
            ],
        },
        {
            "title": "对区域科技进步的贡献突出",
            "blocks": [
                {
                    "type": "text",
                    "text": "截至{period_end}，全部科技型中小企业拥有有效专利{patents}，其中发明专利{invention_patents}，"
                    "分别占到{scope}有效专利和发明专利的{patent_share}、{invention_share}。{year}年，{scope}科技型中小企业"
                    "科技活动经费支出{rd_expense}，占销售收入的{rd_ratio}；从事科技活动的人员{tech_staff}，"
                    "占{scope}科技型中小企业从业人员的{tech_share}。",
                },
            ],
        },
        {
            "title": "战略性新兴产业快速发展",
            "blocks": [
                {
                    "type": "text",
                    "text": "战略性新兴产业领域企业达到{emerging}，占{scope}科技型中小企业的{emerging_share}，"
                    "是“十五”末的{emerging_times}，呈现快速发展态势。",
                },
            ],
        },
        {
            "title": "同比变化",
            "blocks": [
                {
                    "type": "text",
                    "text": "与上年相比，{scope}科技型中小企业数量{count_growth}，销售收入{revenue_growth}，"
                    "科技活动经费支出{rd_growth}。",
                },
                {
                    "type": "table",
                    "id": "units",
                    "title": "各单位科技型中小企业情况",
                    "rows": "units",
                    "total": True,
                    "columns": [
                        {"label": "企业数（家）", "metric": "enterprises.count", "format": "count"},
                        {"label": "销售收入（亿元）", "metric": "enterprises.revenue", "format": "yi"},
                        {
                            "label": "上年销售收入（亿元）",
                            "metric": "enterprises.revenue",
                            "format": "yi",
                            "period": "last_year",
                        },
                        {"label": "销售收入同比", "growth": [1, 2], "format": "growth"},
                        {
                            "label": "科技活动经费支出（亿元）",
                            "metric": "enterprises.rd_expense",
                            "format": "yi",
                        },
                        {"label": "占销售收入比重", "ratio": [4, 1], "format": "pct", "decimals": 2},
                    ],
                },
                {
                    "type": "chart",
                    "table": "units",
                    "column": 0,
                    "chart": "bar",
                    "title": "各单位科技型中小企业数",
                },
            ],
        },
    ],
}

TARGET = {"indicator": "$indicator"}

QUARTERLY = {
    "slots": [
        m("count", "enterprises.count", measure="家"),
        m("new", "enterprises.new", measure="家", params={"qualification": "tech_sme"}),
        m("hitech", "enterprises.count", measure="家", params={"qualification": "hitech"}),
        m("count_last", "enterprises.count", measure="家", period="last_year"),
        {"name": "count_growth", "growth": ["count", "count_last"], "format": "growth"},
        m("revenue", "enterprises.revenue", "yi"),
        m("revenue_last", "enterprises.revenue", "yi", period="last_year"),
        {"name": "revenue_growth", "growth": ["revenue", "revenue_last"], "format": "growth"},
        m("rd_expense", "enterprises.rd_expense", "yi"),
        m("rd_last", "enterprises.rd_expense", "yi", period="last_year"),
        {"name": "rd_growth", "growth": ["rd_expense", "rd_last"], "format": "growth"},
        {"name": "rd_ratio", "ratio": ["rd_expense", "revenue"], "format": "pct", "decimals": 2},
        {"name": "count_rank", "rank": {"metric": "enterprises.count"}, "format": "count"},
        m("target_floor", "targets.floor", "number", params=TARGET),
        m("target_actual", "targets.actual", "number", params=TARGET),
        m("target_completion", "targets.completion", "pct", params=TARGET),
        m("target_elapsed", "targets.elapsed", "pct", params=TARGET),
        m("target_gap", "targets.schedule_gap", "schedule", params=TARGET),
        {"name": "behind", "behind": {"params": TARGET}, "format": "count"},
        {"name": "behind_count", "behind": {"params": TARGET, "part": "count"}, "format": "count"},
        {
            "name": "top_count",
            "top": {"metric": "enterprises.count", "n": 5, "measure": "家"},
            "format": "count",
        },
        {
            "name": "top_new",
            "top": {
                "metric": "enterprises.new",
                "params": {"qualification": "tech_sme"},
                "n": 5,
                "measure": "家",
            },
            "format": "count",
        },
        {
            "name": "board_leaders",
            "groups": {"metric": "enterprises.new", "params": {"qualification": "tech_sme"}, "measure": "家"},
            "format": "count",
        },
        {"name": "board_names", "groups": {"metric": "enterprises.new", "part": "names"}, "format": "count"},
        {"name": "board_count", "groups": {"metric": "enterprises.new", "part": "count"}, "format": "count"},
        {
            "name": "board_values",
            "groups": {
                "metric": "enterprises.new",
                "params": {"qualification": "tech_sme"},
                "measure": "家",
                "part": "values",
            },
            "format": "count",
        },
    ],
    "sections": [
        {
            "title": "主要指标",
            "blocks": [
                {
                    "type": "text",
                    "text": "截至{period_end}，{scope}共有科技型中小企业{count}，同比{count_growth}，"
                    "数量在同级单位中居第{count_rank}位；"
                    "{period}新入库科技型中小企业{new}；有效期内的高新技术企业{hitech}。",
                },
                {
                    "type": "text",
                    "text": "{year}年，{scope}科技型中小企业实现销售收入{revenue}，同比{revenue_growth}；"
                    "研发费用{rd_expense}，同比{rd_growth}，占销售收入的{rd_ratio}。",
                },
            ],
        },
        {
            "title": "目标任务完成情况",
            "blocks": [
                {
                    "type": "text",
                    "text": "{scope}研发投入目标任务（确保值）{target_floor}亿元，已完成{target_actual}亿元，完成率{target_completion}，"
                    "序时进度{target_elapsed}，{target_gap}。未达到序时进度的单位{behind_count}：{behind}。",
                },
                {
                    "type": "table",
                    "id": "targets",
                    "title": "各单位研发投入目标任务完成情况",
                    "rows": "units",
                    "sort": 2,
                    "rank": True,
                    "columns": [
                        {
                            "label": "目标任务（确保值，亿元）",
                            "metric": "targets.floor",
                            "params": TARGET,
                            "format": "number",
                        },
                        {"label": "已完成（亿元）", "metric": "targets.actual", "params": TARGET, "format": "number"},
                        {
                            "label": "完成率",
                            "metric": "targets.completion",
                            "params": TARGET,
                            "format": "pct",
                        },
                        {"label": "序时进度", "metric": "targets.elapsed", "params": TARGET, "format": "pct"},
                        {
                            "label": "与序时进度差（百分点）",
                            "metric": "targets.schedule_gap",
                            "params": TARGET,
                            "format": "number",
                            "decimals": 1,
                        },
                    ],
                },
                {
                    "type": "chart",
                    "table": "targets",
                    "column": 2,
                    "chart": "bar",
                    "title": "各单位目标完成率（%）",
                },
            ],
        },
        {
            "title": "各单位情况",
            "blocks": [
                {
                    "type": "text",
                    "text": "科技型中小企业数量排名前五位的是{top_count}；{period}新入库数量排名前五位的是{top_new}。",
                },
                {
                    "type": "text",
                    "if_setting": "groups",
                    "text": "{board_leaders}分别居{board_names}{board_count}大板块首位，分别为{board_values}。",
                },
                {
                    "type": "table",
                    "id": "units",
                    "title": "各单位科技型中小企业主要指标",
                    "rows": "units",
                    "total": True,
                    "sort": 0,
                    "rank": True,
                    "columns": [
                        {"label": "企业数（家）", "metric": "enterprises.count", "format": "count"},
                        {
                            "label": "本期新入库（家）",
                            "metric": "enterprises.new",
                            "params": {"qualification": "tech_sme"},
                            "format": "count",
                        },
                        {"label": "销售收入（亿元）", "metric": "enterprises.revenue", "format": "yi"},
                        {
                            "label": "上年同期（亿元）",
                            "metric": "enterprises.revenue",
                            "format": "yi",
                            "period": "last_year",
                        },
                        {"label": "同比", "growth": [2, 3], "format": "growth"},
                        {"label": "研发费用（亿元）", "metric": "enterprises.rd_expense", "format": "yi"},
                    ],
                },
                {
                    "type": "chart",
                    "table": "units",
                    "column": 0,
                    "chart": "bar",
                    "title": "各单位科技型中小企业数",
                },
            ],
        },
    ],
}

# Figures the platform cannot know, entered per unit and period with their source (填报数).
INPUT_LABELS = {
    "all_smes": "中小企业总数（家）",
    "base_count": "“十五”末科技型中小企业数（家）",
    "sme_taxes": "税收总额（万元，公报“占…税收总额”的分母，口径待核实）",
    "district_patents": "全区有效专利数（件）",
    "district_inventions": "全区有效发明专利数（件）",
    "base_emerging": "“十五”末战略性新兴产业领域企业数（家）",
}

SHIPPED = {
    "status": {
        "name": "科技型中小企业发展现状",
        "title": "{unit_name}科技型中小企业发展现状（{period}）",
        "body": STATUS,
        "settings": {},
    },
    "quarterly": {
        "name": "科技型中小企业统计公报（季度）",
        "title": "{unit_name}{period}科技型中小企业统计公报",
        "body": QUARTERLY,
        "settings": {"indicator": "rd", "groups": []},  # the targets catalogue's R&D input (seed 004), in 亿元 as the wording says
    },
}


def ensure_shipped() -> None:
    """Create the shipped templates that do not exist yet (never overwrite the bureau's wording)."""
    for code, data in SHIPPED.items():
        BulletinTemplate.objects.get_or_create(code=code, defaults=data)
