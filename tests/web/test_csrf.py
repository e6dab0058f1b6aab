"""With CSRF protection on (as in production), a POST without the form's token is refused."""
from __future__ import annotations

import re

import pytest


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("path", ["/login", "/signup", "/logout", "/lang/en", "/account/password"])
def test_post_without_token_is_refused_with_a_friendly_page(client, path):
    response = client.post(path, data={"email": "a@example.com", "password": "x" * 12})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "ページの有効期限が切れました" in page
    assert "ページを再読み込みしてからもう一度お試しください。" in page


def test_post_with_the_token_from_the_form_works(client, make_user, auth):
    make_user(email="learner@example.com")
    token = _token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": "learner@example.com",
                                           "password": auth.password, "csrf_token": token})
    assert response.status_code == 302


def test_every_form_on_the_pages_carries_a_token(client):
    for path in ["/", "/login", "/signup"]:
        page = client.get(path).get_data(as_text=True)
        assert page.count("<form") == page.count('name="csrf_token"'), path
