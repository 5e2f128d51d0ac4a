"""Admin pages of the organisation: divisions, departments, users, product lines, regions."""

from __future__ import annotations

from core.i18n import _l
from core.models import Department, Division, ProductLine, Region, User
from core.navigation import Menu
from core.org import ADMIN
from core.views import FormView, ListView, RecordLink, Section, View

VIEWS: list[View] = [
    ListView(Division, columns=[Division.code, Division.name, Division.is_headquarters,
                                Division.active], order=[(Division.code, False)]),
    FormView(Division, fields=[Division.code, Division.name, Division.is_headquarters,
                               Division.active],
             links=[RecordLink(_l("Addons of this division"), "/admin/divisions/{id}/addons",
                               roles=(ADMIN,))]),
    ListView(Department, columns=[Department.code, Department.name, Department.division_id,
                                  Department.parent_id, Department.manager_id],
             search=[Department.name, Department.code], group_by=[Department.division_id],
             order=[(Department.path, False)]),
    FormView(Department, fields=[Department.division_id, Department.code, Department.name,
                                 Department.parent_id, Department.manager_id, Department.active]),
    ListView(User, columns=[User.login, User.name, User.division_id, User.department_id,
                            User.active],
             search=[User.login, User.name, User.email], group_by=[User.division_id,
                                                                   User.department_id],
             order=[(User.login, False)]),
    FormView(User, fields=[
        Section(_l("Person"), [User.login, User.name, User.email, User.phone, User.locale,
                               User.active]),
        Section(_l("Place in the organisation"), [User.division_id, User.department_id,
                                                  User.manager_id]),
        Section(_l("Rights"), [User.roles, User.regions, User.product_lines]),
    ], links=[RecordLink(_l("Set a new password"), "/admin/users/{id}/password", roles=(ADMIN,)),
              RecordLink(_l("Hand over this user's records"), "/admin/users/{id}/handover",
                         roles=(ADMIN,))]),
    ListView(ProductLine, columns=[ProductLine.code, ProductLine.name, ProductLine.active],
             order=[(ProductLine.code, False)]),
    FormView(ProductLine, fields=[ProductLine.code, ProductLine.name, ProductLine.active]),
    ListView(Region, columns=[Region.code, Region.name, Region.name_en, Region.level,
                              Region.parent_id],
             search=[Region.name, Region.name_en, Region.code], group_by=[Region.level],
             order=[(Region.code, False)]),
    FormView(Region, fields=[Region.code, Region.name, Region.name_en, Region.level,
                             Region.parent_id]),
]

MENUS = [
    Menu("users", _l("Users"), model=User, sequence=900, roles=(ADMIN,)),
    Menu("departments", _l("Departments"), model=Department, sequence=910, roles=(ADMIN,)),
    Menu("divisions", _l("Divisions"), model=Division, sequence=920, roles=(ADMIN,)),
    Menu("product_lines", _l("Product lines"), model=ProductLine, sequence=930, roles=(ADMIN,)),
    Menu("regions", _l("Regions"), model=Region, sequence=940, roles=(ADMIN,)),
    Menu("jobs", _l("Jobs"), path="/admin/jobs", sequence=950, roles=(ADMIN,)),  # #20
]
