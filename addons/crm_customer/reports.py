"""Reports of crm_customer: where the customers are, and how service goes."""

from __future__ import annotations

import sqlalchemy as sa

from addons.crm_customer.models import Customer, Ticket
from core.i18n import _l
from core.org import GENERAL_MANAGER, MARKETING, SALES_MANAGER, SERVICE
from core.reports import Dimension, Measure, Report, month
from core.views import Filter

customers = Report(
    key="crm_customer_spread", label=_l("Customers by region, level and status"),
    model=Customer,
    dimensions=[
        Dimension("region", _l("Region"), Customer.region_id),
        Dimension("level", _l("Level"), Customer.level),
        Dimension("status", _l("Status"), Customer.status),
        Dimension("owner", _l("Owner"), Customer.owner_id),
        Dimension("department", _l("Department"), Customer.department_id),
        Dimension("type", _l("Customer type"), Customer.type_id),
        Dimension("industry", _l("Industry"), Customer.industry_id),
        Dimension("source", _l("Source"), Customer.source_id),
        Dimension("registered", _l("Month registered"), month(Customer.create_date)),
    ],
    measures=[
        Measure("count", _l("Customers"), sa.func.count(), kind="count"),
        Measure("in_pool", _l("In the public pool"),
                sa.func.sum(sa.case((Customer.owner_id.is_(None), 1), else_=0)), kind="int"),
        Measure("annual_sales", _l("Annual sales (yuan)"), sa.func.sum(Customer.annual_sales),
                kind="money"),
    ],
    default_rows="region", default_columns="level", chart="bar",
    date_field=Customer.create_date,
    filters=[Filter("formal", _l("Formal customers only"),
                    lambda model, actor: Customer.status == "formal")],
    roles=(SALES_MANAGER, GENERAL_MANAGER, MARKETING),
    description=_l("How many customers each region, level, status, owner or type has."),
)

_score = sa.cast(Ticket.satisfaction, sa.Integer)

service = Report(
    key="crm_service_quality", label=_l("Service tickets and satisfaction"), model=Ticket,
    dimensions=[
        Dimension("problem", _l("Problem type"), Ticket.problem_type_id),
        Dimension("kind", _l("Kind"), Ticket.kind),
        Dimension("state", _l("State"), Ticket.state),
        Dimension("product", _l("Product"), Ticket.product_id),
        Dimension("assignee", _l("Assigned to"), Ticket.assignee_id),
        Dimension("customer", _l("Customer"), Ticket.customer_id),
        Dimension("opened", _l("Month opened"), month(Ticket.create_date)),
    ],
    measures=[
        Measure("count", _l("Tickets"), sa.func.count(), kind="count"),
        Measure("late", _l("Resolved late"), sa.func.sum(sa.case(
            (Ticket.resolved_at > Ticket.due_at, 1), else_=0)), kind="int"),
        Measure("satisfaction", _l("Average satisfaction (1-5)"), sa.func.avg(_score),
                kind="decimal"),
    ],
    default_rows="problem", default_columns="state", chart="bar",
    date_field=Ticket.create_date,
    filters=[Filter("complaints", _l("Complaints only"),
                    lambda model, actor: Ticket.kind == "complaint")],
    roles=(SERVICE, SALES_MANAGER, GENERAL_MANAGER),
    description=_l("Tickets per problem type, product or person, late ones and the "
                   "customers' satisfaction."),
)

REPORTS = [customers, service]
