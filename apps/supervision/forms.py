from django import forms

from apps.core.forms import ChineseDateField
from apps.supervision.services import URGE_MESSAGE_MAX


class UrgeForm(forms.Form):
    """The 催办 form; the deadline rule is the service's (`urges_send`)."""

    message = forms.CharField(
        label="催办内容", max_length=URGE_MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    deadline = ChineseDateField(label="反馈期限")


class BulkUrgeForm(UrgeForm):
    tasks = forms.ModelMultipleChoiceField(queryset=None, label="任务")

    def __init__(self, *args, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = tasks
        self.fields["tasks"].error_messages["required"] = "请选择要催办的任务。"


class ReviewForm(forms.Form):
    APPROVE, RETURN = "approve", "return"
    updates = forms.ModelMultipleChoiceField(queryset=None, label="更新")
    decision = forms.ChoiceField(choices=[(APPROVE, "通过"), (RETURN, "退回")])
    comment = forms.CharField(label="审核意见", required=False, max_length=1000)

    def __init__(self, *args, updates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["updates"].queryset = updates
        self.fields["updates"].error_messages["required"] = "请选择要审核的更新。"


class OwnersForm(forms.Form):
    owners = forms.ModelMultipleChoiceField(
        queryset=None, label="责任人账号", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owners"].queryset = members
