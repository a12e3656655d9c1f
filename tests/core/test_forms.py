"""FastSelect renders what forms.Select would: the options, the choice, escaped labels."""

import pytest
from django import forms

from apps.core.forms import FastSelect
from apps.subdistricts.models import Department, Subdistrict


class ChoiceForm(forms.Form):
    place = forms.ChoiceField(
        choices=[("", "全部街道"), ("1", "江浦路街道"), ("2", "<b>塘桥</b>街道")], widget=FastSelect
    )


def test_it_marks_the_chosen_option_and_escapes_labels():
    html = str(ChoiceForm({"place": "2"})["place"])

    assert html.startswith('<select id="id_place" name="place"')
    assert '<option value="2" selected>&lt;b&gt;塘桥&lt;/b&gt;街道</option>' in html
    assert '<option value="1">江浦路街道</option>' in html
    assert '<option value="">全部街道</option>' in html


@pytest.mark.django_db
def test_model_choices_are_read_in_one_plain_query_with_the_models_labels(
    department_a, subdistrict_a, django_assert_num_queries
):
    class UnitForm(forms.Form):
        department = forms.ModelChoiceField(
            Department.objects.select_related("subdistrict"), widget=FastSelect, empty_label="全部"
        )
        unit = forms.ModelChoiceField(
            Subdistrict.objects.all(), widget=FastSelect(label_field="name"), empty_label="全部街道"
        )

    form = UnitForm({"unit": str(subdistrict_a.pk)})
    form.is_valid()  # validated first, as a filter form is
    with django_assert_num_queries(1):
        departments = str(form["department"])
    with django_assert_num_queries(1):
        units = str(form["unit"])

    assert f'<option value="{department_a.pk}">{department_a}</option>' in departments
    assert '<option value="" selected>全部</option>' in departments  # none chosen
    assert f'<option value="{subdistrict_a.pk}" selected>{subdistrict_a.name}</option>' in units
    assert '<option value="">全部街道</option>' in units


@pytest.mark.django_db
def test_choices_narrowed_to_nothing_offer_only_the_prompt_without_a_query(
    subdistrict_a, django_assert_num_queries
):
    class PlanForm(forms.Form):
        unit = forms.ModelChoiceField(
            Subdistrict.objects.none(), widget=FastSelect(label_field="name"), empty_label="先选择"
        )

    with django_assert_num_queries(0):
        html = str(PlanForm()["unit"])

    assert html.endswith('<option value="" selected>先选择</option></select>')
