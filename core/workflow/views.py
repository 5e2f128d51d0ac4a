"""Admin pages of approval chains, their steps and delegations; the approvals menu."""

from __future__ import annotations

from core.i18n import _l
from core.navigation import Menu
from core.org import ADMIN
from core.views import FormView, ListView, Section, View
from core.workflow.models import ApprovalChain, ApprovalDelegation, ChainStep

VIEWS: list[View] = [
    ListView(ApprovalChain, columns=[ApprovalChain.name, ApprovalChain.model,
                                     ApprovalChain.transition, ApprovalChain.active],
             search=[ApprovalChain.name], group_by=[ApprovalChain.model],
             order=[(ApprovalChain.model, False), (ApprovalChain.name, False)]),
    FormView(ApprovalChain, fields=[ApprovalChain.name, ApprovalChain.model,
                                    ApprovalChain.transition, ApprovalChain.active]),
    ListView(ChainStep, columns=[ChainStep.chain_id, ChainStep.sequence, ChainStep.name,
                                 ChainStep.kind, ChainStep.role, ChainStep.department_id,
                                 ChainStep.user_id, ChainStep.condition_field,
                                 ChainStep.condition_op, ChainStep.condition_value],
             search=[ChainStep.name], group_by=[ChainStep.chain_id, ChainStep.kind],
             order=[(ChainStep.chain_id, False), (ChainStep.sequence, False)]),
    FormView(ChainStep, fields=[
        Section(_l("Step"), [ChainStep.chain_id, ChainStep.sequence, ChainStep.name]),
        Section(_l("Who decides"), [ChainStep.kind, ChainStep.role, ChainStep.department_id,
                                    ChainStep.user_id]),
        Section(_l("Only when"), [ChainStep.condition_field, ChainStep.condition_op,
                                  ChainStep.condition_value]),
    ]),
    ListView(ApprovalDelegation, columns=[ApprovalDelegation.user_id,
                                          ApprovalDelegation.delegate_id,
                                          ApprovalDelegation.date_from,
                                          ApprovalDelegation.date_to, ApprovalDelegation.reason],
             order=[(ApprovalDelegation.date_from, True)]),
    FormView(ApprovalDelegation, fields=[ApprovalDelegation.user_id,
                                         ApprovalDelegation.delegate_id,
                                         ApprovalDelegation.date_from, ApprovalDelegation.date_to,
                                         ApprovalDelegation.reason]),
]

MENUS: list[Menu] = [
    Menu("approvals", _l("Approvals"), path="/approvals", sequence=5),
    Menu("approval_chains", _l("Approval chains"), model=ApprovalChain, sequence=950,
         roles=(ADMIN,)),
    Menu("approval_steps", _l("Approval steps"), model=ChainStep, sequence=960, roles=(ADMIN,)),
    Menu("approval_delegations", _l("Delegations"), model=ApprovalDelegation, sequence=970,
         roles=(ADMIN,)),
]
