"""The form renderer writes plain inputs, text areas and labels in Python: the same markup
Django's templates write, so that no form looks or behaves differently."""

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe

from apps.core.forms import PYTHON_TEMPLATES, ChineseDateField, FormRenderer


class EveryInputForm(forms.Form):
    title = forms.CharField(label="标题", max_length=20, help_text="<b>说明</b>")
    percent = forms.IntegerField(label="完成度", min_value=0, max_value=100)
    email = forms.EmailField(label="邮箱", required=False)
    site = forms.URLField(label="网址", required=False, assume_scheme="https")
    secret = forms.CharField(label="口令", widget=forms.PasswordInput(render_value=True))
    version = forms.IntegerField(widget=forms.HiddenInput())
    due = ChineseDateField(label="截止日期", required=False)
    when = forms.DateTimeField(label="时间", required=False)
    at = forms.TimeField(label="钟点", required=False)
    done = forms.BooleanField(label="已完成", required=False)
    note = forms.CharField(label="进展 & <情况>", widget=forms.Textarea(attrs={"rows": 3}))
    flags = forms.CharField(
        label="开关",
        required=False,
        widget=forms.TextInput(attrs={"readonly": True, "disabled": False, "data-x": 'a"b'}),
    )
    status = forms.ChoiceField(label="状态", choices=[("a", "甲"), ("b", "乙")])


DATA = [
    {},
    {
        "title": '"引号" & <标签>',
        "percent": "40",
        "email": "a@b.cn",
        "site": "https://example.cn/?a=1&b=2",
        "secret": "s'ecret",
        "version": "3",
        "due": "2026-12-02",
        "when": "2026-12-02 08:30",
        "at": "08:30",
        "done": "on",
        "note": "第一行\n<script>第二行</script>",
        "flags": "x",
        "status": "b",
    },
    {"title": "", "percent": "不是数字", "note": "  "},
]


def _render_all(form) -> str:
    parts = []
    for field in form:
        parts += [
            str(field.label_tag()),
            str(field.legend_tag()),
            str(field),
            form[field.name].label,
        ]
        parts.append(str(field.label_tag(contents=mark_safe("<i>安全</i>"), attrs={"class": "c"})))
    parts.append(form.render())
    return "\n".join(parts)


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("auto_id", ["id_%s", False])
def test_every_plain_field_renders_as_djangos_templates_render_it(data, auto_id):
    initial = {"title": "初始", "due": dt.date(2026, 1, 5), "done": True, "version": 1}
    ours = EveryInputForm(data or None, initial=initial, auto_id=auto_id, renderer=FormRenderer())
    django = EveryInputForm(
        data or None, initial=initial, auto_id=auto_id, renderer=DjangoTemplates()
    )

    assert _render_all(ours) == _render_all(django)


def test_the_site_renders_forms_with_it():
    assert isinstance(get_default_renderer(), FormRenderer)


def test_only_templates_that_are_plain_are_written_in_python():
    # A select, a file input, a whole form: still Django's templates.
    assert "django/forms/widgets/select.html" not in PYTHON_TEMPLATES
    assert "django/forms/widgets/clearable_file_input.html" not in PYTHON_TEMPLATES
    assert "django/forms/div.html" not in PYTHON_TEMPLATES
