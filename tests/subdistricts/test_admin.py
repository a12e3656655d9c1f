"""A unit's level: stored, shown in the admin list, filterable there."""

import pytest

from apps.subdistricts.models import Subdistrict
from tests.factories import SubdistrictFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/subdistricts/subdistrict/"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def test_a_new_unit_is_a_subdistrict_unless_told_otherwise():
    assert SubdistrictFactory().level == Subdistrict.Level.STREET


def test_the_model_names_a_unit_without_assuming_it_is_a_subdistrict():
    meta = Subdistrict._meta
    assert (meta.verbose_name, meta.get_field("level").verbose_name) == ("单位", "级别")
    assert meta.get_field("district").verbose_name == "上级（区/县/市）"


def test_the_admin_list_shows_each_units_level(admin_client):
    SubdistrictFactory(name="颛桥镇", district="闵行区", level=Subdistrict.Level.TOWN)
    SubdistrictFactory(name="江浦路街道", district="杨浦区")

    response = admin_client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="sortable column-level' in page
    assert '<td class="field-level">镇</td>' in page
    assert '<td class="field-level">街道</td>' in page


def test_the_admin_list_can_be_filtered_by_level(admin_client):
    SubdistrictFactory(name="颛桥镇", district="闵行区", level=Subdistrict.Level.TOWN)
    SubdistrictFactory(name="江浦路街道", district="杨浦区")

    response = admin_client.get(URL, {"level__exact": "镇"})

    assert [row.name for row in response.context["cl"].result_list] == ["颛桥镇"]
