import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_login_page_is_open_to_anonymous_users(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_an_anonymous_user_is_sent_to_the_login_page(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_a_user_signs_in_with_username_and_password(client):
    UserFactory(username="alice")

    response = client.post("/accounts/login/", {"username": "alice", "password": "password"})

    assert response.status_code == 302
    assert response.wsgi_request.user.is_authenticated


def test_a_wrong_password_shows_a_chinese_error(client):
    UserFactory(username="alice")

    response = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})

    assert "用户名或密码不正确" in response.content.decode()


def test_a_signed_in_user_can_sign_out(client):
    client.force_login(UserFactory())

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert client.get("/").status_code == 302


# --- Throttling (django-axes) ------------------------------------------------------------


@pytest.fixture
def locked_alice(client, settings):
    UserFactory(username="alice")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    return client


def test_after_five_wrong_passwords_even_the_right_one_is_refused_in_chinese(locked_alice):
    response = locked_alice.post("/accounts/login/", {"username": "alice", "password": "password"})

    assert response.status_code == 429
    assert "登录已暂停" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_the_admin_login_is_throttled_too(client, settings):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "root", "password": "wrong"})

    response = client.post("/admin/login/", {"username": "root", "password": "password"})

    assert response.status_code == 429


def test_an_administrator_unlocks_by_deleting_the_attempts(locked_alice):
    from axes.models import AccessAttempt

    AccessAttempt.objects.filter(username="alice").delete()  # what the admin's delete does
    response = locked_alice.post("/accounts/login/", {"username": "alice", "password": "password"})

    assert response.status_code == 302


def test_the_attempts_are_listed_in_the_admin_for_unlocking(client, locked_alice):
    from tests.factories import UserFactory as Users

    client.force_login(Users(is_staff=True, is_superuser=True))

    assert client.get("/admin/axes/accessattempt/").status_code == 200


def test_fewer_wrong_passwords_than_the_limit_do_not_lock(client, settings):
    UserFactory(username="alice")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})

    response = client.post("/accounts/login/", {"username": "alice", "password": "password"})

    assert response.status_code == 302
