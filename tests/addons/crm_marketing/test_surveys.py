"""Surveys: the public link takes one answer set per token and nothing else; staff entry;
results per question and segment; a customer's answers on its 360 page."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from addons.crm_customer.models import Customer
from addons.crm_marketing.models import Survey, SurveyAnswer, SurveyInvitation
from core.context import acting_as, system_context
from core.reports import run_report
from core.testing.web import csrf_token
from core.web.app import create_app
from tests.addons.crm_marketing.conftest import MarketingWorld, browser

pytestmark = pytest.mark.sqlite_only

QUESTIONS = [
    {"sequence": "10", "text": "您对我们的服务总体满意吗？", "kind": "score"},
    {"sequence": "20", "text": "您最看重哪一点？", "kind": "single", "options": "价格\n质量\n交期"},
    {"sequence": "30", "text": "您通过哪些渠道了解我们？", "kind": "multiple",
     "options": "展会\n网站\n销售拜访", "required": "false"},
    {"sequence": "40", "text": "其他建议", "kind": "text", "required": "false"},
]


def _open_survey(world: MarketingWorld) -> tuple[int, dict[str, str]]:
    """An open survey sent to both customers; their tokens."""
    survey = world.create("liu.yang", Survey, {"title": "2026 年客户满意度调查",
                                               "questions": QUESTIONS})
    world.fire("liu.yang", Survey, survey, "open")
    action = world.kernel.views.get(Customer).action("invite_to_survey")
    tokens = {}
    with acting_as(world.actor("liu.yang")), world.kernel.sessions.begin() as session:
        for customer_id in world.customers.values():
            action.handler(session, session.get(Customer, customer_id),
                           world.actor("liu.yang"), {"survey": survey})
        for key, customer_id in world.customers.items():
            tokens[key] = session.scalar(sa.select(SurveyInvitation.token).where(
                SurveyInvitation.customer_id == customer_id))
    return survey, tokens


def _question_ids(world: MarketingWorld, survey: int) -> list[int]:
    with system_context(), world.kernel.session() as session:
        return [q.id for q in session.get(Survey, survey).questions]


def _answers(ids: list[int], score: str, choice: str) -> dict[str, object]:
    return {f"q{ids[0]}": score, f"q{ids[1]}": choice, f"q{ids[2]}": ["展会", "网站"],
            f"q{ids[3]}": "希望交期更短"}


def test_the_public_link_takes_one_answer_set_per_token(world: MarketingWorld) -> None:
    survey, tokens = _open_survey(world)
    ids = _question_ids(world, survey)
    assert len(tokens["nanjing"]) >= 40 and tokens["nanjing"] != tokens["suzhou"]
    visitor = TestClient(create_app(kernel=world.kernel), headers={"Accept-Language": "zh-CN"})
    url = f"/a/crm_marketing/public/survey/{tokens['nanjing']}"
    page = visitor.get(url)
    assert page.status_code == 200 and "您最看重哪一点？" in page.text
    token = csrf_token(page.text)
    # A missing required answer is refused and nothing is stored.
    bad = visitor.post(url, data={"csrf_token": token, f"q{ids[0]}": "4"})
    assert bad.status_code == 422
    # A value outside the offered options is refused.
    assert visitor.post(url, data={"csrf_token": token, **_answers(ids, "9", "价格")}
                        ).status_code == 422
    done = visitor.post(url, data={"csrf_token": token, **_answers(ids, "4", "质量")})
    assert done.status_code == 200 and "已收到" in done.text
    again = visitor.post(url, data={"csrf_token": token, **_answers(ids, "1", "价格")})
    assert again.status_code == 409
    assert visitor.get(url).status_code == 409
    assert visitor.get("/a/crm_marketing/public/survey/not-a-token").status_code == 404
    # Nothing else is public: the knowledge base and the lists still need a sign-in.
    assert visitor.get("/a/crm_marketing/knowledge", follow_redirects=False).status_code in (
        302, 303, 401)
    with system_context(), world.kernel.session() as session:
        rows = session.execute(sa.select(SurveyAnswer.option, SurveyAnswer.score)
                               .order_by(SurveyAnswer.id)).all()
        invitation = session.scalar(sa.select(SurveyInvitation).where(
            SurveyInvitation.token == tokens["nanjing"]))
    assert rows == [(None, 4), ("质量", None), ("展会", None), ("网站", None), (None, None)]
    assert invitation.channel == "public" and invitation.answered_at is not None


def test_staff_enter_answers_and_results_per_segment(world: MarketingWorld) -> None:
    survey, tokens = _open_survey(world)
    ids = _question_ids(world, survey)
    with system_context(), world.kernel.sessions.begin() as session:
        session.get(Customer, world.customers["suzhou"]).level = "A"
        invitation = session.scalar(sa.select(SurveyInvitation.id).where(
            SurveyInvitation.token == tokens["suzhou"]))
    staff = browser(world, "liu.yang")
    form = staff.get(f"/a/crm_marketing/surveys/{invitation}/answer")
    assert form.status_code == 200
    saved = staff.post(f"/a/crm_marketing/surveys/{invitation}/answer", follow_redirects=False,
                       data={"csrf_token": csrf_token(form.text), **_answers(ids, "2", "价格")})
    assert saved.status_code == 303
    visitor = TestClient(create_app(kernel=world.kernel))
    url = f"/a/crm_marketing/public/survey/{tokens['nanjing']}"
    page = visitor.get(url)
    visitor.post(url, data={"csrf_token": csrf_token(page.text), **_answers(ids, "5", "质量")})

    report = world.kernel.reports["survey_results"].report
    with acting_as(world.actor("liu.yang")), world.kernel.session() as session:
        result = run_report(session, report, rows="question", columns="level")
        assert float(result.row(ids[0])["score"]) == pytest.approx(3.5)
        assert float(result.cell(ids[0], "A")["score"]) == pytest.approx(2.0)
        options = run_report(session, report, rows="option", columns="",
                             values={"question": ids[2]})
        assert options.row("展会")["answers"] == 2
    # The rep sees the answers of her customers on the customer's page.
    rep = browser(world, "li.na")
    page = rep.get(f"/m/crm_customer/{world.customers['suzhou']}")
    assert page.status_code == 200 and "Survey answers" in page.text
