"""Admin pages of #18: announcements (公告), the SMTP server and the divisions' webhooks."""

from __future__ import annotations

from core.i18n import _l
from core.navigation import Menu
from core.notify.models import DivisionWebhook, MailServer
from core.org import ADMIN
from core.views import FormView, ListView, View
from core.workbench.models import Announcement

VIEWS: list[View] = [
    ListView(Announcement, columns=[Announcement.title, Announcement.division_id,
                                    Announcement.published_at, Announcement.active],
             search=[Announcement.title], order=[(Announcement.published_at, True)]),
    FormView(Announcement, fields=[Announcement.title, Announcement.body, Announcement.division_id,
                                   Announcement.published_at, Announcement.active]),
    ListView(MailServer, columns=[MailServer.host, MailServer.port, MailServer.security,
                                  MailServer.from_address, MailServer.active]),
    FormView(MailServer, fields=[MailServer.host, MailServer.port, MailServer.security,
                                 MailServer.username, MailServer.password,
                                 MailServer.from_address, MailServer.active]),
    ListView(DivisionWebhook, columns=[DivisionWebhook.division_id, DivisionWebhook.url,
                                       DivisionWebhook.active]),
    FormView(DivisionWebhook, fields=[DivisionWebhook.division_id, DivisionWebhook.url,
                                      DivisionWebhook.active]),
]

MENUS = [
    Menu("announcements", _l("Announcements"), model=Announcement, sequence=960, roles=(ADMIN,)),
    Menu("mail_server", _l("Mail server"), model=MailServer, sequence=970, roles=(ADMIN,)),
    Menu("webhooks", _l("Division webhooks"), model=DivisionWebhook, sequence=980, roles=(ADMIN,)),
]
