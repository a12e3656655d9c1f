"""Personas for the import pages, beside the shared ones: `ada` administers 街道 A, `ben`
administers 街道 B, `root` is a superuser. Uploaded files go to a temporary MEDIA_ROOT."""

import pytest

SAMPLE = """新港镇2026年工作要点

发布日期：2026-02-10

一、指导思想
坚持以人民为中心的发展思想。
二、重点任务
（一）优化营商环境
全年走访企业不少于200家次，新增就业岗位1200个。（牵头单位：经济发展办）
（二）推进旧区改造
完成23户适老化改造。（牵头单位：城建中心；完成时限：2026年6月底前）
（三）加强社区治理
建设睦邻点15个。（牵头单位：社区自治办）
"""


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def sample() -> str:
    return SAMPLE


def _admin(username, subdistrict):
    from apps.accounts.models import Membership
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username=username, display_name=username.title())
    MembershipFactory(user=user, subdistrict=subdistrict, role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def ada(subdistrict_a):
    return _admin("ada", subdistrict_a)


@pytest.fixture
def ben(subdistrict_b):
    return _admin("ben", subdistrict_b)


@pytest.fixture
def root(db):
    from tests.factories import UserFactory

    user = UserFactory(username="root", display_name="Root")
    user.is_superuser = True
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def draft_a(ada, sample):
    from apps.imports.services import draft_create

    return draft_create(user=ada, filename="新港镇要点.txt", content=sample.encode("utf-8"))
