"""Templates: the public catalog, and the instructors' create / update / validate, which go
through quizapp.services.authoring (the same rules and checks as the web editor)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from exercises import catalog
from quizapp.models import TemplateVersion
from quizapp.services import authoring
from tests.api.conftest import SHOP, start

SOURCE = """\
slug: api-mul
version: 1
family: node-backprop
difficulty: 1
topics: [backprop]
title:
  ja: 乗算ノード（API で作成）
  en: Mul node (made over the API)
statement:
  ja: x = {{x}}, y = {{y}} のとき z = xy の順伝播と逆伝播を求めなさい。
  en: With x = {{x}} and y = {{y}}, find z = xy and its gradients.
params:
  x: {min: 1, max: 9}
  y: {min: 2, max: 9}
nodes:
  z: x * y
parts:
  - {id: z, kind: value, node: z, precision: {decimals: 0}}
  - {id: dx, kind: gradient, wrt: x, precision: {decimals: 0}}
"""


def versions(db) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(TemplateVersion))


def test_list_has_every_published_builtin_with_its_metadata(client):
    body = client.get("/api/v1/templates").get_json()
    assert body["count"] == len(catalog()) == len(body["templates"])
    shop = next(t for t in body["templates"] if t["slug"] == SHOP)
    assert shop["kind"] == "template" and shop["family_name"]["ja"] == "買い物の計算グラフ"
    assert {t["kind"] for t in body["templates"]} == {"template", "generator"}


def test_list_carries_syllabus_tags_and_filters_by_item(client):
    every = client.get("/api/v1/templates").get_json()["templates"]
    tags = {t["slug"]: t["syllabus"] for t in every}
    assert tags[SHOP] == ["3-2-2"] and tags["softmax-cross-entropy-grad"] == ["3-1-3", "3-1-4", "3-2-2"]
    assert tags["gd-linear-regression-one-step"] == ["3-1-2", "3-2-1"]  # the data file's own entry
    only = client.get("/api/v1/templates?syllabus=3-1-3").get_json()
    assert {t["slug"] for t in only["templates"]} == {s for s, ids in tags.items() if "3-1-3" in ids}
    assert only["count"] == len(only["templates"]) >= 2


def test_an_unknown_syllabus_filter_is_a_clear_422(client):
    response = client.get("/api/v1/templates?syllabus=9-9", headers={"Accept-Language": "en"})
    body = response.get_json()
    assert response.status_code == 422 and body["field"] == "syllabus" and "3-2-3" in body["detail"]


def test_detail_has_domains_for_templates_and_a_description_for_generators(client):
    shop = client.get(f"/api/v1/templates/{SHOP}").get_json()
    domains = {p["name"]: p for p in shop["params"]}
    assert domains["tax"] == {"name": "tax", "choices": [1.1, 1.08], "decimals": 2, "min": None, "max": None,
                              "step": None}
    assert (domains["apple"]["min"], domains["apple"]["max"], domains["apple"]["step"]) == (50, 300, 10)
    assert shop["status"] == "published" and shop["params_doc"] is None
    generator = next(t for t in catalog() if t.origin == "generator")
    detail = client.get(f"/api/v1/templates/{generator.slug}").get_json()
    assert detail["kind"] == "generator" and detail["params"] == [] and detail["params_doc"]["ja"]


def test_unknown_template_is_404(client):
    response = client.get("/api/v1/templates/no-such-template")
    assert response.status_code == 404 and response.get_json()["code"] == "unknown_template"


def test_validate_reports_the_editors_problems_and_stores_nothing(client, db, instructor):
    before = versions(db)
    good = client.post("/api/v1/templates/validate", json={"source": SOURCE}, headers=instructor).get_json()
    assert good == {"valid": True, "problems": []}
    broken = SOURCE.replace("x * y", "x * w")
    report = client.post("/api/v1/templates/validate", json={"source": broken},
                         headers={**instructor, "Accept-Language": "en"}).get_json()
    assert report["valid"] is False
    problems = [{k: p[k] for k in ("field", "line", "code", "message_ja", "message_en", "caret")}
                for p in report["problems"]]
    assert problems == authoring.validate_source(broken)
    assert report["problems"][0]["detail"] == report["problems"][0]["message_en"]
    assert "line" in report["problems"][0] and report["problems"][0]["caret"]
    assert versions(db) == before


def test_create_makes_a_draft_then_publish_makes_it_playable(client, db, instructor, learner):
    created = client.post("/api/v1/templates", json={"source": SOURCE}, headers=instructor)
    assert created.status_code == 201
    body = created.get_json()
    assert (body["slug"], body["version"], body["status"]) == ("api-mul", 1, "draft")
    assert body["source"].startswith("slug: api-mul")
    assert client.get("/api/v1/templates/api-mul").status_code == 404  # drafts are not public
    update = client.put("/api/v1/templates/api-mul", json={"source": SOURCE, "publish": True}, headers=instructor)
    assert update.status_code == 200 and update.get_json()["status"] == "published"
    exercise = start(client, learner, template="api-mul", params={"x": 3, "y": 4})
    result = client.post(f"/api/v1/exercises/{exercise['id']}/submissions",
                         json={"answers": {"z": "12", "dx": "4"}}, headers=learner).get_json()
    assert result["score"] == 1.0


def test_create_refuses_an_existing_or_builtin_slug_with_409(client, instructor):
    assert client.post("/api/v1/templates", json={"source": SOURCE}, headers=instructor).status_code == 201
    again = client.post("/api/v1/templates", json={"source": SOURCE}, headers=instructor)
    assert again.status_code == 409 and again.get_json()["code"] == "template_exists"
    builtin = client.post("/api/v1/templates", json={"source": SOURCE.replace("api-mul", SHOP)}, headers=instructor)
    assert builtin.status_code == 409


def test_invalid_template_is_422_with_every_problem_and_nothing_stored(client, db, instructor):
    before = versions(db)
    response = client.post("/api/v1/templates", json={"source": SOURCE.replace("x * y", "x * w")}, headers=instructor)
    problem = response.get_json()
    assert response.status_code == 422 and problem["code"] == "invalid_template"
    assert problem["errors"][0]["field"] == "nodes.z" and problem["errors"][0]["line"] == 16
    assert versions(db) == before


def test_update_rules(client, instructor, token_for):
    client.post("/api/v1/templates", json={"source": SOURCE}, headers=instructor)
    mismatch = client.put("/api/v1/templates/api-other", json={"source": SOURCE}, headers=instructor)
    assert mismatch.status_code == 422 and mismatch.get_json()["field"] == "source"
    missing = client.put("/api/v1/templates/api-none", json={"source": SOURCE.replace("api-mul", "api-none")},
                         headers=instructor)
    assert missing.status_code == 404 and missing.get_json()["code"] == "unknown_template"
    builtin = client.put(f"/api/v1/templates/{SHOP}", json={"source": SOURCE.replace("api-mul", SHOP)},
                         headers=instructor)
    assert builtin.status_code == 403 and builtin.get_json()["code"] == "forbidden"
    someone_else = token_for("instructor")
    theirs = client.put("/api/v1/templates/api-mul", json={"source": SOURCE}, headers=someone_else)
    assert theirs.status_code == 403
    admin = token_for("admin")
    assert client.put("/api/v1/templates/api-mul", json={"source": SOURCE}, headers=admin).status_code == 200


def test_a_refused_publish_stores_nothing(client, db, instructor, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise authoring.PublishRefused("公開できません", "cannot publish",
                                       [authoring.problem("pinned_case_failed", "失敗", "failed", field="case")])

    monkeypatch.setattr(authoring, "publish", refuse)
    before = versions(db)
    response = client.post("/api/v1/templates", json={"source": SOURCE, "publish": True}, headers=instructor)
    assert response.status_code == 409 and response.get_json()["code"] == "publish_refused"
    assert response.get_json()["errors"][0]["code"] == "pinned_case_failed"
    assert versions(db) == before


@pytest.mark.parametrize("body", [{}, {"source": 5}, {"source": SOURCE, "publish": "yes"}, {"source": SOURCE, "x": 1}])
def test_template_bodies_are_checked(client, instructor, body):
    response = client.post("/api/v1/templates", json=body, headers=instructor)
    assert response.status_code == 422 and response.get_json()["code"] == "validation_error"
