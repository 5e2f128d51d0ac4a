"""Lists, forms and menus of crm_customer."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from addons.crm_customer import merge, pool
from addons.crm_customer.models import (
    ClaimLimit,
    Competitor,
    Contact,
    Customer,
    CustomerRelation,
    CustomerType,
    Industry,
    LeadSource,
    PoolClaim,
    PoolRule,
    ProblemType,
    Product,
    ProductCategory,
    Ticket,
)
from core.context import Actor
from core.i18n import _l
from core.models import User
from core.navigation import Menu
from core.org import ADMIN, GENERAL_MANAGER, SALES_MANAGER, SALES_REP
from core.orm import utcnow
from core.views import (
    Filter,
    FormView,
    KanbanView,
    ListView,
    Param,
    RecordAction,
    RelatedList,
    Section,
)


def _mine(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return Customer.owner_id == actor.user_id


def _in_pool(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return Customer.owner_id.is_(None)


def _key_accounts(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return Customer.level == "A"


def _overdue(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return sa.and_(Ticket.state.in_(("new", "assigned")), Ticket.due_at < utcnow())


def _my_tickets(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return Ticket.assignee_id == actor.user_id


customer_list = ListView(
    Customer,
    columns=[Customer.code, Customer.name, Customer.level, Customer.status, Customer.type_id,
             Customer.owner_id, Customer.region_id, Customer.phone, Customer.pool_reason],
    search=[Customer.name, Customer.code, Customer.aliases, Customer.phone, Customer.tax_code],
    filters=[
        Filter("mine", _l("My customers"), _mine),
        Filter("pool", _l("Public pool"), _in_pool),
        Filter("key", _l("Key accounts (A)"), _key_accounts),
    ],
    group_by=[Customer.level, Customer.status, Customer.region_id, Customer.owner_id,
              Customer.type_id, Customer.industry_id, Customer.source_id,
              Customer.department_id, Customer.product_line_id, Customer.trade],
    order=[(Customer.name, False)],
)

customer_form = FormView(
    Customer,
    fields=[
        Section(_l("Customer"), [Customer.name, Customer.code, Customer.phone, Customer.level,
                                 Customer.aliases, Customer.type_id, Customer.industry_id,
                                 Customer.source_id, Customer.trade, Customer.upstream_id]),
        Section(_l("Address and contact details"), [
            Customer.region_id, Customer.county, Customer.address, Customer.fax, Customer.email,
            Customer.website, Customer.tax_code]),
        Section(_l("Responsibility"), [Customer.owner_id, Customer.department_id,
                                       Customer.product_line_id]),
        Section(_l("Distributor details"), [Customer.warehouse_address,
                                            Customer.warehouse_area, Customer.annual_sales,
                                            Customer.staff_count]),
        Section(_l("More"), [Customer.note, Customer.not_duplicate]),
    ],
)

customer_kanban = KanbanView(
    Customer, column_by=Customer.status,
    card=[Customer.name, Customer.level, Customer.owner_id],
)

contact_list = ListView(
    Contact,
    columns=[Contact.name, Contact.customer_id, Contact.title, Contact.mobile, Contact.email,
             Contact.decision_role, Contact.is_key],
    search=[Contact.name, Contact.mobile, Contact.phone, Contact.email],
    group_by=[Contact.decision_role, Contact.is_key, Contact.customer_id],
    order=[(Contact.name, False)],
)

contact_form = FormView(
    Contact,
    fields=[
        Section(_l("Contact"), [Contact.customer_id, Contact.name, Contact.title,
                                Contact.department, Contact.decision_role, Contact.is_key]),
        Section(_l("Contact details"), [Contact.mobile, Contact.phone, Contact.email,
                                        Contact.note]),
    ],
)

customer_contacts = RelatedList(
    Customer, key=Contact.customer_id,
    columns=[Contact.name, Contact.title, Contact.mobile, Contact.decision_role, Contact.is_key],
    label=_l("Contacts"), order=[(Contact.is_key, True), (Contact.name, False)],
)

customer_downstream = RelatedList(
    Customer, key=Customer.upstream_id,
    columns=[Customer.code, Customer.name, Customer.type_id, Customer.region_id],
    label=_l("Downstream customers"), order=[(Customer.name, False)],
)

relation_list = ListView(
    CustomerRelation,
    columns=[CustomerRelation.customer_id, CustomerRelation.related_id, CustomerRelation.kind,
             CustomerRelation.note],
    group_by=[CustomerRelation.kind],
)
relation_form = FormView(
    CustomerRelation,
    fields=[CustomerRelation.customer_id, CustomerRelation.related_id, CustomerRelation.kind,
            CustomerRelation.note],
)
customer_relations = RelatedList(
    Customer, key=CustomerRelation.customer_id,
    columns=[CustomerRelation.related_id, CustomerRelation.kind, CustomerRelation.note],
    label=_l("Related customers"),
)

ticket_list = ListView(
    Ticket,
    columns=[Ticket.subject, Ticket.kind, Ticket.customer_id, Ticket.priority, Ticket.state,
             Ticket.assignee_id, Ticket.due_at, Ticket.satisfaction],
    search=[Ticket.subject, Ticket.description],
    filters=[Filter("overdue", _l("Overdue"), _overdue),
             Filter("mine", _l("Assigned to me"), _my_tickets)],
    group_by=[Ticket.state, Ticket.kind, Ticket.problem_type_id, Ticket.product_id,
              Ticket.assignee_id, Ticket.priority, Ticket.satisfaction, Ticket.customer_id],
    order=[(Ticket.due_at, False)],
)
ticket_form = FormView(
    Ticket,
    fields=[
        Section(_l("Ticket"), [Ticket.customer_id, Ticket.contact_id, Ticket.kind,
                               Ticket.subject, Ticket.description, Ticket.channel]),
        Section(_l("Category"), [Ticket.product_id, Ticket.problem_type_id, Ticket.priority]),
        Section(_l("Handling"), [Ticket.assignee_id, Ticket.due_at, Ticket.resolution]),
        Section(_l("Closing"), [Ticket.satisfaction, Ticket.feedback]),
    ],
)
ticket_kanban = KanbanView(Ticket, column_by=Ticket.state,
                           card=[Ticket.subject, Ticket.customer_id, Ticket.due_at])
customer_tickets = RelatedList(
    Customer, key=Ticket.customer_id,
    columns=[Ticket.subject, Ticket.kind, Ticket.state, Ticket.problem_type_id,
             Ticket.create_date, Ticket.satisfaction],
    label=_l("Service history"), order=[(Ticket.create_date, True)],
)

pool_rule_list = ListView(PoolRule, columns=[PoolRule.kind, PoolRule.days, PoolRule.levels,
                                             PoolRule.active])
pool_rule_form = FormView(PoolRule, fields=[PoolRule.kind, PoolRule.days, PoolRule.levels,
                                            PoolRule.active])
claim_limit_list = ListView(ClaimLimit, columns=[ClaimLimit.role, ClaimLimit.daily_limit])
claim_limit_form = FormView(ClaimLimit, fields=[ClaimLimit.role, ClaimLimit.daily_limit])
claim_list = ListView(PoolClaim, columns=[PoolClaim.claimed_at, PoolClaim.user_id,
                                          PoolClaim.customer_id],
                      group_by=[PoolClaim.user_id], order=[(PoolClaim.claimed_at, True)])

CUSTOMER_ACTIONS = [
    RecordAction(Customer, "claim", _l("Claim from the pool"), pool.claim,
                 roles=(SALES_REP, SALES_MANAGER), visible=lambda c: c.owner_id is None),
    RecordAction(Customer, "assign", _l("Assign to a rep"), pool.assign, bulk=True,
                 params=[Param("owner", _l("Rep"), kind="ref", target=User)],
                 roles=(SALES_MANAGER, GENERAL_MANAGER)),
    RecordAction(Customer, "release", _l("Put back into the pool"), pool.release,
                 params=[Param("reason", _l("Reason"))],
                 visible=lambda c: c.owner_id is not None,
                 confirm=_l("Put this customer back into the public pool?")),
    RecordAction(Customer, "hand_over", _l("Hand over all customers of this owner"),
                 pool.hand_over,
                 params=[Param("to_user", _l("New owner"), kind="ref", target=User),
                         Param("reason", _l("Reason"))],
                 roles=(SALES_MANAGER, GENERAL_MANAGER),
                 visible=lambda c: c.owner_id is not None),
    RecordAction(Customer, "merge", _l("Merge into another customer"), merge.merge_action,
                 params=[Param("survivor", _l("Customer that remains"), kind="ref",
                               target=Customer)],
                 roles=(SALES_MANAGER,), right="delete",
                 confirm=_l("Move everything of this customer to the one that remains and "
                            "delete this one?")),
]


def _lookup_views(model: Any) -> list[Any]:
    fields = [model.code, model.name, model.name_en, model.active]
    order = [(model.code, False)]
    if hasattr(model, "sequence"):
        fields.insert(3, model.sequence)
        order.insert(0, (model.sequence, False))
    if model is CustomerType:
        fields.append(CustomerType.is_distributor)
    return [
        ListView(model, columns=fields, search=[model.code, model.name, model.name_en],
                 order=order),
        FormView(model, fields=fields),
    ]


category_list = ListView(
    ProductCategory,
    columns=[ProductCategory.code, ProductCategory.name, ProductCategory.name_en,
             ProductCategory.parent_id, ProductCategory.active],
    search=[ProductCategory.code, ProductCategory.name],
    group_by=[ProductCategory.parent_id],
    order=[(ProductCategory.code, False)],
)
category_form = FormView(
    ProductCategory,
    fields=[ProductCategory.parent_id, ProductCategory.code, ProductCategory.name,
            ProductCategory.name_en, ProductCategory.active],
)

product_list = ListView(
    Product,
    columns=[Product.code, Product.name, Product.spec, Product.model, Product.unit,
             Product.category_id, Product.price, Product.floor_price, Product.active],
    search=[Product.code, Product.name, Product.spec, Product.model],
    group_by=[Product.category_id, Product.product_line_id, Product.active],
    order=[(Product.code, False)],
)
product_form = FormView(
    Product,
    fields=[
        Section(_l("Product"), [Product.code, Product.name, Product.spec, Product.model,
                                Product.unit, Product.category_id, Product.product_line_id,
                                Product.active]),
        Section(_l("Prices"), [Product.price, Product.floor_price]),
    ],
)

# The competitor master (#16); crm_marketing adds the company record to the form.
competitor_list = ListView(Competitor, columns=[Competitor.name, Competitor.note],
                           search=[Competitor.name], order=[(Competitor.name, False)])
competitor_form = FormView(Competitor, fields=[Competitor.name, Competitor.note])

VIEWS: list[Any] = [
    customer_list, customer_form, customer_kanban,
    contact_list, contact_form, customer_contacts, customer_downstream,
    relation_list, relation_form, customer_relations,
    ticket_list, ticket_form, ticket_kanban, customer_tickets,
    pool_rule_list, pool_rule_form, claim_limit_list, claim_limit_form, claim_list,
    *CUSTOMER_ACTIONS, *_lookup_views(ProblemType),
    *_lookup_views(Industry), *_lookup_views(LeadSource), *_lookup_views(CustomerType),
    category_list, category_form, product_list, product_form,
    competitor_list, competitor_form,
]

MENUS = [
    Menu("customers", _l("Customers"), model=Customer, sequence=10),
    Menu("contacts", _l("Contacts"), model=Contact, sequence=11),
    Menu("tickets", _l("Service tickets"), model=Ticket, sequence=40),
    Menu("products", _l("Products"), model=Product, sequence=60),
    Menu("product_categories", _l("Product categories"), model=ProductCategory, sequence=61,
         roles=(ADMIN,)),
    Menu("industries", _l("Industries"), model=Industry, sequence=62, roles=(ADMIN,)),
    Menu("lead_sources", _l("Lead sources"), model=LeadSource, sequence=63, roles=(ADMIN,)),
    Menu("customer_types", _l("Customer types"), model=CustomerType, sequence=64,
         roles=(ADMIN,)),
    Menu("problem_types", _l("Problem types"), model=ProblemType, sequence=65, roles=(ADMIN,)),
    Menu("pool_rules", _l("Pool rules"), model=PoolRule, sequence=66, roles=(ADMIN,)),
    Menu("claim_limits", _l("Claim limits"), model=ClaimLimit, sequence=67, roles=(ADMIN,)),
    Menu("pool_claims", _l("Pool claims"), model=PoolClaim, sequence=68,
         roles=(SALES_MANAGER, GENERAL_MANAGER)),
    Menu("competitors", _l("Competitors"), model=Competitor, sequence=83),
]
