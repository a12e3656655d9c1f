"""Forms of the import pages: validation only; the views hand cleaned data to services."""

from __future__ import annotations

from pathlib import PurePath

from django import forms

from apps.importer.services import KIND_BY_LABEL
from apps.importer.types import UNIT_LEVELS
from apps.imports.selectors import import_subdistricts

ALLOWED_EXTENSIONS = (".txt", ".docx", ".pdf", ".html", ".htm", ".xlsx", ".doc", ".xls")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="文件",
        required=False,
        help_text="支持 .txt、.docx、.pdf（有文字层）、.html、.xlsx；装有 LibreOffice 时也可上传 .doc",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
    )
    text = forms.CharField(
        label="或粘贴全文", required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    subdistrict = forms.ModelChoiceField(
        label="导入到单位", queryset=None, required=False, empty_label="按文档识别"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = import_subdistricts(user)
        self.fields["subdistrict"].queryset = units
        if not user.is_superuser:
            self.fields["subdistrict"].empty_label = None

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        if PurePath(upload.name).suffix.lower() not in ALLOWED_EXTENSIONS:
            raise forms.ValidationError(
                "不支持这种文件，请上传 .txt、.docx、.pdf、.html、.xlsx 或 .doc 文件。"
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("文件超过 20 MB，无法导入。")
        return upload

    def clean(self):
        data = super().clean()
        has_file, has_text = bool(data.get("file")), bool((data.get("text") or "").strip())
        if has_file == has_text and not self.errors:
            raise forms.ValidationError("请上传一个文件，或粘贴全文（二者选一）。")
        return data


class DraftUnitForm(forms.Form):
    """The unit of a draft: an administrator picks one of theirs; a superuser may name a new
    one (created on confirm) with its level and parent 区."""

    name = forms.CharField(label="单位名称", max_length=100)
    level = forms.ChoiceField(
        label="级别", choices=[("", "按名称判断")] + [(v, v) for v in UNIT_LEVELS], required=False
    )
    district = forms.CharField(label="上级（区/县/市）", max_length=50, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_superuser:
            names = [u.name for u in import_subdistricts(user)]
            self.fields["name"] = forms.ChoiceField(
                label="单位名称", choices=[(n, n) for n in names]
            )
            del self.fields["level"]
            del self.fields["district"]


class DraftPlanForm(forms.Form):
    title = forms.CharField(label="标题", max_length=255)
    kind = forms.ChoiceField(label="类型", choices=[(k, k) for k in KIND_BY_LABEL])
    year_start = forms.IntegerField(label="起始年份", min_value=1949, max_value=2100)
    year_end = forms.IntegerField(label="结束年份", min_value=1949, max_value=2100, required=False)
    doc_number = forms.CharField(label="文件编号", max_length=100, required=False)
    published_on = forms.DateField(
        label="发布日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("year_start"), data.get("year_end")
        if start and end and end < start:
            self.add_error("year_end", "结束年份不能早于起始年份。")
        return data


class TaskBulkAssignForm(forms.Form):
    tasks = forms.ModelMultipleChoiceField(
        label="任务", queryset=None, error_messages={"required": "请选择要分配的任务。"}
    )
    lead_department = forms.ModelChoiceField(
        label="牵头科室", queryset=None, required=False, empty_label="不修改"
    )
    responsible_person = forms.CharField(label="责任人", max_length=100, required=False)
    due_date = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, tasks, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = tasks
        self.fields["lead_department"].queryset = departments
