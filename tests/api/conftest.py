"""Fixtures of the API tests: built-ins loaded, users with tokens, and a test client that
checks every /api response against the OpenAPI document (tests/api/contract.py)."""
from __future__ import annotations

import pytest

from tests.api.contract import ContractClient

SHOP = "shopping-apple-orange"
CANONICAL = {"apple": 100, "apple_num": 2, "orange": 150, "orange_num": 3, "tax": 1.1}
RIGHT = {"price": "715", "d_apple": "2.2", "d_apple_num": "110", "d_orange": "3.3",
         "d_orange_num": "165", "d_tax": "650"}


@pytest.fixture
def app_config():
    # The rate limits have their own tests; elsewhere they must not get in the way.
    return {"RATELIMIT_ENABLED": False}


@pytest.fixture
def app(app):
    from quizapp.services.templates import load_builtin_templates

    with app.extensions["quizapp.db"].write() as session:
        load_builtin_templates(session)
    app.test_client_class = ContractClient
    return app


def make_app_like(database_url: str, tmp_path, config: dict):
    """Another app on the same database (a second worker process, as far as the API can tell)."""
    from tests.conftest import make_test_app

    other = make_test_app(database_url, tmp_path, **config)
    other.test_client_class = ContractClient
    return other


@pytest.fixture
def token_for(db, make_user):
    """``token_for("learner")`` -> the Authorization headers of a fresh user of that role."""
    from quizapp.models import User
    from quizapp.services.tokens import create_token

    def make(role="learner", scope=None, email=None):
        user = make_user(email=email or f"{role}-{make.count}@example.com", role=role)
        make.count += 1
        with db.write() as session:
            _, secret = create_token(session, session.get(User, user.id), "tests",
                                     scope or ("instructor" if role in ("instructor", "admin") else "learner"))
        return {"Authorization": f"Bearer {secret}"}

    make.count = 0
    return make


@pytest.fixture
def learner(token_for):
    return token_for("learner")


@pytest.fixture
def instructor(token_for):
    return token_for("instructor")


def start(client, headers, template=SHOP, **body):
    response = client.post("/api/v1/exercises", json={"template": template, **body}, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()
