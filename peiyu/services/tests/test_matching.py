"""The demand board's matching: a known pair ranks first, with reasons; the batch agrees with one post."""

import polars as pl
import pytest

from peiyu.services import matching
from peiyu.services.models import Introduction, TechPost


@pytest.fixture
def posts(units, enterprises):
    unit = units["district"]
    demand = TechPost.objects.create(
        side="demand",
        title="锂电池极片缺陷在线视觉检测",
        field="8",
        unit=unit,
        enterprise=enterprises["a"],
        description="需要基于机器视觉的锂电池极片表面缺陷在线检测系统，检测速度每分钟60米",
    )
    right = TechPost.objects.create(
        side="supply",
        title="机器视觉表面缺陷检测系统",
        field="8",
        unit=unit,
        provider="天津大学精仪学院",
        description="基于深度学习的机器视觉缺陷检测，已用于锂电池极片和薄膜在线检测",
    )
    field_only = TechPost.objects.create(
        side="supply",
        title="工业机器人焊接工作站",
        field="8",
        unit=unit,
        provider="某自动化公司",
        description="焊接 机械臂 自动化产线",
    )
    words_only = TechPost.objects.create(
        side="supply",
        title="锂电池回收再利用",
        field="7",
        unit=unit,
        provider="某环保公司",
        description="废旧锂电池拆解回收",
    )
    unrelated = TechPost.objects.create(
        side="supply",
        title="中药材种植技术",
        field="2",
        unit=unit,
        provider="农科院",
        description="道地药材 种植 病虫害",
    )
    return {
        "demand": demand,
        "right": right,
        "field_only": field_only,
        "words_only": words_only,
        "unrelated": unrelated,
    }


def test_tokens_are_chinese_words_without_stop_words():
    words = matching.post_tokens("锂电池极片缺陷检测", "我们需要在线检测技术", "机器视觉")
    assert words[0] == "机器视觉"
    assert "锂电池" in words and "检测" in words
    assert "我们" not in words and "技术" not in words and "需要" not in words


def test_the_known_pair_ranks_first_and_is_explained(posts):
    found = matching.matches_for(posts["demand"], TechPost.objects.filter(side="supply"))
    assert found[0].post == posts["right"]
    assert found[0].same_field
    assert {"锂电池", "缺陷", "检测"} <= set(found[0].shared)
    reasons = " ".join(found[0].reasons)
    assert "锂电池" in reasons
    assert posts["unrelated"] not in [m.post for m in found]
    scores = [m.score for m in found]
    assert scores == sorted(scores, reverse=True)


def test_matching_works_the_other_way(posts):
    found = matching.matches_for(posts["right"], TechPost.objects.filter(side="demand"))
    assert [m.post for m in found] == [posts["demand"]]


def test_past_success_lifts_a_candidate(posts):
    before = {
        m.post.pk: m.score
        for m in matching.matches_for(posts["demand"], TechPost.objects.filter(side="supply"))
    }
    other = TechPost.objects.create(
        side="demand",
        title="焊接",
        field="8",
        unit=posts["demand"].unit,
        enterprise=posts["demand"].enterprise,
        description="焊接",
    )
    Introduction.objects.create(demand=other, supply=posts["field_only"], status="signed")
    after = {
        m.post.pk: m for m in matching.matches_for(posts["demand"], TechPost.objects.filter(side="supply"))
    }
    assert after[posts["field_only"].pk].score > before[posts["field_only"].pk]
    assert "1" in " ".join(after[posts["field_only"].pk].reasons)


def test_batch_ranks_each_query_independently():
    queries = matching.frame([(1, "1", "传感器 标定", 0), (2, "2", "疫苗 佐剂", 0)])
    candidates = matching.frame(
        [(10, "1", "传感器 标定 温度", 0), (11, "2", "疫苗 佐剂 冷链", 0), (12, "3", "传感器", 0)]
    )
    ranked = matching.rank(queries, candidates, top=2)
    first = ranked.group_by("query_id", maintain_order=True).first().sort("query_id")
    assert first["candidate_id"].to_list() == [10, 11]
    assert ranked.filter(pl.col("query_id") == 2)["candidate_id"].to_list() == [11]


def test_every_query_gets_its_top_candidates():
    import random

    rng = random.Random(10)
    words = [f"词{i}" for i in range(400)]

    def posts(offset):
        return [
            (offset + i, str(rng.randint(1, 8)), " ".join(set(rng.choices(words, k=rng.randint(6, 12)))), 0)
            for i in range(300)
        ]

    ranked = matching.rank(matching.frame(posts(0)), matching.frame(posts(300)), top=5)
    assert ranked.height == 1500
    assert ranked.group_by("query_id").len()["len"].unique().to_list() == [5]
