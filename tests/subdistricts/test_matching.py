"""Names as documents write them, matched to departments and unit levels: pure functions."""

import pytest

from apps.importer.types import UNIT_LEVELS
from apps.subdistricts.matching import department_match, lead_first, unit_level_from_name
from apps.subdistricts.models import Subdistrict

DEPARTMENTS = ["党政办", "管理办", "服务办", "平安办", "自治办", "营商办", "社区党建办"]


def test_it_links_a_lead_that_is_exactly_a_department():
    assert department_match("管理办", DEPARTMENTS) == "管理办"


def test_it_ignores_spaces_around_the_lead():
    assert department_match("  服务办 ", DEPARTMENTS) == "服务办"


@pytest.mark.parametrize(
    ("lead", "department"),
    [
        ("街道党政办", "党政办"),  # the unit's name in front
        ("社区管理办", "管理办"),  # the long form of the name
        ("党政办公室", "党政办"),
        ("党建办", "社区党建办"),  # the short form of the name
    ],
)
def test_it_links_a_lead_written_a_little_differently(lead, department):
    assert department_match(lead, DEPARTMENTS) == department


@pytest.mark.parametrize("lead", ["区发改委", "城管科", "平安建设办", "营商环境办", "各居委会"])
def test_it_links_nothing_when_the_lead_is_not_clearly_one_of_the_departments(lead):
    assert department_match(lead, DEPARTMENTS) is None


def test_it_links_the_first_of_several_leads():
    assert department_match("平安办、管理办", DEPARTMENTS) == "平安办"
    assert department_match("区发改委、管理办", DEPARTMENTS) is None


def test_it_links_nothing_when_two_departments_fit_equally_well():
    assert department_match("办公室", ["党政办公室", "综合办公室"]) is None


def test_it_links_nothing_without_a_lead_or_without_departments():
    assert department_match("", DEPARTMENTS) is None
    assert department_match("管理办", []) is None


def test_the_first_lead_is_the_text_before_the_first_enumeration_comma():
    assert lead_first(" 党政办 、管理办、服务办") == "党政办"
    assert lead_first("管理办") == "管理办"


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("江浦路街道", "街道"),
        ("颛桥镇", "镇"),
        ("崇明区新海镇", "镇"),
        ("横沙乡", "乡"),
        ("静安区", "区县"),
        ("浦东新区", "区县"),
        ("崇明县", "区县"),
        ("昆山市", "区县"),
        ("嘉定工业区", "其他"),
        ("漕河泾开发区", "其他"),
        ("张江科学城", "其他"),
        ("曹杨新村社区", "其他"),
    ],
)
def test_it_reads_the_level_of_a_unit_from_the_end_of_its_name(name, level):
    assert unit_level_from_name(name) == level


def test_the_levels_are_the_ones_the_importer_produces():
    assert tuple(Subdistrict.Level.values) == UNIT_LEVELS
