"""Realistic Chinese company and person names, for demo data and test files.

Every (city, stem, trade) triple gives one company, so names, aliases ("南京华信机电")
and phone numbers never repeat within what one call produces.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass

CITIES = [
    ("南京", "320100", "025"), ("苏州", "320500", "0512"), ("无锡", "320200", "0510"),
    ("常州", "320400", "0519"), ("南通", "320600", "0513"), ("扬州", "321000", "0514"),
    ("杭州", "330100", "0571"), ("宁波", "330200", "0574"), ("温州", "330300", "0577"),
    ("嘉兴", "330400", "0573"), ("绍兴", "330600", "0575"), ("金华", "330700", "0579"),
    ("上海", "310000", "021"), ("合肥", "340100", "0551"), ("广州", "440100", "020"),
    ("深圳", "440300", "0755"), ("佛山", "440600", "0757"), ("东莞", "441900", "0769"),
    ("南宁", "450100", "0771"), ("武汉", "420100", "027"), ("长沙", "430100", "0731"),
    ("成都", "510100", "028"), ("西安", "610100", "029"), ("济南", "370100", "0531"),
    ("青岛", "370200", "0532"), ("郑州", "410100", "0371"), ("天津", "120000", "022"),
    ("北京", "110000", "010"), ("厦门", "350200", "0592"), ("福州", "350100", "0591"),
]
STEMS = [
    "华信", "金桥", "东方", "长城", "宏达", "恒通", "新星", "瑞丰", "博远", "中科", "天成", "永盛",
    "汇丰", "正泰", "鼎盛", "海纳", "精诚", "嘉禾", "聚力", "泰和", "蓝天", "广源", "德康", "兴业",
    "凯达", "昌盛", "万通", "华宇", "明远", "国泰", "振华", "鑫源", "百川", "利民", "安达", "卓越",
    "同创", "英华", "远航", "润泽",
]
TRADES = ["机电", "电气自动化", "医药", "建筑设计院", "商贸", "信息技术", "化工", "物流", "医疗器械",
          "五金机械", "环保科技", "电力工程"]
FORMS = ["有限公司", "股份有限公司", "集团有限公司", "有限责任公司"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
         "超", "秀英", "霞", "平", "刚", "桂英", "建国", "建华", "志强", "海燕", "晓东", "文博", "子涵", "雪梅"]
TITLES = ["总经理", "副总经理", "采购部经理", "采购主管", "技术总监", "设备部长", "工程师", "财务经理",
          "项目经理", "办公室主任"]
ROLES = ["decision_maker", "influencer", "user", "gatekeeper", "other"]


@dataclass(frozen=True)
class Company:
    """One generated company."""

    number: int
    name: str
    alias: str
    city: str
    region_code: str
    phone: str
    tax_code: str
    address: str


def _tax_code(rng: random.Random, number: int) -> str:
    """An 18-character code shaped like a unified social credit code (not a real one)."""
    return f"9132{number:06d}MA{rng.randrange(16**6):06X}"


def companies(count: int, *, seed: int = 20261124) -> Iterator[Company]:
    """`count` distinct companies in a stable shuffled order."""
    rng = random.Random(seed)
    triples = list(itertools.product(range(len(CITIES)), range(len(STEMS)), range(len(TRADES))))
    if count > len(triples):
        raise ValueError(f"at most {len(triples)} distinct companies")
    rng.shuffle(triples)
    streets = ["中山路", "人民路", "解放路", "建设路", "新华路", "长江路", "科技园路", "工业大道"]
    for number, (city_index, stem_index, trade_index) in enumerate(triples[:count], start=1):
        city, region, area = CITIES[city_index]
        alias = f"{city}{STEMS[stem_index]}{TRADES[trade_index]}"
        yield Company(
            number=number, name=alias + FORMS[number % len(FORMS)], alias=alias, city=city,
            region_code=region, phone=f"{area}-{60000000 + number * 7:08d}",
            tax_code=_tax_code(rng, number),
            address=f"{city}市{rng.choice(streets)}{rng.randint(1, 999)}号",
        )


def person(rng: random.Random) -> str:
    """A Chinese person's name."""
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def mobile(number: int) -> str:
    """A mobile number, distinct for each `number` below ten million."""
    return f"139{number:08d}"
