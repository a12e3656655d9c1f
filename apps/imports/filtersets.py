import django_filters

from apps.imports.models import ImportDraft


class ImportDraftFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=ImportDraft.Status.choices)
    source_name = django_filters.CharFilter(label="文件名", lookup_expr="icontains")

    class Meta:
        model = ImportDraft
        fields = ["status", "source_name"]
