"""role_required: learners, instructors and admins (an admin may do what an instructor may)."""
from __future__ import annotations

import pytest

from quizapp.auth import role_required


@pytest.fixture
def app(app):
    @app.get("/_test/instructors-only")
    @role_required("instructor")
    def instructors_only():
        return "instructor area"

    @app.get("/_test/admins-only")
    @role_required("admin")
    def admins_only():
        return "admin area"

    return app


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/_test/instructors-only")
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize(("role", "instructor_page", "admin_page"), [
    ("learner", 403, 403),
    ("instructor", 200, 403),
    ("admin", 200, 200),
])
def test_each_role_reaches_exactly_its_pages(client, make_user, auth, role, instructor_page, admin_page):
    make_user(email=f"{role}@example.com", role=role)
    auth.login(email=f"{role}@example.com")
    assert client.get("/_test/instructors-only").status_code == instructor_page
    assert client.get("/_test/admins-only").status_code == admin_page


def test_forbidden_page_explains_in_japanese(client, make_user, auth):
    make_user(email="learner@example.com")
    auth.login()
    page = client.get("/_test/admins-only").get_data(as_text=True)
    assert "このページを見る権限がありません。" in page
