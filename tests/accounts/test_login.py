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
