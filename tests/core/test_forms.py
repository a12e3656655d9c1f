"""FastSelect renders what forms.Select would: the options, the choice, escaped labels."""

from django import forms

from apps.core.forms import FastSelect


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
