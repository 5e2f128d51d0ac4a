"""`ref(..., default=current_user)` (#21): the user who saves a record. The ORM path
(forms, API, code: filled before the flush) is exercised by the tutorial addon of
docs/integrator.md (tests/docs); here the marking the flush reads, and the column
default a Core insert that leaves the column out gets. A base of its own keeps the
kernel's registry free of this test's model."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from core.context import Actor, acting_as
from core.orm import DEFAULT_USER, _user_defaults, current_user, ref


class _Base(DeclarativeBase):
    """A declarative base of this test's own."""


class _User(_Base):
    __tablename__ = "kehu_user"
    id: Mapped[int] = mapped_column(primary_key=True)


class _Chore(_Base):
    __tablename__ = "chore"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(20))
    doer_id: Mapped[int | None] = ref("kehu_user", nullable=True, default=current_user)
    checker_id: Mapped[int | None] = ref("kehu_user", nullable=True)


def test_the_column_is_marked_for_the_flush_and_defaults_in_core_inserts() -> None:
    assert _Chore.__table__.c.doer_id.info[DEFAULT_USER] is True
    assert DEFAULT_USER not in _Chore.__table__.c.checker_id.info
    assert _user_defaults(_Chore) == ("doer_id",)
    engine = sa.create_engine("sqlite://")
    _Base.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(sa.insert(_User.__table__), [{"id": 5}, {"id": 6}])
        with acting_as(Actor(user_id=5, division_id=None)):
            connection.execute(sa.insert(_Chore.__table__).values(name="d"))
            connection.execute(sa.insert(_Chore.__table__).values(name="e", doer_id=None))
            connection.execute(sa.insert(_Chore.__table__).values(name="f", doer_id=6))
        rows = dict(connection.execute(sa.select(_Chore.name, _Chore.doer_id)).all())
    assert rows == {"d": 5, "e": None, "f": 6}  # given explicitly, even as NULL, it is kept
    engine.dispose()
