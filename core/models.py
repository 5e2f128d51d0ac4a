"""The kernel's own tables: divisions, users and the state of addons."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.i18n import _l
from core.orm import Base, utcnow


class Division(Base):
    """A business unit (事业部 / 分公司) that enables its own set of addons.

    Users of a headquarters division may be granted rules that reach across
    divisions; everybody else stays inside their own.
    """

    __tablename__ = "kehu_division"
    __label__ = _l("Division")

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True, info={"label": _l("Code")})
    name: Mapped[str] = mapped_column(sa.String(128), info={"label": _l("Name")})
    active: Mapped[bool] = mapped_column(default=True, info={"label": _l("Active")})
    is_headquarters: Mapped[bool] = mapped_column(
        default=False, server_default=sa.false(), info={"label": _l("Headquarters")}
    )
    create_date: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Department(Base):
    """A department (部门) in a division's tree, with its manager.

    `path` is the chain of ids from the root ("/3/7/12/"), so a subtree is one
    indexed prefix match.
    """

    __tablename__ = "kehu_department"
    __label__ = _l("Department")

    id: Mapped[int] = mapped_column(primary_key=True)
    division_id: Mapped[int] = mapped_column(
        sa.ForeignKey("kehu_division.id"), index=True, info={"label": _l("Division")}
    )
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kehu_department.id"), info={"label": _l("Parent department")}
    )
    code: Mapped[str] = mapped_column(sa.String(32), info={"label": _l("Code")})
    name: Mapped[str] = mapped_column(sa.String(128), info={"label": _l("Name")})
    manager_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kehu_user.id", ondelete="SET NULL"), info={"label": _l("Manager")}
    )
    path: Mapped[str] = mapped_column(sa.String(255), index=True, default="/")
    active: Mapped[bool] = mapped_column(default=True, info={"label": _l("Active")})

    __table_args__ = (sa.UniqueConstraint("division_id", "code"),)


class Region(Base):
    """An administrative region (province → city → county) from GB/T 2260."""

    __tablename__ = "kehu_region"
    __label__ = _l("Region")

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(12), unique=True, info={"label": _l("Code")})
    name: Mapped[str] = mapped_column(sa.String(128), info={"label": _l("Name")})
    name_en: Mapped[str] = mapped_column(sa.String(128), info={"label": _l("English name")})
    level: Mapped[str] = mapped_column(sa.String(16), info={"label": _l("Level"), "choices": [
        ("province", _l("Province")), ("city", _l("City")), ("county", _l("County"))]})
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kehu_region.id"), info={"label": _l("Part of")}
    )
    path: Mapped[str] = mapped_column(sa.String(64), index=True)


class ProductLine(Base):
    """A product line (产品线) that reps and records may be tied to."""

    __tablename__ = "kehu_product_line"
    __label__ = _l("Product line")

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True, info={"label": _l("Code")})
    name: Mapped[str] = mapped_column(sa.String(128), info={"label": _l("Name")})
    active: Mapped[bool] = mapped_column(default=True, info={"label": _l("Active")})


class Role(Base):
    """A role that grants model rights and record rules (admin, sales_rep...)."""

    __tablename__ = "kehu_role"
    __label__ = _l("Role")
    __translated__ = True  # names are English msgids

    code: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(128))


user_role = sa.Table(
    "kehu_user_role",
    Base.metadata,
    sa.Column("user_id", sa.ForeignKey("kehu_user.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("role", sa.ForeignKey("kehu_role.code", ondelete="CASCADE"), primary_key=True),
)
user_region = sa.Table(
    "kehu_user_region",
    Base.metadata,
    sa.Column("user_id", sa.ForeignKey("kehu_user.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("region_id", sa.ForeignKey("kehu_region.id", ondelete="CASCADE"), primary_key=True),
)
user_product_line = sa.Table(
    "kehu_user_product_line",
    Base.metadata,
    sa.Column("user_id", sa.ForeignKey("kehu_user.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "product_line_id",
        sa.ForeignKey("kehu_product_line.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)


class User(Base):
    """A person who signs in: placed in a department, holding roles."""

    __tablename__ = "kehu_user"
    __label__ = _l("User")

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(sa.String(64), unique=True, info={"label": _l("Login")})
    name: Mapped[str] = mapped_column(sa.String(128), info={"label": _l("Name")})
    active: Mapped[bool] = mapped_column(default=True, info={"label": _l("Active")})
    division_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kehu_division.id"), info={"label": _l("Division")}
    )
    department_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kehu_department.id", ondelete="SET NULL", use_alter=True), index=True,
        info={"label": _l("Department")},
    )
    # The direct superior when it is not the department's manager.
    manager_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kehu_user.id"), info={"label": _l("Direct superior")}
    )
    email: Mapped[str | None] = mapped_column(sa.String(254), info={"label": _l("E-mail")})
    phone: Mapped[str | None] = mapped_column(sa.String(40), info={"label": _l("Phone")})
    locale: Mapped[str | None] = mapped_column(sa.String(8), info={"label": _l("Language"), "choices": [
        ("zh_CN", "中文"), ("en", "English")]})
    password_hash: Mapped[str | None] = mapped_column(sa.String(255), info={"hidden": True})
    last_login: Mapped[dt.datetime | None] = mapped_column()
    create_date: Mapped[dt.datetime] = mapped_column(default=utcnow)

    roles: Mapped[list[Role]] = relationship(
        secondary=user_role, lazy="selectin", info={"label": _l("Roles")}
    )
    regions: Mapped[list[Region]] = relationship(
        secondary=user_region, lazy="selectin", info={"label": _l("Regions covered")}
    )
    product_lines: Mapped[list[ProductLine]] = relationship(
        secondary=user_product_line, lazy="selectin", info={"label": _l("Product lines")}
    )
    department: Mapped[Department | None] = relationship(foreign_keys=[department_id])

    @property
    def role_codes(self) -> frozenset[str]:
        return frozenset(role.code for role in self.roles)


class InstalledAddon(Base):
    """An addon installed in this database (schema and lookup data present)."""

    __tablename__ = "kehu_addon"

    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    version: Mapped[str] = mapped_column(sa.String(32))
    install_date: Mapped[dt.datetime] = mapped_column(default=utcnow)
    upgrade_date: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DivisionAddon(Base):
    """An installed addon that a division has switched on."""

    __tablename__ = "kehu_division_addon"

    division_id: Mapped[int] = mapped_column(
        sa.ForeignKey("kehu_division.id", ondelete="CASCADE"), primary_key=True
    )
    addon: Mapped[str] = mapped_column(
        sa.ForeignKey("kehu_addon.name", ondelete="CASCADE"), primary_key=True
    )


class SavedFilter(Base):
    """A list's filters that a user saved under a name ("我的A级客户")."""

    __tablename__ = "kehu_saved_filter"
    __table_args__ = (sa.Index("ix_kehu_saved_filter_user_model", "user_id", "model"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("kehu_user.id", ondelete="CASCADE"))
    model: Mapped[str] = mapped_column(sa.String(64))
    name: Mapped[str] = mapped_column(sa.String(80))
    query: Mapped[str] = mapped_column(sa.String(2000))
    create_date: Mapped[dt.datetime] = mapped_column(default=utcnow)
