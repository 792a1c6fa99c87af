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
COMMON_SHARE = 0.02  # a word in more than this share of candidates says little about a match…
COMMON_FLOOR = 20  # …once there are enough candidates for shares to mean something
MAX_TOKENS = 40
KEY_BASE = 1 << 32  # pair key = query id × KEY_BASE + candidate id (ids stay below 2³¹)

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
    min(candidate's signed contracts, 3) / 3. A candidate must share at least one informative word
    (used by at most 2 % of the candidates, or by at most 20) or the field. Returns query_id,
    candidate_id, score, shared (the words in common, rarest first), same_field, success.

    Words become integer codes first, pairs are summed without collecting words, and the shared
    words are gathered only for the pairs that make a top list."""
    n = max(candidates.height, 1)
    cand_words = (
        candidates.lazy()
        .select(pl.col("id").alias("candidate_id"), pl.col("tokens").alias("word"))
        .explode("word")
        .drop_nulls()
        .unique(["candidate_id", "word"])
    )
    query_words = (
        queries.lazy()
        .select(pl.col("id").alias("query_id"), pl.col("tokens").alias("word"))
        .explode("word")
        .drop_nulls()
        .unique(["query_id", "word"])
    )
    vocabulary = (
        pl.concat([cand_words.select("word"), query_words.select("word")]).unique().with_row_index("code")
    )
    cand_codes = cand_words.join(vocabulary, on="word").select("candidate_id", "code")
    df = (
        cand_codes.group_by("code")
        .agg(pl.len().alias("df"))
        .with_columns(weight=(1 + n / pl.col("df")).log())
    )
    query_codes = (
        query_words.join(vocabulary, on="word")
        .select("query_id", "code")
        .join(df, on="code", how="left")
        .with_columns(pl.col("weight").fill_null(math.log(1 + n)))
    )
    totals = query_codes.group_by("query_id").agg(pl.col("weight").sum().alias("total"))
    informative = query_codes.filter(pl.col("df") <= max(COMMON_FLOOR, int(COMMON_SHARE * n))).select(
        "query_id", "code", "weight"
    )
    # One integer key per pair: grouping on it is several times faster than on two columns.
    shared_pairs = (
        informative.join(cand_codes, on="code")
        .with_columns(key=(pl.col("query_id").cast(pl.Int64) * KEY_BASE + pl.col("candidate_id")))
        .collect()
        .lazy()
    )
    pairs = shared_pairs.group_by("key").agg(pl.col("weight").sum().alias("shared_weight"))
    fields = queries.lazy().select(pl.col("id").alias("query_id"), pl.col("field").alias("query_field"))
    cands = candidates.lazy().select(
        pl.col("id").alias("candidate_id"), pl.col("field").alias("candidate_field"), "success"
    )
    # Candidates that share only the field all score alike but for past success: the best `top`
    # of each field are all that can rank among them (any better one is already a keyword pair).
    best_by_field = (
        cands.filter(pl.col("candidate_field") != "")
        .sort(["candidate_field", "success", "candidate_id"], descending=[False, True, False])
        .group_by("candidate_field", maintain_order=True)
        .head(top)
        .select("candidate_id", pl.col("candidate_field").alias("query_field"))
    )
    field_pairs = (
        fields.filter(pl.col("query_field") != "")
        .join(best_by_field, on="query_field")
        .select(
            (pl.col("query_id").cast(pl.Int64) * KEY_BASE + pl.col("candidate_id")).alias("key"),
            pl.lit(0.0).alias("shared_weight"),
        )
    )
    pairs = (
        pl.concat([pairs, field_pairs])
        .group_by("key")
        .agg(pl.col("shared_weight").max())
        .with_columns(query_id=pl.col("key") // KEY_BASE, candidate_id=pl.col("key") % KEY_BASE)
        .join(fields, on="query_id")
        .join(cands, on="candidate_id")
        .join(totals, on="query_id", how="left")
    )
    scored = pairs.with_columns(
        same_field=(pl.col("query_field") == pl.col("candidate_field")) & (pl.col("query_field") != "")
    ).with_columns(
        score=(
            KEYWORD_WEIGHT
            * 100
            * pl.col("shared_weight")
            / pl.col("total").fill_null(1).clip(lower_bound=1e-9)
            + FIELD_WEIGHT * 100 * pl.col("same_field").cast(pl.Float64)
            + SUCCESS_WEIGHT * 100 * pl.col("success").clip(upper_bound=SUCCESS_CAP) / SUCCESS_CAP
        ).round(1)
    )
    # Frames used twice are collected once: besides saving work, Polars 1.x's lazy common-subplan
    # elimination lost rows here (some queries got fewer than `top` matches) when left lazy.
    scored = scored.collect().lazy()
    # Each query's `top`-th best score, then only the pairs at or above it are sorted.
    cut = scored.group_by("query_id").agg(pl.col("score").top_k(top).min().alias("cut"))
    best = (
        scored.join(cut, on="query_id")
        .filter(pl.col("score") >= pl.col("cut"))
        .sort(["query_id", "score", "candidate_id"], descending=[False, True, False])
        .group_by("query_id", maintain_order=True)
        .head(top)
        .select("query_id", "candidate_id", "score", "same_field", "success")
    )
    words = (
        best.select("query_id", "candidate_id")
        .join(shared_pairs, on=["query_id", "candidate_id"])
        .join(vocabulary, on="code")
        .group_by("query_id", "candidate_id")
        .agg(pl.col("word").sort_by("weight", descending=True).alias("shared"))
    )
    return (
        best.join(words, on=["query_id", "candidate_id"], how="left", maintain_order="left")
        .with_columns(pl.col("shared").fill_null(pl.lit([], dtype=pl.List(pl.String))))
        .select("query_id", "candidate_id", "score", "shared", "same_field", "success")
        .collect()
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
