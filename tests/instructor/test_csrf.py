"""With CSRF protection on, every instructor POST without the form's token is refused and
changes nothing; with the token from the page it works."""
from __future__ import annotations

import re

import pytest

from quizapp.services import template_tests
from tests.conftest import PASSWORD
from tests.instructor.conftest import EMAILS, SOURCE, save, stored_counts


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


@pytest.fixture
def signed_in(client, db, loaded, users):
    token = _token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": EMAILS["instructor"], "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302
    save(db, SOURCE, users["instructor"])
    with db.write() as session:
        case = template_tests.add_case(session, "my-mul", users["instructor"], name="c", params={"x": 3, "y": 4},
                                       answers={"z": "12", "dx": "4"}, expected_score=1.0)
        return case.id


POSTS = [
    ("/instructor/new", {"source": SOURCE.replace("my-mul", "another-mul")}),
    ("/instructor/t/my-mul/edit", {"source": SOURCE.replace("difficulty: 1", "difficulty: 2")}),
    ("/instructor/t/my-mul/v/1/publish", {}),
    ("/instructor/t/my-mul/unpublish", {}),
    ("/instructor/t/my-mul/cases", {"name": "n", "params": "{}", "answers": "{}", "expected_score": "1"}),
    ("/instructor/t/my-mul/cases/CASE/delete", {}),
    ("/instructor/builtin/shopping-apples-tax/copy", {"new_slug": "copied-apples"}),
]


@pytest.mark.parametrize(("path", "data"), POSTS, ids=[p for p, _ in POSTS])
def test_post_without_token_is_refused_and_changes_nothing(client, db, signed_in, path, data):
    before = stored_counts(db), _snapshot(db)
    response = client.post(path.replace("CASE", str(signed_in)), data=data)
    assert response.status_code == 400 and "ページの有効期限が切れました" in response.get_data(as_text=True)
    assert (stored_counts(db), _snapshot(db)) == before


def test_save_and_publish_with_the_tokens_from_the_pages(client, db, signed_in):
    token = _token(client.get("/instructor/t/my-mul/edit").get_data(as_text=True))
    edited = SOURCE.replace("difficulty: 1", "difficulty: 2")
    assert client.post("/instructor/t/my-mul/edit", data={"source": edited, "csrf_token": token}).status_code == 302
    token = _token(client.get("/instructor/t/my-mul").get_data(as_text=True))
    assert client.post("/instructor/t/my-mul/v/1/publish", data={"csrf_token": token}).status_code == 302
    assert [(r[1], r[2]) for r in _snapshot(db) if r[0] == "my-mul"] == [(1, "published")]


@pytest.mark.parametrize("path", ["/instructor/", "/instructor/new", "/instructor/t/my-mul",
                                  "/instructor/t/my-mul/edit", "/instructor/builtin/shopping-apples-tax"])
def test_every_post_form_carries_a_token(client, signed_in, path):
    page = client.get(path).get_data(as_text=True)
    posts = re.findall(r'<form[^>]*method="post"[^>]*>.*?</form>', page, re.DOTALL)
    assert all('name="csrf_token"' in form for form in posts), path


def _snapshot(db):
    from sqlalchemy import select

    from quizapp.models import TemplateVersion
    with db.sessions() as session:
        return session.execute(select(TemplateVersion.slug, TemplateVersion.version, TemplateVersion.status,
                                      TemplateVersion.source).order_by(TemplateVersion.id)).all()

