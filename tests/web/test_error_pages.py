"""Error pages: Japanese by default, with the site's layout and a way back."""
from __future__ import annotations

import pytest


@pytest.fixture
def app_config():
    # Let the 500 handler answer instead of the test client re-raising; a small upload limit.
    return {"PROPAGATE_EXCEPTIONS": False, "MAX_CONTENT_LENGTH": 1000}


@pytest.fixture
def app(app):
    @app.get("/_test/boom")
    def boom():
        raise RuntimeError("a bug")

    return app


def _page(response) -> str:
    return response.get_data(as_text=True)


def test_not_found(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "ページが見つかりません" in _page(response)
    assert 'href="/"' in _page(response)


def test_server_error_shows_an_apology_not_the_traceback(client):
    response = client.get("/_test/boom")
    assert response.status_code == 500
    assert "サーバーでエラーが発生しました" in _page(response)
    assert "a bug" not in _page(response)


def test_too_large_upload(client):
    response = client.post("/login", data={"email": "x@example.com", "password": "p" * 5000})
    assert response.status_code == 413
    assert "送信データが大きすぎます" in _page(response)


def test_method_not_allowed(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "この操作はできません" in _page(response)


def test_error_pages_carry_the_security_headers(client):
    assert client.get("/missing").headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in client.get("/_test/boom").headers["Content-Security-Policy"]
