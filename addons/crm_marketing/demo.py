"""Demo marketing for `kehu init --demo`: a year of campaigns in the first two divisions,
promotional material, a knowledge base, a satisfaction survey with answers, a case;
competitors with products and moves wherever crm_marketing runs (demo_competitors).

Campaigns of past months are closed with an approved close-out, this month's run,
later ones wait for approval or are drafts; the funnel bridge then attributes
leads and deals to them. Rows are written as the system (states included: the
demo tells a year that already happened). Marketing's head reports to the
general manager, who approves campaign applications. Skipped where campaigns exist.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_customer.models import Customer
from addons.crm_marketing import stock, surveys
from addons.crm_marketing.demo_competitors import create_demo_competitors
from addons.crm_marketing.models import (
    Campaign,
    CampaignBudgetLine,
    CampaignCategory,
    CampaignCloseout,
    CampaignCostLine,
    CampaignCostType,
    CampaignParticipant,
    InspectionCase,
    KnowledgeCategory,
    KnowledgeDocument,
    MaterialItem,
    MaterialReceipt,
    MaterialReceiptLine,
    MaterialRequest,
    MaterialRequestLine,
    MaterialWarehouse,
    Survey,
    SurveyInvitation,
    SurveyQuestion,
)
from core.lookups import usable_in
from core.models import Division, User, user_role

# month offset from now, category, name, place, budget lines (cost type, yuan)
CAMPAIGNS = [
    (-11, "trade_show", "华东工业自动化展", "上海新国际博览中心",
     [("venue", 60000), ("materials", 18000), ("travel", 12000)]),
    (-10, "seminar", "智能制造技术研讨会", "杭州黄龙饭店", [("venue", 15000), ("catering", 8000)]),
    (-9, "customer_event", "重点客户答谢会", "苏州金鸡湖酒店", [("venue", 20000), ("gifts", 15000)]),
    (-8, "online", "新品线上发布会", "线上直播", [("advertising", 25000)]),
    (-7, "academic", "电力设备学术交流会", "南京国际会议中心",
     [("venue", 18000), ("speaker", 12000)]),
    (-6, "store", "渠道门店促销月", "华东各地门店", [("materials", 16000), ("gifts", 9000)]),
    (-5, "seminar", "节能改造方案研讨会", "宁波南苑饭店", [("venue", 12000), ("catering", 6000)]),
    (-4, "trade_show", "工博会参展", "国家会展中心（上海）",
     [("venue", 80000), ("materials", 20000), ("travel", 15000)]),
    (-3, "online", "行业公众号推广", "线上", [("advertising", 18000)]),
    (-2, "seminar", "数字化工厂研讨会", "合肥洲际酒店", [("venue", 14000), ("catering", 7000)]),
    (-1, "customer_event", "年度用户大会", "杭州国际博览中心",
     [("venue", 45000), ("catering", 20000), ("gifts", 12000)]),
    (0, "seminar", "冬季新品技术研讨会", "无锡君来洲际酒店", [("venue", 13000), ("catering", 6000)]),
    (1, "trade_show", "春季工业展预订", "深圳会展中心", [("venue", 70000), ("travel", 10000)]),
]
QUESTIONS = [
    ("您对我们产品质量的满意度", "score", None),
    ("您对售后服务的满意度", "score", None),
    ("您最看重供应商的哪一点？", "single", "价格\n质量\n交期\n服务"),
    ("您通过哪些渠道了解我们？", "multiple", "展会\n研讨会\n网站\n销售拜访"),
    ("您的其他建议", "text", None),
]
DOCUMENTS = [
    ("产品资料", "PLC-200 控制器产品手册", "主要参数、典型应用与选型说明。",
     "PLC-200 适用于中小型产线。本手册说明接线、编程与常见故障处理。"),
    ("产品资料", "变频器选型指南", "按负载类型选择变频器。",
     "风机水泵类负载建议选用节能型变频器；恒转矩负载请参考选型表。"),
    ("销售工具", "2026 年报价策略说明", "重点行业折扣与审批规则。",
     "本季度报价策略说明：重点行业客户执行阶梯折扣，低于底价需审批。"),
    ("销售工具", "竞品对比：华控 HK 系列", "与北京华控科技产品的对比。",
     "华控 HK-200 价格较低，但售后网点少、交期不稳定。应突出我方服务与交期优势。"),
]


def _month(offset: int) -> dt.date:
    today = dt.date.today()
    index = today.year * 12 + today.month - 1 + offset
    return dt.date(index // 12, index % 12 + 1, 10)


def _by_code(session: Session, model: Any, division: Division) -> dict[str, int]:
    return dict(session.execute(sa.select(model.code, model.id).where(
        usable_in(model, division.id))).all())


def _people(session: Session, division: Division) -> dict[str, User]:
    users = session.scalars(sa.select(User).where(User.division_id == division.id))
    return {user.login: user for user in users}


def _marketer(session: Session, division: Division) -> User | None:
    role_holders = sa.select(user_role.c.user_id).where(user_role.c.role == "marketing")
    return session.scalars(sa.select(User).where(User.division_id == division.id,
                                                 User.id.in_(role_holders))
                           .order_by(User.id)).first()


def _report_to_manager(session: Session, division: Division, marketer: User) -> None:
    """The head of marketing reports to the division's top manager (who approves)."""
    if marketer.manager_id is not None:
        return
    boss = session.scalars(sa.select(User).where(
        User.division_id == division.id, User.id != marketer.id,
        User.id.in_(sa.select(user_role.c.user_id).where(
            user_role.c.role.in_(("general_manager", "sales_manager")))))
        .order_by(User.id)).first()
    if boss is not None:
        marketer.manager_id = boss.id


def _campaign(division: Division, marketer: User, types: dict[str, int],
              categories: dict[str, int], row: tuple[Any, ...]) -> Campaign:
    offset, category, name, place, budget = row
    start = _month(offset)
    state = "closed" if offset < 0 else "approved" if offset == 0 else "draft"
    campaign = Campaign(division_id=division.id, name=name, category_id=categories[category],
                        date_from=start, date_to=start + dt.timedelta(days=1), place=place,
                        goal="提升品牌影响力，收集有效线索", target="华东地区制造业客户",
                        expected_leads=20, organizer_id=marketer.id,
                        department_id=marketer.department_id, state=state)
    campaign.budget_lines = [CampaignBudgetLine(division_id=division.id,
                                                cost_type_id=types[code], amount=Decimal(amount))
                             for code, amount in budget]
    campaign.compute()
    return campaign


def _close_out(session: Session, rng: random.Random, campaign: Campaign,
               types: dict[str, int]) -> None:
    closeout = CampaignCloseout(
        division_id=campaign.division_id, title=f"{campaign.name}结案", campaign_id=campaign.id,
        results="收集有效线索，现场洽谈多个项目", attendance=rng.randint(30, 200),
        organizer_id=campaign.organizer_id, department_id=campaign.department_id,
        state="approved")
    closeout.lines = [CampaignCostLine(division_id=campaign.division_id,
                                       cost_type_id=line.cost_type_id, date=campaign.date_from,
                                       amount=(line.amount * Decimal(rng.randint(85, 110)) / 100)
                                       .quantize(Decimal("1")), description="实际发生")
                      for line in campaign.budget_lines]
    closeout.compute()
    session.add(closeout)


def _campaigns(session: Session, rng: random.Random, division: Division, marketer: User,
               customers: list[Customer]) -> None:
    types = _by_code(session, CampaignCostType, division)
    categories = _by_code(session, CampaignCategory, division)
    for row in CAMPAIGNS:
        campaign = _campaign(division, marketer, types, categories, row)
        session.add(campaign)
        session.flush()
        if campaign.state in ("closed", "approved"):
            for customer in rng.sample(customers, min(6, len(customers))):
                session.add(CampaignParticipant(
                    division_id=division.id, campaign_id=campaign.id, name="采购负责人",
                    customer_id=customer.id, company=customer.name,
                    checked_in=campaign.state == "closed",
                    checked_in_at=dt.datetime.combine(campaign.date_from, dt.time(9, 0))
                    if campaign.state == "closed" else None))
        if campaign.state == "closed":
            _close_out(session, rng, campaign, types)


def _materials(session: Session, division: Division, marketer: User, rep: User | None) -> None:
    warehouse = MaterialWarehouse(division_id=division.id, code="WH-MKT", name="市场部物料仓")
    items = [MaterialItem(division_id=division.id, code=code, name=name, unit=unit,
                          unit_cost=Decimal(cost))
             for code, name, unit, cost in (("BRO-PLC", "PLC 产品宣传册", "本", "8.50"),
                                            ("GIFT-CUP", "定制保温杯", "个", "45.00"),
                                            ("STAND", "易拉宝展架", "套", "120.00"))]
    session.add_all([warehouse, *items])
    session.flush()
    receipt = MaterialReceipt(division_id=division.id, reference="RK-2026-001",
                              kind="purchase", warehouse_id=warehouse.id, state="posted")
    receipt.lines = [MaterialReceiptLine(division_id=division.id, item_id=item.id,
                                         quantity=quantity, unit_cost=item.unit_cost)
                     for item, quantity in zip(items, (2000, 300, 20), strict=True)]
    session.add(receipt)
    session.flush()
    stock.post(session, receipt)
    requester = rep or marketer
    request = MaterialRequest(division_id=division.id, purpose="客户拜访用宣传资料",
                              warehouse_id=warehouse.id, requester_id=requester.id,
                              department_id=requester.department_id, state="issued")
    request.lines = [MaterialRequestLine(division_id=division.id, item_id=items[0].id,
                                         quantity=200, requester_id=requester.id),
                     MaterialRequestLine(division_id=division.id, item_id=items[1].id,
                                         quantity=20, requester_id=requester.id)]
    session.add(request)
    session.flush()
    stock.issue(session, request)


SECOND_DOCUMENTS = [
    ("销售工具", "华中区域医疗器械市场指引", "区域重点医院与报价口径。",
     "华中区域重点医院采购以招标为主，报价需参考历史中标价格。"),
]


def _knowledge(session: Session, division: Division, marketer: User, *, first: bool) -> None:
    categories: dict[str, KnowledgeCategory] = {}
    for category, title, summary, body in DOCUMENTS if first else SECOND_DOCUMENTS:
        if category not in categories:
            categories[category] = KnowledgeCategory(division_id=division.id, name=category)
            session.add(categories[category])
            session.flush()
        session.add(KnowledgeDocument(division_id=division.id,
                                      category_id=categories[category].id, title=title,
                                      summary=summary, body=body, author_id=marketer.id,
                                      read_count=len(body) % 17))


def _survey(session: Session, rng: random.Random, division: Division, marketer: User,
            customers: list[Customer]) -> None:
    survey = Survey(division_id=division.id, title=f"{dt.date.today().year} 年客户满意度调查",
                    intro="感谢您抽出时间，您的意见将帮助我们改进。", owner_id=marketer.id,
                    state="open")
    survey.questions = [SurveyQuestion(division_id=division.id, sequence=10 * (i + 1), text=text,
                                       kind=kind, options=options, required=kind != "text")
                        for i, (text, kind, options) in enumerate(QUESTIONS)]
    session.add(survey)
    session.flush()
    for number, customer in enumerate(customers[:12]):
        invitation = SurveyInvitation(division_id=division.id, survey_id=survey.id,
                                      customer_id=customer.id, token=surveys.new_token())
        session.add(invitation)
        session.flush()
        if number < 8:
            surveys.answer(session, invitation, _Answers(rng, survey), channel=(
                "public" if number % 2 else "staff"))


class _Answers(dict[str, Any]):
    """A posted form's look-alike: random answers to the survey's questions."""

    def __init__(self, rng: random.Random, survey: Survey) -> None:
        super().__init__()
        self.multi: dict[str, list[str]] = {}
        for question in survey.questions:
            name = f"q{question.id}"
            if question.kind == "score":
                self[name] = str(rng.choice([3, 4, 4, 5, 5]))
            elif question.kind == "single":
                self[name] = rng.choice(question.choices())
            elif question.kind == "multiple":
                self.multi[name] = rng.sample(question.choices(), 2)
            else:
                self[name] = rng.choice(["希望缩短交期", "服务响应很及时", ""])

    def getlist(self, name: str) -> list[str]:
        return self.multi.get(name, [])


def create_demo_marketing(session: Session, divisions: list[Division]) -> None:
    """Campaigns, material, knowledge, a survey and a case in each of the first two divisions."""
    rng = random.Random(20261207)
    for division in divisions[:2]:
        marketer = _marketer(session, division)
        customers = list(session.scalars(sa.select(Customer).where(
            Customer.division_id == division.id).order_by(Customer.id).limit(200)))
        exists = session.scalar(sa.select(Campaign.id).where(Campaign.division_id == division.id))
        if marketer is None or not customers or exists is not None:
            continue
        _report_to_manager(session, division, marketer)
        people = _people(session, division)
        rep = next((user for login, user in sorted(people.items())
                    if login in ("li.na", "guo.qing")), None)
        _campaigns(session, rng, division, marketer, customers)
        _materials(session, division, marketer, rep)
        _knowledge(session, division, marketer, first=division is divisions[0])
        _survey(session, rng, division, marketer, customers)
        session.add(InspectionCase(division_id=division.id, title="电商平台销售假冒 PLC-200",
                                   kind="counterfeit", place="某电商平台店铺",
                                   suspect="温州某电气商行", evidence="购买记录与实物照片对比",
                                   reporter_id=(rep or marketer).id, state="investigating"))
        session.flush()
    # Competitors, their products and moves: wherever crm_marketing runs (#16), the
    # funnel bridge's divisions and SOUTH (no funnel) alike.
    create_demo_competitors(session, divisions)
