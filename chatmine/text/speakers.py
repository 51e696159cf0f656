"""Split a speaker as written (`name-org-role-city`, any order, parts missing) into a Profile.

Input: the header text after the time. Output: Profile(name, org, role, city).
"""
from __future__ import annotations

import re
from functools import lru_cache

from chatmine.model import Profile

# Separators seen in the corpus: - (81k), _ (4k), ～, －, |, —, and spaces around them.
SEPARATORS = re.compile(r"\s*[-－_—～~|｜/]+\s*|\s{2,}|\u3000")

CITIES = frozenset(
    "北京 上海 深圳 广州 杭州 成都 南京 武汉 西安 重庆 天津 苏州 厦门 长沙 郑州 济南 青岛 合肥 福州 "
    "大连 沈阳 昆明 贵阳 南宁 南昌 石家庄 太原 哈尔滨 长春 宁波 无锡 珠海 东莞 佛山 香港 澳门 台北 "
    "新加坡 海口 三亚 兰州 乌鲁木齐 呼和浩特 廊坊 温州 常州 烟台 徐州 "
    "BJ SH SZ GZ HZ CD NJ WH XA CQ TJ Beijing Shanghai Shenzhen Guangzhou Hangzhou".split()
)
ROLE_WORDS = (
    "产品", "技术", "架构", "开发", "研发", "经理", "总监", "总经理", "CTO", "CEO", "COO", "CFO", "VP",
    "运营", "风控", "测试", "工程师", "TL", "PM", "pm", "程序员", "负责人", "主管", "总裁", "合伙人",
    "顾问", "分析师", "设计", "销售", "市场", "BD", "创始人", "董事", "总助", "专家", "律师",
    "财务", "会计", "清算", "结算", "支付开发", "Java", "java", "前端", "后端", "DBA", "运维", "架构师",
    "leader", "Leader", "Lead", "lead", "Dev", "dev", "Engineer", "Manager", "Director", "待业", "学生",
)
ORG_MARKS = (
    "银行", "支付", "科技", "金服", "金融", "公司", "集团", "网络", "信息", "证券", "保险", "基金",
    "银联", "网联", "钱包", "资本", "互联", "数据", "信用卡", "商务", "银商", "网",
)


@lru_cache(maxsize=65536)
def split_profile(speaker: str) -> Profile:
    """Best reading of a speaker name: city and role by vocabulary, the name is usually first."""
    parts = [p for p in SEPARATORS.split(speaker.strip()) if p]
    if len(parts) <= 1:
        return Profile(name=speaker.strip())
    city = next((p for p in parts if p in CITIES), "")
    rest = [p for p in parts if p != city]
    # The name: the first part that is neither a job nor clearly an organisation
    # (`廊坊银行-架构师-朱文义` puts it last); failing that, the first part.
    name = next((p for p in rest if not _is_role(p) and not _is_org(p)), rest[0] if rest else parts[0])
    rest = [p for p in rest if p != name]
    roles = sorted((p for p in rest if _is_role(p)), key=lambda p: p not in ROLE_WORDS)
    role = roles[0] if roles else ""
    orgs = [p for p in rest if p != role and not _is_role(p)]
    return Profile(name=name, org=orgs[0] if orgs else "", role=role, city=city)


def _is_role(part: str) -> bool:
    return any(word in part for word in ROLE_WORDS) and not _is_org(part)


def _is_org(part: str) -> bool:
    return any(word in part for word in ORG_MARKS)


NAME_NOISE = re.compile(r"[?？\s]+|[（(][^）)]*[）)]")
"""What a name carries besides itself: the `?` an export wrote for an emoji ("Geoff??"), a
bracketed alias ("周峰（Edison Zhou）")."""


@lru_cache(maxsize=65536)
def same_name(mentioned: str, name: str) -> bool:
    """Whether a mention's name part and a speaker's profile name are one person's: the same
    once emoji marks, bracketed aliases and case are set aside ("Geoff??", "james" for @James),
    or a Han name of two characters or more the start of the other ("周峰" and "周峰（Edison
    Zhou）", "孔晓光" and "孔晓光 丰瑞祥CTO"). A Latin name must be whole: WillYang-嘉联支付 writes
    to @will-风控-财付通 (proddev/2017-05-17)."""
    a, b = (NAME_NOISE.sub("", n).lower() for n in (mentioned, name))
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return a == b or len(short) >= 2 and not short.isascii() and long.startswith(short)
