"""Matching the technology board: demands to supplies and supplies to demands, ranked by shared
keywords (jieba word segmentation, weighted by rarity), the hi-tech field and the candidate's past
success, with the reasons in words. One batch function serves one post or ten thousand."""

import logging
import math
import re
from dataclasses import dataclass

import jieba
import polars as pl
from django.utils.translation import gettext as _

jieba.setLogLevel(logging.WARNING)

# Weights of the three parts of a score (they add up to 1).
KEYWORD_WEIGHT, FIELD_WEIGHT, SUCCESS_WEIGHT = 0.6, 0.3, 0.1
SUCCESS_CAP = 3  # signed contracts beyond this add nothing more
COMMON_SHARE = 0.2  # a word in more than this share of candidates says nothing about a match…
COMMON_FLOOR = 20  # …once there are enough candidates for shares to mean something
MAX_TOKENS = 40

STOPWORDS = frozenset(
    "我们 企业 公司 技术 需求 需要 进行 提供 相关 以及 能够 可以 一个 一种 用于 通过 目前 问题 实现 解决 开展 合作 研发 项目 "
    "产品 服务 方面 希望 寻求 具有 主要 其他 工作 要求 已经 没有 如何 提高 提升 我司 本公司 能力 成果 基于 系统 已用".split()
)
WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


def post_tokens(title: str, description: str, keywords: str = "") -> list[str]:
    """The words a post is matched by: its keywords as typed, then the words jieba finds in the
    title and description (two characters or more, not a stop word), each once."""
    out: list[str] = []
    seen = set()
    typed = [w for w in re.split(r"[\s,，、;；]+", keywords or "") if w]
    for word in [*typed, *jieba.lcut(f"{title}\n{description}")]:
        word = word.strip().lower()
        if len(word) < 2 or word in STOPWORDS or word in seen or not WORD.search(word) or word.isdigit():
            continue
        seen.add(word)
        out.append(word)
        if len(out) >= MAX_TOKENS:
            break
    return out


def frame(posts) -> pl.DataFrame:
    """A matching frame from (id, field, tokens text, past successes) tuples."""
    rows = [
        (pk, field or "", (tokens or "").split(), int(success or 0)) for pk, field, tokens, success in posts
    ]
    return pl.DataFrame(
        rows,
        schema={"id": pl.Int64, "field": pl.String, "tokens": pl.List(pl.String), "success": pl.Int64},
        orient="row",
    )


def rank(queries: pl.DataFrame, candidates: pl.DataFrame, top: int = 5) -> pl.DataFrame:
    """For every query post, its `top` candidates by score (0–100), best first.

    score = 60 × (share of the query's keyword weight the candidate shares, each word weighted by
    log(1 + candidates / candidates using it)) + 30 if both are in the same hi-tech field + 10 ×
    min(candidate's signed contracts, 3) / 3. A candidate must share at least one informative
    word (used by at most a fifth of the candidates, or by at most 20) or the field. Returns query_id, candidate_id,
    score, shared (the words in common), same_field."""
    n = max(candidates.height, 1)
    cand_words = (
        candidates.select("id", "tokens")
        .explode("tokens")
        .drop_nulls()
        .rename({"id": "candidate_id", "tokens": "word"})
    )
    df = cand_words.group_by("word").agg(pl.len().alias("df"))
    df = df.with_columns(weight=(1 + n / pl.col("df")).log())
    query_words = (
        queries.select("id", "tokens")
        .explode("tokens")
        .drop_nulls()
        .rename({"id": "query_id", "tokens": "word"})
        .unique(["query_id", "word"])
        .join(df, on="word", how="left")
        .with_columns(pl.col("weight").fill_null(math.log(1 + n)))
    )
    totals = query_words.group_by("query_id").agg(pl.col("weight").sum().alias("total"))
    informative = query_words.filter(pl.col("df") <= max(COMMON_FLOOR, int(COMMON_SHARE * n)))
    pairs = (
        informative.join(cand_words.unique(["candidate_id", "word"]), on="word")
        .group_by("query_id", "candidate_id")
        .agg(
            pl.col("weight").sum().alias("shared_weight"),
            pl.col("word").sort_by("weight", descending=True).alias("shared"),
        )
    )
    fields = queries.select(pl.col("id").alias("query_id"), pl.col("field").alias("query_field"))
    cands = candidates.select(
        pl.col("id").alias("candidate_id"), pl.col("field").alias("candidate_field"), "success"
    )
    pairs = pairs.join(fields, on="query_id").join(cands, on="candidate_id")
    # Candidates that share only the field all score alike but for past success: the best `top`
    # of each field (plus as many as may already be keyword pairs) are all that can rank.
    best_by_field = (
        cands.filter(pl.col("candidate_field") != "")
        .sort(["candidate_field", "success", "candidate_id"], descending=[False, True, False])
        .group_by("candidate_field", maintain_order=True)
        .head(top * 4)
    )
    same_field = (
        fields.filter(pl.col("query_field") != "")
        .join(best_by_field, left_on="query_field", right_on="candidate_field")
        .with_columns(candidate_field=pl.col("query_field"))
        .join(pairs.select("query_id", "candidate_id"), on=["query_id", "candidate_id"], how="anti")
        .with_columns(shared_weight=pl.lit(0.0), shared=pl.lit([], dtype=pl.List(pl.String)))
    )
    pairs = pl.concat([pairs, same_field.select(pairs.columns)])
    scored = (
        pairs.join(totals, on="query_id", how="left")
        .with_columns(
            same_field=(pl.col("query_field") == pl.col("candidate_field")) & (pl.col("query_field") != "")
        )
        .with_columns(
            score=(
                KEYWORD_WEIGHT
                * 100
                * pl.col("shared_weight")
                / pl.col("total").fill_null(1).clip(lower_bound=1e-9)
                + FIELD_WEIGHT * 100 * pl.col("same_field").cast(pl.Float64)
                + SUCCESS_WEIGHT * 100 * pl.col("success").clip(upper_bound=SUCCESS_CAP) / SUCCESS_CAP
            ).round(1)
        )
    )
    return (
        scored.sort(["query_id", "score", "candidate_id"], descending=[False, True, False])
        .group_by("query_id", maintain_order=True)
        .head(top)
        .select("query_id", "candidate_id", "score", "shared", "same_field", "success")
    )


@dataclass
class Match:
    post: object
    score: float
    shared: list
    same_field: bool
    success: int

    @property
    def reasons(self) -> list[str]:
        out = []
        if self.same_field:
            out.append(_("Same hi-tech field: %(field)s") % {"field": self.post.get_field_display()})
        if self.shared:
            out.append(_("Keywords in common: %(words)s") % {"words": "、".join(self.shared[:8])})
        if self.success:
            out.append(_("%(n)s contract(s) signed through the board before") % {"n": self.success})
        return out


def successes(posts) -> dict[int, int]:
    """Signed introductions per poster (enterprise or provider), given to each of their posts."""
    from peiyu.services.models import Introduction

    signed = Introduction.objects.filter(status="signed")
    by_poster: dict[tuple, int] = {}
    for row in signed.values(
        "demand__enterprise_id", "demand__provider", "supply__enterprise_id", "supply__provider"
    ):
        for side in ("demand", "supply"):
            key = (
                row[f"{side}__enterprise_id"],
                "" if row[f"{side}__enterprise_id"] else row[f"{side}__provider"],
            )
            by_poster[key] = by_poster.get(key, 0) + 1
    return {p.pk: by_poster.get((p.enterprise_id, "" if p.enterprise_id else p.provider), 0) for p in posts}


def matches_for(post, candidates, top: int = 5) -> list[Match]:
    """The best candidates (posts of the other side) for one post, with their reasons."""
    candidates = list(candidates)
    if not candidates:
        return []
    wins = successes(candidates)
    query = frame([(post.pk, post.field, post.tokens, 0)])
    pool = frame([(c.pk, c.field, c.tokens, wins[c.pk]) for c in candidates])
    by_id = {c.pk: c for c in candidates}
    ranked = rank(query, pool, top)
    return [
        Match(by_id[r["candidate_id"]], r["score"], r["shared"], r["same_field"], r["success"])
        for r in ranked.iter_rows(named=True)
    ]
