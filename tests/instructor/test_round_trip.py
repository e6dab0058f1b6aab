"""The authoring round trip in the test client: create, validate, test, publish, edit into a
new version; old attempts keep grading the same after a new version is published."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from exercises import grade
from quizapp.models import TemplateVersion
from quizapp.services import authoring
from quizapp.services import attempts, catalog, instances
from tests.instructor.conftest import SOURCE


def rows(db, slug="my-mul"):
    with db.sessions() as session:
        return [(r.version, r.status) for r in session.scalars(
            select(TemplateVersion).where(TemplateVersion.slug == slug).order_by(TemplateVersion.version))]


def test_create_test_publish_and_edit_into_a_new_version(client, db, loaded, login):
    login("instructor")
    assert "新しいテンプレート" in client.get("/instructor/new").get_data(as_text=True)
    response = client.post("/instructor/new", data={"source": SOURCE})
    assert response.status_code == 302 and response.headers["Location"] == "/instructor/t/my-mul"
    assert rows(db) == [(1, "draft")]
    page = client.get("/instructor/t/my-mul").get_data(as_text=True)
    assert "v1" in page and "下書き" in page

    report = client.get("/instructor/t/my-mul/v/1/test?n=40").get_data(as_text=True)
    assert "40 / 40 個の seed で、勾配チェックに通る問題ができました。" in report
    assert "正解" in report and 'class="reference"' in report

    assert client.post("/instructor/t/my-mul/v/1/publish").status_code == 302
    assert rows(db) == [(1, "published")]
    with db.sessions() as session:
        assert catalog.latest_published(session, "my-mul").version == 1

    edited = SOURCE.replace("x: {min: 1, max: 9}", "x: {min: 2, max: 9}")
    assert client.get("/instructor/t/my-mul/edit").status_code == 200
    assert client.post("/instructor/t/my-mul/edit", data={"source": edited}).status_code == 302
    assert rows(db) == [(1, "published"), (2, "draft")]
    with db.sessions() as session:
        v2 = session.scalar(select(TemplateVersion).where(TemplateVersion.slug == "my-mul", TemplateVersion.version == 2))
    assert "version: 2" in v2.source and "min: 2, max: 9" in v2.source

    # an unused draft is edited in place: no v3
    again = edited.replace("difficulty: 1", "difficulty: 2")
    assert client.post("/instructor/t/my-mul/edit", data={"source": again}).status_code == 302
    assert rows(db) == [(1, "published"), (2, "draft")]

    assert client.post("/instructor/t/my-mul/v/2/publish").status_code == 302
    assert rows(db) == [(1, "draft"), (2, "published")]
    download = client.get("/instructor/t/my-mul/v/1/source.yaml")
    assert download.headers["Content-Disposition"] == 'attachment; filename="my-mul-v1.yaml"'
    assert "x: {min: 1, max: 9}" in download.get_data(as_text=True)

    assert client.post("/instructor/t/my-mul/unpublish").status_code == 302
    assert rows(db) == [(1, "draft"), (2, "draft")]


def test_metadata_fields_are_written_into_the_source(client, db, loaded, login):
    login("instructor")
    response = client.post("/instructor/new", data={
        "source": SOURCE, "slug": "renamed-mul", "title_ja": "新しい題", "title_en": "New title",
        "family": "chain-rule", "difficulty": "3"})
    assert response.headers["Location"] == "/instructor/t/renamed-mul"
    with db.sessions() as session:
        row = session.scalar(select(TemplateVersion).where(TemplateVersion.slug == "renamed-mul"))
    assert (row.title_ja, row.title_en, row.family) == ("新しい題", "New title", "chain-rule")
    assert "difficulty: 3" in row.source and "slug: renamed-mul" in row.source
    assert "statement:" in row.source  # the rest of the source is kept as written


def test_blank_fields_keep_the_source_and_show_its_values(client, loaded, login):
    login("instructor")
    page = client.post("/instructor/new", data={"source": SOURCE.replace("x * y", "x * w")})
    text = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'placeholder="my-mul"' in text and 'placeholder="乗算ノード（講師作成）"' in text


def test_uploaded_yaml_file_is_saved(client, db, loaded, login):
    import io

    login("instructor")
    data = {"source": "", "upload": (io.BytesIO(SOURCE.encode("utf-8")), "my-mul.yaml")}
    response = client.post("/instructor/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302 and rows(db) == [(1, "draft")]


def test_upload_that_is_not_yaml_or_not_text_is_refused(client, db, loaded, login):
    import io

    login("instructor")
    wrong_type = {"source": "", "upload": (io.BytesIO(SOURCE.encode()), "my-mul.py")}
    page = client.post("/instructor/new", data=wrong_type, content_type="multipart/form-data")
    assert page.status_code == 422 and ".yaml か .yml のファイルを選んでください。" in page.get_data(as_text=True)
    binary = {"source": "", "upload": (io.BytesIO(b"\xff\xfe\x00bad"), "x.yaml")}
    page = client.post("/instructor/new", data=binary, content_type="multipart/form-data")
    assert page.status_code == 422 and "UTF-8" in page.get_data(as_text=True)
    assert rows(db) == []


def test_copy_of_a_builtin_is_a_draft_under_a_new_slug(client, db, loaded, login):
    login("instructor")
    page = client.get("/instructor/").get_data(as_text=True)
    assert "shopping-apples-tax" in page and "組み込みテンプレート（読み取り専用）" in page
    response = client.post("/instructor/builtin/shopping-apples-tax/copy", data={"new_slug": "my-apples"})
    assert response.headers["Location"] == "/instructor/t/my-apples/edit"
    assert rows(db, "my-apples") == [(1, "draft")]
    assert rows(db, "shopping-apples-tax") == [(2, "published")]  # untouched
    taken = client.post("/instructor/builtin/shopping-apples-tax/copy", data={"new_slug": "chain-softplus"})
    assert taken.status_code == 422 and "すでに使われています" in taken.get_data(as_text=True)
    assert "my-apples" in client.get("/instructor/").get_data(as_text=True)


def test_builtin_slugs_cannot_be_overwritten_even_by_an_admin(client, db, loaded, login):
    login("admin")
    source = authoring.builtin_source("shopping-apples-tax")
    page = client.post("/instructor/new", data={"source": source})
    assert page.status_code == 403 and "組み込みテンプレートなので変更できません" in page.get_data(as_text=True)
    assert rows(db, "shopping-apples-tax") == [(2, "published")]


def test_an_attempt_on_v1_grades_identically_after_v2_is_published(client, db, cache, loaded, login, users):
    login("instructor")
    client.post("/instructor/new", data={"source": SOURCE})
    client.post("/instructor/t/my-mul/v/1/publish")
    with db.write() as session:
        instance, exercise_v1 = instances.start_exercise(session, cache, "my-mul", user_id=users["learner"], seed=9)
        instance_id = instance.id
    first = attempts.submit(db, cache, instance_id, {"z": "1", "dx": "2"}, user_id=users["learner"])

    changed = SOURCE.replace("z: x * y", "z: x * y + x")  # v2 changes every answer
    assert client.post("/instructor/t/my-mul/edit", data={"source": changed}).status_code == 302
    assert client.post("/instructor/t/my-mul/v/2/publish").status_code == 302
    with db.sessions() as session:
        _, row, again = instances.load_instance(session, cache, instance_id, user_id=users["learner"])
        assert catalog.latest_published(session, "my-mul").version == 2
    assert row.version == 1 and again.answers == exercise_v1.answers
    assert again.public() == exercise_v1.public()
    answers = {"z": str(int(exercise_v1.answers["z"])), "dx": str(int(exercise_v1.answers["dx"]))}
    assert grade(again, answers).score == 1.0
    second = attempts.submit(db, cache, instance_id, {"z": "1", "dx": "2"}, user_id=users["learner"])
    assert second.attempt.verdicts == first.attempt.verdicts and second.attempt.score == first.attempt.score
    # editing v2 again makes v3 (v2 is published), never touching v1
    assert client.post("/instructor/t/my-mul/edit", data={"source": changed + "\n"}).status_code == 302
    assert rows(db) == [(1, "draft"), (2, "published"), (3, "draft")]


def test_a_draft_with_instances_is_not_changed_in_place(db, cache, loaded, users):
    from tests.instructor.conftest import save

    save(db, SOURCE, users["instructor"])
    with db.write() as session:
        authoring.publish(session, "my-mul", 1, users["instructor"])
        instances.start_exercise(session, cache, "my-mul", user_id=users["learner"], seed=1)
        authoring.unpublish(session, "my-mul", users["instructor"])
    assert save(db, SOURCE.replace("difficulty: 1", "difficulty: 2"), users["instructor"]) == ("my-mul", 2)


def test_test_report_size_is_capped(client, db, loaded, login):
    login("instructor")
    client.post("/instructor/new", data={"source": SOURCE})
    assert client.get("/instructor/t/my-mul/v/1/test?n=501").status_code == 400
    page = client.get("/instructor/t/my-mul/v/1/test").get_data(as_text=True)
    assert re.search(r"100 / 100 個の seed", page)


@pytest.mark.parametrize("n", [0, "many"])
def test_bad_instance_counts_are_refused(client, loaded, login, n):
    login("instructor")
    client.post("/instructor/new", data={"source": SOURCE})
    assert client.get(f"/instructor/t/my-mul/v/1/test?n={n}").status_code == 400


def test_the_menu_links_to_the_instructor_pages_for_instructors_only(client, loaded, login):
    link = 'href="/instructor/"'
    login("learner")
    assert link not in client.get("/").get_data(as_text=True)
    login("instructor")
    assert link in client.get("/").get_data(as_text=True)
    assert 'href="/instructor/" aria-current="page"' in client.get("/instructor/new").get_data(as_text=True)


def test_a_save_that_loses_a_race_asks_to_save_again(client, db, loaded, login, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    def racing(*_args, **_kwargs):
        raise IntegrityError("INSERT", {}, Exception("uq_template_versions_slug_version"))

    login("instructor")
    monkeypatch.setattr(authoring, "save_template", racing)
    page = client.post("/instructor/new", data={"source": SOURCE})
    assert page.status_code == 409 and 'data-code="conflict"' in page.get_data(as_text=True)
    assert rows(db) == []
