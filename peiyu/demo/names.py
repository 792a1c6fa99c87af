"""Invented but plausible identities: company names, credit codes, people and phone numbers."""

import random

from peiyu.core.codes import USCC_CHARSET, org_check_char, uscc_check_char
from peiyu.enterprises.pinyin import initials

# Characters of trade names (字号); pairs that spell a well-known brand are skipped.
TRADE_CHARS = "华科瑞泰德信宏博创远恒鑫盛达润航立通宇昊晟越诚鼎嘉康腾智锐正景源安兴丽凯益和捷铭拓海辰睿峰汇晶翔誉奥普优胜元力微精赛合新纳丰众佳弘"
BRANDS = frozenset(
    {
        "华为",
        "中兴",
        "海尔",
        "海信",
        "联想",
        "格力",
        "美的",
        "长城",
        "金山",
        "华润",
        "中信",
        "泰达",
        "华科",
        "康泰",
        "恒瑞",
        "奥普",
        "方正",
        "同方",
        "浪潮",
        "新华",
        "科华",
        "德力",
        "宏达",
        "达安",
        "普安",
        "安信",
        "通达",
        "立达",
        "正泰",
        "德信",
        "海康",
        "华海",
        "汇通",
        "宇通",
        "鼎晶",
        "晶科",
        "腾达",
        "昊华",
        "元力",
        "力合",
        "普华",
        "康达",
    }
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰华建国红梅玉新宇鹏辉俊峰浩凯雪晨欣立志海波斌宁琳颖健亮婷晓东文"
MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "158",
    "159",
    "186",
    "187",
    "189",
)
DISTRICT_CODE = "120110"

_initials_cache: dict[str, str] = {}


def trade_name(rng: random.Random, length: int = 2) -> str:
    while True:
        chars = "".join(rng.choice(TRADE_CHARS) for _ in range(length))
        if len(set(chars)) == length and not any(chars[i : i + 2] in BRANDS for i in range(length - 1)):
            return chars


def company_name(brand: str, word: str, incorporated: bool = False) -> str:
    return f"天津{brand}{word}{'股份' if incorporated else ''}有限公司"


def name_initials(brand: str, word: str, incorporated: bool = False) -> str:
    """Pinyin initials of `company_name(...)`, for bulk_create, which skips Enterprise.save.

    Cached by part, and the trade name by character: generated trade names are mostly unique, and
    no character pair of TRADE_CHARS reads differently inside a word (checked against every pair)."""
    parts = ("天津", *brand, word, "股份有限公司" if incorporated else "有限公司")
    for part in parts:
        if part not in _initials_cache:
            _initials_cache[part] = initials(part)
    return "".join(_initials_cache[part] for part in parts)


def credit_code(rng: random.Random, legacy: bool) -> str:
    """A valid 91… code of a Dongli company: a legacy body built on a checked 8-digit organisation
    code, or an "MA…" body assigned since the 2015 reform."""
    if legacy:
        org = f"{rng.randrange(10000000, 99999999)}"
        body = org + org_check_char(org)
    else:
        body = "MA0" + "".join(rng.choice(USCC_CHARSET) for _ in range(6))
    first17 = f"91{DISTRICT_CODE}{body}"
    return first17 + uscc_check_char(first17)


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def address(rng: random.Random, roads: tuple[str, ...]) -> str:
    return f"天津市东丽区{rng.choice(roads)}{rng.randrange(1, 400)}号"
