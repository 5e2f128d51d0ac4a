"""Knowledge base: a Chinese word inside a sentence is found (both engines), read rights per
role, versions on change, the most-read list."""

from __future__ import annotations

import sqlalchemy as sa

from addons.crm_marketing import knowledge, search
from addons.crm_marketing.models import KnowledgeCategory, KnowledgeDocument, KnowledgeVersion
from core.context import acting_as, system_context
from tests.addons.crm_marketing.conftest import MarketingWorld, browser


def test_terms_cut_han_runs_into_pairs_and_latin_into_words() -> None:
    assert search.terms("报价单 PLC-200") == {"报价", "价单", "报", "价", "单", "plc", "200"}
    assert search.query_terms("报价") == {"报价"}
    assert search.query_terms("价") == {"价"}


def _documents(world: MarketingWorld) -> dict[str, int]:
    open_category = world.create("liu.yang", KnowledgeCategory, {"name": "产品资料"})
    internal = world.create("liu.yang", KnowledgeCategory, {"name": "市场内部",
                                                             "roles": ["marketing"]})
    return {
        "pricing": world.create("liu.yang", KnowledgeDocument, {
            "category_id": open_category, "title": "2026 年第四季度市场策略",
            "body": "本季度报价策略说明：对重点行业客户执行阶梯折扣。\nPLC-200 new pricing."}),
        "install": world.create("liu.yang", KnowledgeDocument, {
            "category_id": open_category, "title": "控制柜安装手册",
            "body": "现场安装步骤与接线注意事项。"}),
        "budget": world.create("liu.yang", KnowledgeDocument, {
            "category_id": internal, "title": "市场费用预算口径",
            "body": "研讨会报价与场地费用的内部口径。"}),
    }


def _found(world: MarketingWorld, login: str, query: str) -> list[int]:
    with acting_as(world.actor(login)), world.kernel.session() as session:
        return [hit.id for hit in knowledge.find(session, query)]


def test_a_chinese_word_inside_a_sentence_is_found(world: MarketingWorld) -> None:
    docs = _documents(world)
    assert _found(world, "li.na", "报价") == [docs["pricing"]]  # 本季度报价策略说明
    assert sorted(_found(world, "liu.yang", "报价")) == sorted([docs["budget"], docs["pricing"]])
    assert _found(world, "li.na", "安装 接线") == [docs["install"]]
    assert _found(world, "li.na", "pricing") == [docs["pricing"]]
    assert _found(world, "li.na", "报价安装") == []  # a word no document holds
    assert _found(world, "li.na", "！？") == []


def test_versions_reads_and_the_most_read_list(world: MarketingWorld) -> None:
    docs = _documents(world)
    with acting_as(world.actor("liu.yang")), world.kernel.sessions.begin() as session:
        version = session.get(KnowledgeDocument, docs["install"]).version
        world.kernel.records[KnowledgeDocument].update(
            session, docs["install"], {"body": "现场安装步骤、接线与调试。"}, version=version)
    with system_context(), world.kernel.session() as session:
        document = session.get(KnowledgeDocument, docs["install"])
        assert document.version_no == 2
        old = session.scalars(sa.select(KnowledgeVersion).where(
            KnowledgeVersion.document_id == docs["install"])).one()
        assert (old.version_no, old.body) == (1, "现场安装步骤与接线注意事项。")
    assert _found(world, "li.na", "调试") == [docs["install"]]
    assert _found(world, "li.na", "注意") == []  # the old text is no longer indexed
    for _ in range(3):
        with acting_as(world.actor("li.na")), world.kernel.sessions.begin() as session:
            knowledge.read(session, docs["install"])
    with acting_as(world.actor("li.na")), world.kernel.session() as session:
        popular = knowledge.most_read(session)
        assert popular[0].id == docs["install"] and popular[0].read_count == 3
        assert docs["budget"] not in [hit.id for hit in popular]  # marketing's own category
        assert knowledge.read(session, docs["budget"]) is None


def test_the_search_page_answers_in_both_languages(world: MarketingWorld) -> None:
    _documents(world)
    client = browser(world, "li.na")
    page = client.get("/a/crm_marketing/knowledge", params={"q": "报价", "lang": "zh_CN"})
    assert page.status_code == 200 and "2026 年第四季度市场策略" in page.text
    assert "市场费用预算口径" not in page.text and "知识库" in page.text
    english = client.get("/a/crm_marketing/knowledge", params={"q": "报价", "lang": "en"})
    assert "Knowledge base" in english.text
