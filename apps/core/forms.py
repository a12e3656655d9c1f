"""Shared form fields, widgets and the form renderer."""

from collections.abc import Callable, Mapping
from html import escape
from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe


class FastSelect(forms.Select):
    """A <select> built by joining escaped strings instead of rendering one template per
    option: the task table's 街道 filter has 215 options for a city-level user, which took
    25 ms of the page as templates. Same markup as forms.Select, without optgroups.

    A model choice field's options are read in one plain query. `label_field`: the model
    field its label is (what the model's `__str__` returns), to read (pk, label) pairs
    instead of model instances: for long lists, and for models with large columns (a
    plan's source text)."""

    def __init__(self, attrs=None, choices=(), *, label_field: str | None = None):
        super().__init__(attrs, choices)
        self.label_field = label_field

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = {str(v) for v in self.format_value(value)}
        options = []
        for option_value, label in self._options():
            key = "" if option_value is None else str(option_value)
            mark = " selected" if key in selected else ""
            options.append(f'<option value="{escape(key)}"{mark}>{escape(str(label))}</option>')
        # Safe: flatatt escapes the attributes, and every value and label is escaped above.
        return mark_safe(f"<select{flatatt(final_attrs)}>{''.join(options)}</select>")

    def _options(self):
        queryset = getattr(self.choices, "queryset", None)
        field = getattr(self.choices, "field", None)
        if queryset is None or getattr(field, "null_label", None) is not None:
            return self.choices
        options = [("", field.empty_label)] if field.empty_label is not None else []
        if queryset.query.is_empty():
            # Narrowed to nothing (先选择计划): nothing to compile or read.
            return options
        if self.label_field is not None:
            key = field.to_field_name or "pk"
            return options + list(queryset.values_list(key, self.label_field))
        # Read in one plain query: ModelChoiceIterator reads through a server-side cursor
        # (three round trips on PostgreSQL) for a list of a few dozen rows.
        return options + [
            (field.prepare_value(obj), field.label_from_instance(obj)) for obj in queryset
        ]


class DateInput(forms.DateInput):
    """A text box showing dates as 2026-12-02. Not the browser's date picker, which
    shows mm/dd/yyyy on many phones and laptops set to English."""

    def __init__(self, attrs=None):
        attrs = {"placeholder": "如 2026-12-02", "autocomplete": "off", **(attrs or {})}
        super().__init__(attrs, format="%Y-%m-%d")


# 2026-12-02, 2026年12月2日, 2026/12/2 and 2026.12.2 all read; one format is shown.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y年%m月%d日", "%Y/%m/%d", "%Y.%m.%d"]
DATE_INVALID_MESSAGE = "日期格式应为 2026-12-02 或 2026年12月2日"


class ChineseDateField(forms.DateField):
    """Every date a user types (the task page's update form, the 催办 deadline): one way
    of writing dates on every form."""

    default_error_messages = {"invalid": DATE_INVALID_MESSAGE}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DateInput())
        super().__init__(input_formats=DATE_INPUT_FORMATS, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "")
        return super().to_python(value)


# === The form renderer ======================================================================
# Django renders each widget and label through a template, an input through three
# (text.html includes input.html, which includes attrs.html). The task page's update form
# made some thirty template renders, 6-7 ms of a 40 ms page. The plainest of those
# templates are written below as Python producing the same markup; every other template
# (select, file input, a whole form) is rendered by Django as before.


def _attrs_html(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html and django/forms/attrs.html: an attribute whose
    value is False is left out, one whose value is True is written bare."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(_formatted(value))}"')
    return "".join(out)


def _formatted(value):
    """`value|stringformat:'s'`, which keeps a safe string safe."""
    return value if isinstance(value, SafeData) else str(value)


def _input_html(context) -> str:
    widget = context["widget"]
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(_formatted(value))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs_html(widget["attrs"])}>'
    )


def _textarea_html(context) -> str:
    widget = context["widget"]
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"'
        f"{_attrs_html(widget['attrs'])}>\n{value}</textarea>"
    )


def _label_html(context) -> str:
    label = conditional_escape(context["label"])
    if not context["use_tag"]:
        return label
    tag = conditional_escape(context["tag"])
    return f"<{tag}{_attrs_html(context['attrs'])}>{label}</{tag}>"


_INPUT_TEMPLATES = (
    "input",
    "text",
    "number",
    "email",
    "url",
    "password",
    "hidden",
    "date",
    "datetime",
    "time",
    "checkbox",
    "search",
    "tel",
    "color",
)
PYTHON_TEMPLATES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    **{f"django/forms/widgets/{name}.html": _input_html for name in _INPUT_TEMPLATES},
    "django/forms/widgets/textarea.html": _textarea_html,
    "django/forms/label.html": _label_html,
}


class FormRenderer(DjangoTemplates):
    """Django's form renderer (FORM_RENDERER), with the templates in PYTHON_TEMPLATES
    produced by Python: the same markup, without a template render each."""

    def render(self, template_name, context, request=None):
        python = PYTHON_TEMPLATES.get(template_name)
        if python is None:
            return super().render(template_name, context, request)
        # Safe: every value the templates would escape is escaped above. Stripped as
        # Django strips what a template gives.
        return mark_safe(python(context).strip())
