"""Every instructor route for every kind of visitor: anonymous visitors are sent to log in,
learners get 403, an instructor reaches their own templates but not another instructor's,
admins reach everything. Refused POSTs change nothing."""
from __future__ import annotations

import pytest

from quizapp.models import TemplateTestCase
from quizapp.services import authoring, template_tests
from quizapp.services import ownership
from tests.instructor.conftest import SOURCE, count_rows, save, stored_counts

OWN = "my-mul"
BUILTIN = "shopping-apples-tax"

# (method, path, form data, reached by any instructor rather than only the owner)
ROUTES = [
    ("GET", "/instructor/", None, True),
    ("GET", "/instructor/new", None, True),
    ("POST", "/instructor/new", {"source": SOURCE.replace("difficulty: 1", "difficulty: 2")}, False),
    ("GET", f"/instructor/t/{OWN}", None, False),
    ("GET", f"/instructor/t/{OWN}/edit", None, False),
    ("POST", f"/instructor/t/{OWN}/edit", {"source": SOURCE.replace("difficulty: 1", "difficulty: 3")}, False),
    ("GET", f"/instructor/t/{OWN}/v/1/test?n=5", None, False),
    ("POST", f"/instructor/t/{OWN}/v/2/publish", {}, False),
    ("POST", f"/instructor/t/{OWN}/unpublish", {}, False),
    ("GET", f"/instructor/t/{OWN}/v/1/source.yaml", None, False),
    ("POST", f"/instructor/t/{OWN}/cases", {"name": "c2", "params": '{"x": 3, "y": 4}',
                                             "answers": '{"z": "12"}', "expected_score": "0.5"}, False),
    ("POST", f"/instructor/t/{OWN}/cases/CASE/delete", {}, False),
    ("GET", f"/instructor/t/{OWN}/insight", None, False),
    ("GET", f"/instructor/t/{OWN}/attempts.csv", None, False),
    ("GET", f"/instructor/builtin/{BUILTIN}", None, True),
    ("POST", f"/instructor/builtin/{BUILTIN}/copy", {"new_slug": "copied-apples"}, True),
    ("GET", f"/instructor/builtin/{BUILTIN}/source.yaml", None, True),
    ("GET", f"/instructor/t/{BUILTIN}/insight", None, True),
    ("GET", f"/instructor/t/{BUILTIN}/attempts.csv", None, True),
]
ROLES = ["anonymous", "learner", "instructor", "other", "admin"]


@pytest.fixture
def setup(db, loaded, users):
    """The instructor's my-mul: v1 published, v2 a draft, one pinned case."""
    save(db, SOURCE, users["instructor"])
    with db.write() as session:
        authoring.publish(session, OWN, 1, users["instructor"])
    save(db, SOURCE.replace("difficulty: 1", "difficulty: 4"), users["instructor"])
    with db.write() as session:
        case = template_tests.add_case(session, OWN, users["instructor"], name="c1", params={"x": 3, "y": 4},
                                       answers={"z": "12", "dx": "4"}, expected_score=1.0)
        return case.id


def expected(role: str, any_instructor: bool) -> str:
    if role == "anonymous":
        return "login"
    if role == "learner" or (role == "other" and not any_instructor):
        return "forbidden"
    return "ok"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "data", "any_instructor"), ROUTES,
                         ids=[f"{m} {p}" for m, p, _, _ in ROUTES])
def test_route_access(client, db, setup, login, role, method, path, data, any_instructor):
    login(role)
    path = path.replace("CASE", str(setup))
    before = stored_counts(db), _statuses(db)
    response = client.get(path) if method == "GET" else client.post(path, data=data)
    outcome = expected(role, any_instructor)
    if outcome == "login":
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    elif outcome == "forbidden":
        assert response.status_code == 403
    else:
        assert response.status_code == (302 if method == "POST" else 200)
    if outcome != "ok":
        assert (stored_counts(db), _statuses(db)) == before  # a refused request changes nothing


def _statuses(db):
    from sqlalchemy import select

    from quizapp.models import TemplateVersion
    with db.sessions() as session:
        return session.execute(select(TemplateVersion.slug, TemplateVersion.version, TemplateVersion.status,
                                      TemplateVersion.source).order_by(TemplateVersion.id)).all()


def test_other_instructors_templates_are_not_listed(client, setup, login):
    login("other")
    assert OWN not in client.get("/instructor/").get_data(as_text=True)
    login("admin")
    assert OWN in client.get("/instructor/").get_data(as_text=True)


def test_missing_templates_and_versions_are_404(client, setup, login):
    login("instructor")
    assert client.get("/instructor/t/no-such/edit").status_code == 404
    assert client.get(f"/instructor/t/{OWN}/v/9/source.yaml").status_code == 404
    assert client.post(f"/instructor/t/{OWN}/v/9/publish").status_code == 404
    assert client.get("/instructor/builtin/no-such").status_code == 404
    assert client.get(f"/instructor/t/{BUILTIN}").status_code == 404  # built-ins have no edit page


def test_the_service_refuses_other_instructors_and_learners(db, setup, users):
    for who in ("other", "learner"):
        with db.write() as session, pytest.raises(ownership.Forbidden):
            authoring.save_template(session, SOURCE, users[who])
        with db.write() as session, pytest.raises(ownership.Forbidden):
            authoring.publish(session, OWN, 2, users[who])
        with db.write() as session, pytest.raises(ownership.Forbidden):
            template_tests.delete_case(session, setup, users[who])
    with db.sessions() as session:
        assert session.get(TemplateTestCase, setup) is not None


def test_an_admin_may_edit_an_instructors_template(db, setup, users):
    assert save(db, SOURCE.replace("difficulty: 1", "difficulty: 5"), users["admin"]) == (OWN, 2)
    with db.sessions() as session:
        assert ownership.slug_owner(session, OWN) == users["instructor"]  # ownership stays


def test_a_version_number_no_version_can_have_is_404_not_a_crash(client, setup, login):
    login("instructor")
    for path in (f"/instructor/t/{OWN}/insight", f"/instructor/t/{OWN}/attempts.csv"):
        assert client.get(f"{path}?version=999999999999999999999").status_code == 404
        assert client.get(f"{path}?version=0").status_code == 404


@pytest.mark.parametrize(("score", "status"), [("0", 302), ("0.0", 302), ("sNaN", 422), ("inf", 422), ("1.5", 422)])
def test_a_pinned_case_may_expect_zero_but_not_nan(client, db, setup, login, score, status):
    from quizapp.models import TemplateTestCase
    login("instructor")
    before = count_rows(db, TemplateTestCase)
    response = client.post(f"/instructor/t/{OWN}/cases", data={
        "name": "zero", "params": '{"x": 3, "y": 4}', "answers": '{"z": "1"}', "expected_score": score})
    assert response.status_code == status
    assert count_rows(db, TemplateTestCase) == before + (1 if status == 302 else 0)
