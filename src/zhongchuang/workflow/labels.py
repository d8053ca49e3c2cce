"""The labels of certification.yaml, listed so that `makemessages` extracts them for translation.

The workflow file is the source; a test keeps this list equal to the labels it declares. Pages show a
label through gettext (`{% translate step.label %}`, `gettext(state.operator_label)`).
"""

from django.utils.translation import gettext_noop as _

LABELS = [
    _("草稿"),
    _("已在线提交，待收件"),
    _("已提交，请寄送纸质材料"),
    _("已收件，待形式审核"),
    _("材料已受理"),
    _("形式审核中"),
    _("待申报单位补正"),
    _("需要补正材料"),
    _("已补正，待复核"),
    _("现场核查中"),
    _("待集体研究"),
    _("审核中"),
    _("拟认定，待公示"),
    _("公示中"),
    _("已认定"),
    _("未通过"),
    _("已撤回"),
    _("提交申报"),
    _("撤回申报"),
    _("登记收件"),
    _("逾期不予受理"),
    _("开始形式审核"),
    _("要求补正"),
    _("提交补正材料"),
    _("形式审核通过"),
    _("形式审核不通过"),
    _("完成现场核查"),
    _("集体研究通过，拟认定"),
    _("集体研究不通过"),
    _("列入公示"),
    _("认定"),
    _("公示异议成立，不予认定"),
]
