"""The kernel's own tables: divisions, users and the state of addons."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.orm import Base, utcnow


class Division(Base):
    """A business unit (事业部 / 分公司) that enables its own set of addons."""

    __tablename__ = "kehu_division"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(128))
    active: Mapped[bool] = mapped_column(default=True)
    create_date: Mapped[dt.datetime] = mapped_column(default=utcnow)


class User(Base):
    """A person who signs in."""

    __tablename__ = "kehu_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(128))
    active: Mapped[bool] = mapped_column(default=True)
    division_id: Mapped[int | None] = mapped_column(sa.ForeignKey("kehu_division.id"))
    create_date: Mapped[dt.datetime] = mapped_column(default=utcnow)


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
