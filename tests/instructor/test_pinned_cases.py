"""Pinned test cases: stored per slug, run against the newest version after every save,
a failing one blocks publishing (not saving)."""
from __future__ import annotations

from sqlalchemy import select

from quizapp.models import TemplateTestCase, TemplateVersion
from tests.instructor.conftest import SOURCE, count_rows

CASE = {"name": "canonical", "params": '{"x": 3, "y": 4}', "answers": '{"z": "12", "dx": "4"}',
        "expected_score": "1"}


def test_case_is_stored_and_shown_passing(client, db, loaded, login):
    login("instructor")
    client.post("/instructor/new", data={"source": SOURCE})
    assert client.post("/instructor/t/my-mul/cases", data=CASE).status_code == 302
    with db.sessions() as session:
        case = session.scalar(select(TemplateTestCase))
    assert (case.slug, case.params, case.answers, case.expected_score) == \
        ("my-mul", {"x": 3, "y": 4}, {"z": "12", "dx": "4"}, 1.0)
    page = client.get("/instructor/t/my-mul").get_data(as_text=True)
    assert 'class="case-passed"' in page and "1.000" in page
    assert client.post("/instructor/t/my-mul/v/1/publish").status_code == 302


def test_an_edit_that_breaks_a_case_is_saved_but_the_case_fails_and_blocks_publishing(client, db, loaded, login):
    login("instructor")
    client.post("/instructor/new", data={"source": SOURCE})
    client.post("/instructor/t/my-mul/cases", data=CASE)
    response = client.post("/instructor/t/my-mul/edit", data={"source": SOURCE.replace("z: x * y", "z: x * y + x")},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'class="case-failed"' in page
    assert "得点 0.000（期待 1.000）" in page  # run right after the save, on the new source
    assert client.post("/instructor/t/my-mul/v/1/publish").status_code == 409
    with db.sessions() as session:
        statuses = session.scalars(select(TemplateVersion.status).where(TemplateVersion.slug == "my-mul")).all()
    assert statuses == ["draft"]  # v1 unused and never published: edited in place


def test_case_params_outside_the_domain_fail_with_the_reason(client, loaded, login):
    login("instructor")
    client.post("/instructor/new", data={"source": SOURCE})
    client.post("/instructor/t/my-mul/cases", data={**CASE, "params": '{"x": 30, "y": 4}'})
    page = client.get("/instructor/t/my-mul").get_data(as_text=True)
    assert 'class="case-failed"' in page and "範囲外" in page


def test_bad_case_input_is_refused_and_nothing_stored(client, db, loaded, login):
    login("instructor")
    client.post("/instructor/new", data={"source": SOURCE})
    for bad in ({**CASE, "params": "not json"}, {**CASE, "answers": "[1, 2]"},
                {**CASE, "expected_score": "1.5"}, {**CASE, "name": ""}):
        response = client.post("/instructor/t/my-mul/cases", data=bad)
        assert response.status_code == 422
    assert "JSON のオブジェクト" in client.post("/instructor/t/my-mul/cases",
                                              data={**CASE, "params": "1"}).get_data(as_text=True)
    assert count_rows(db, TemplateTestCase) == 0


def test_case_can_be_deleted(client, db, loaded, login):
    login("instructor")
    client.post("/instructor/new", data={"source": SOURCE})
    client.post("/instructor/t/my-mul/cases", data=CASE)
    with db.sessions() as session:
        case_id = session.scalar(select(TemplateTestCase.id))
    assert client.post(f"/instructor/t/my-mul/cases/{case_id}/delete").status_code == 302
    assert count_rows(db, TemplateTestCase) == 0
    assert client.post(f"/instructor/t/my-mul/cases/{case_id}/delete").status_code == 404
