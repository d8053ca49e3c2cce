from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticeConfig(AppConfig):
    name = "zhongchuang.notice"
    label = "notice"
    verbose_name = _("公示与异议")
