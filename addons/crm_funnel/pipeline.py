"""Sales modes and stages: seeding, and keeping every opportunity on a stage of its mode.

Whatever path changes an opportunity's stage (its form, the REST API, a kanban
drag, an import, code), the flush goes through `_follow_stages`: the stage must
belong to the opportunity's sales mode and be active, a closed deal does not
move, the probability is copied from the stage, and a `StageMove` row records
who moved it when and how long it sat in the previous stage.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import get_history

from addons.crm_customer.models import Contact, Customer
from addons.crm_funnel.models import (
    OPEN,
    FunnelSetting,
    LostReason,
    Opportunity,
    SalesMode,
    Stage,
    StageMove,
    Visit,
)
from core.context import current_actor, system_context
from core.errors import ValidationError
from core.i18n import _
from core.org import department_in
from core.orm import utcnow
from core.seeding import LookupData

# The two pipelines every division starts with (issue #7). Sequences leave room
# for an administrator's stages in between and keep the modes apart on the kanban.
SALES_MODES = [
    ("si_supply", "SI 供货", 100, [("项目信息", 10), ("售前方案", 20), ("方案提供", 40),
                                  ("确定方案", 60), ("商务谈判", 80), ("签订合同", 100)]),
    ("project_sale", "项目销售", 200, [("可研立项", 10), ("工程设计", 20), ("产品定型", 40),
                                      ("招标评标", 60), ("商务谈判", 80), ("签订合同", 100)]),
]
LOST_REASONS = [("price", "价格"), ("relationship", "关系"), ("product", "产品"),
                ("competitor", "竞争对手"), ("no_budget", "无预算"), ("other", "其他")]
LOOKUPS = [LookupData(LostReason, rows=[{"code": c, "name": n} for c, n in LOST_REASONS])]


def seed_sales_modes(session: Session, division_id: int | None = None) -> int:
    """Create the shipped sales modes that are missing (by code), company-wide unless a
    division is given (#14); return how many."""
    mine = (SalesMode.division_id.is_(None) if division_id is None
            else SalesMode.division_id == division_id)
    have = set(session.scalars(sa.select(SalesMode.code).where(mine)))
    created = 0
    for code, name, base, stages in SALES_MODES:
        if code in have:
            continue
        mode = SalesMode(division_id=division_id, code=code, name=name)
        session.add(mode)
        session.flush()
        for index, (stage, probability) in enumerate(stages, start=1):
            session.add(Stage(division_id=division_id, sales_mode_id=mode.id, name=stage,
                              sequence=base + index * 10, probability=probability))
        created += 1
    session.flush()
    return created


def seed_settings(session: Session, division_id: int) -> None:
    """The division's funnel settings row, with the defaults, if it has none."""
    if session.scalar(sa.select(FunnelSetting.id).where(FunnelSetting.division_id == division_id)) \
            is None:
        session.add(FunnelSetting(division_id=division_id))
        session.flush()


def first_stage(session: Session, sales_mode_id: int) -> Stage | None:
    """The active stage of a mode with the lowest sequence."""
    return session.scalars(
        sa.select(Stage).where(Stage.sales_mode_id == sales_mode_id, Stage.active.is_(True))
        .order_by(Stage.sequence, Stage.id).limit(1)
    ).first()


def final_stage(session: Session, sales_mode_id: int) -> Stage | None:
    """The active stage a won deal ends in: the highest sequence (签订合同)."""
    return session.scalars(
        sa.select(Stage).where(Stage.sales_mode_id == sales_mode_id, Stage.active.is_(True))
        .order_by(Stage.sequence.desc(), Stage.id.desc()).limit(1)
    ).first()


# ------------------------------------------------------------------ flush


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: message})


def _stage_of(session: Session, record: Opportunity) -> Stage:
    if record.stage_id is None and record.sales_mode_id is not None:
        stage = first_stage(session, record.sales_mode_id)
        if stage is not None:
            record.stage_id = stage.id
    stage = session.get(Stage, record.stage_id) if record.stage_id is not None else None
    if stage is None:
        raise _refuse("stage_id", _("Choose the stage of the opportunity."))
    if record.sales_mode_id is None:
        record.sales_mode_id = stage.sales_mode_id
    if record.division_id is not None and stage.division_id not in (None, record.division_id):
        raise _refuse("stage_id", _("Stage {stage} belongs to another division.").format(
            stage=stage.full_name or stage.name))
    if stage.sales_mode_id != record.sales_mode_id:
        raise _refuse("stage_id", _("Stage {stage} does not belong to the opportunity's sales "
                                    "mode.").format(stage=stage.full_name or stage.name))
    return stage


def _move(session: Session, record: Opportunity, stage: Stage, previous: int | None) -> None:
    now = utcnow()
    dwell = None
    if previous is not None and record.stage_date is not None:
        dwell = int((now - record.stage_date).total_seconds())
    actor = current_actor()
    session.add(StageMove(opportunity=record, division_id=record.division_id,
                          from_stage_id=previous, to_stage_id=stage.id, user_id=actor.user_id,
                          create_uid=actor.user_id, write_uid=actor.user_id, moved_at=now,
                          dwell_seconds=dwell))
    record.stage_date = now


def place(session: Session, record: Any) -> None:
    """Fill an unset department from the owner, region and product line from the customer."""
    if record.department_id is None and record.owner_id is not None:
        record.department_id = department_in(session, record.owner_id, record.division_id)
    customer = session.get(Customer, record.customer_id) if record.customer_id else None
    if customer is not None:
        if record.region_id is None:
            record.region_id = customer.region_id
        if hasattr(record, "product_line_id") and record.product_line_id is None:
            record.product_line_id = customer.product_line_id


def _check_people(session: Session, record: Opportunity) -> None:
    """The decision tree names people of the deal's customer or of its partners."""
    companies = {record.customer_id, *(p.partner_id for p in record.partners)}
    ids = {person.contact_id for person in record.contacts if person.contact_id is not None}
    if not ids:
        return
    with system_context():
        found = dict(session.execute(sa.select(Contact.id, Contact.customer_id)
                                     .where(Contact.id.in_(sorted(ids)))).all())
    strangers = [i for i in ids if found.get(i) not in companies]
    if strangers:
        message = _("The decision tree may only name contacts of the customer or of a partner "
                    "on the deal.")
        raise ValidationError(message, fields={"contacts": message})


def _place_new(session: Session, record: Opportunity) -> None:
    _check_people(session, record)
    _check_status(session, record, new=True)
    place(session, record)
    stage = _stage_of(session, record)
    if not stage.active:
        raise _refuse("stage_id", _("Stage {stage} is archived: choose an active stage.")
                      .format(stage=stage.full_name))
    if record.state in (None, OPEN):
        record.probability = stage.probability
    _move(session, record, stage, None)


# Set in session.info by the closing actions (closing.py): only they change a deal's status.
CLOSING = "crm_funnel.closing"

# What a closed deal keeps as it was closed (the closing actions write the rest).
_FROZEN = ("name", "customer_id", "amount", "expected_close", "sales_mode_id")


def _check_status(session: Session, record: Opportunity, *, new: bool) -> None:
    """Status and probability are not typed in: the closing actions and the stage set them."""
    if session.info.get(CLOSING):
        return
    if new and record.state not in (None, OPEN):
        raise _refuse("state", _("A new opportunity is open: close it with its buttons."))
    if not new and get_history(record, "state").has_changes():
        raise _refuse("state", _("Close or reopen the opportunity with its buttons."))
    if not new and get_history(record, "probability").has_changes() \
            and not get_history(record, "stage_id").has_changes():
        raise _refuse("probability", _("The win probability follows the stage: change the "
                                       "stage, or the stage's probability."))


def _place_changed(session: Session, record: Opportunity) -> None:
    _check_people(session, record)
    _check_status(session, record, new=False)
    old_state = (get_history(record, "state").deleted or [record.state])[0]
    if old_state != OPEN and record.state == old_state and any(
            get_history(record, key).has_changes() for key in _FROZEN):
        raise ValidationError(_("A closed opportunity cannot be changed: reopen it first."))
    stages = get_history(record, "stage_id")
    modes = get_history(record, "sales_mode_id")
    if not stages.has_changes() and not modes.has_changes():
        return
    if old_state != OPEN:
        raise _refuse("stage_id", _("A closed opportunity does not change stage: reopen it first."))
    stage = _stage_of(session, record)
    previous = (stages.deleted or [None])[0]
    if stage.id == previous:
        return
    if not stage.active:
        raise _refuse("stage_id", _("Stage {stage} is archived: choose an active stage.")
                      .format(stage=stage.full_name))
    if record.state == OPEN:
        record.probability = stage.probability
    _move(session, record, stage, previous)


def _check_probability(stage: Stage) -> None:
    if stage.probability is None or not 0 <= stage.probability <= 100:
        raise _refuse("probability", _("The win probability is a percentage from 0 to 100."))


def _renumber(session: Session, mode_ids: set[int]) -> None:
    """Name each stage "<mode> · <nn> <stage>", nn its place in the mode.

    Stage names repeat across modes (商务谈判), and the number keeps the stage
    order wherever stages are sorted by name (pickers, report rows, the funnel).
    """
    for mode_id in mode_ids:
        mode = session.get(SalesMode, mode_id)
        if mode is None:
            continue
        stages = {s.id: s for s in session.scalars(sa.select(Stage).where(
            Stage.sales_mode_id == mode_id)) if s not in session.deleted}
        stages.update({id(s): s for s in session.new
                       if isinstance(s, Stage) and s.sales_mode_id == mode_id})
        ordered = sorted(stages.values(),
                         key=lambda s: (s.sequence or 0, s.id if s.id is not None else 1 << 62))
        for place, stage in enumerate(ordered, start=1):
            name = f"{mode.name} · {place:02d} {stage.name}"
            if stage.full_name != name:
                stage.full_name = name


def follow_stages(session: Session, records: list[Any], deleted: list[Any]) -> None:
    """Keep opportunities on a stage of their mode and write their stage history
    (kehu_prepare_records: new and changed `records`, `deleted` ones)."""
    modes: set[int] = set()
    for record in records:
        new = record in session.new
        if isinstance(record, Opportunity) and new:
            _place_new(session, record)
        elif isinstance(record, Opportunity):
            _place_changed(session, record)
        elif isinstance(record, Visit) and new:
            place(session, record)
        elif isinstance(record, Stage):
            _check_probability(record)
            modes.add(record.sales_mode_id)
        elif isinstance(record, SalesMode) and not new:
            modes.add(record.id)
    for record in deleted:
        if isinstance(record, Stage):
            _refuse_used_stage(session, record)
            modes.add(record.sales_mode_id)
    _renumber(session, {mode for mode in modes if mode is not None})


def _refuse_used_stage(session: Session, stage: Stage) -> None:
    """A stage that deals or their history name is archived, never deleted."""
    with system_context():  # deals the administrator may not see count too
        used = session.scalar(sa.select(sa.func.count()).select_from(Opportunity)
                              .where(Opportunity.stage_id == stage.id))
        used = used or session.scalar(sa.select(sa.func.count()).select_from(StageMove).where(
            sa.or_(StageMove.to_stage_id == stage.id, StageMove.from_stage_id == stage.id)))
    if used:
        raise _refuse("active", _("Stage {stage} is used by opportunities: archive it (untick "
                                  "Active) instead of deleting it.").format(stage=stage.full_name))
