from quizapp import create_app


def test_health_page_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_ready_checks_the_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_ready_is_a_503_with_retry_after_when_the_database_is_down(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "INSTANCE_PATH": str(tmp_path),
                      "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503 and response.headers["Retry-After"] == "3"
    assert "ただいま混み合っています" in response.get_data(as_text=True)
