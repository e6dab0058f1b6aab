"""The layout: accessible skeleton, security headers, assets from our own origin only."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

QUIZAPP = Path(__file__).resolve().parents[2] / "quizapp"
PAGES = ["/", "/login", "/signup"]
EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""",
                      re.IGNORECASE)


def test_home_page_welcomes_with_links_and_the_chain_rule(client):
    page = client.get("/").get_data(as_text=True)
    assert "E資格 逆伝播ドリル" in page
    assert 'href="/signup"' in page and 'href="/login"' in page
    assert 'data-tex="\\frac{\\partial L}{\\partial x}' in page
    assert "/static/vendor/katex/katex.min.js" in page


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_lang_skip_link_main_landmark_and_nav(client, path):
    page = client.get(path).get_data(as_text=True)
    assert '<html lang="ja">' in page
    assert '<a class="skip-link" href="#main">本文へ移動</a>' in page
    assert '<main id="main"' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    for label in ("ホーム", "学習の記録", "ログイン", "新規登録"):
        assert f">{label}</a>" in page


@pytest.mark.parametrize("path", PAGES)
def test_every_label_belongs_to_a_field(client, path):
    page = client.get(path).get_data(as_text=True)
    for target in re.findall(r'<label for="([^"]+)"', page):
        assert f'id="{target}"' in page


def test_nav_shows_logout_and_password_change_when_signed_in(client, make_user, auth):
    make_user()
    auth.login()
    page = client.get("/").get_data(as_text=True)
    assert "ログアウト" in page and "パスワード変更" in page and ">ログイン</a>" not in page


@pytest.mark.parametrize("path", PAGES + ["/healthz"])
def test_security_headers(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_no_template_or_stylesheet_loads_anything_from_another_site():
    files = [*QUIZAPP.glob("templates/**/*.html"), *QUIZAPP.glob("static/**/*.css")]
    assert files
    offenders = [str(f.relative_to(QUIZAPP)) for f in files if EXTERNAL.search(f.read_text("utf-8"))]
    assert offenders == []


@pytest.mark.parametrize("path", PAGES)
def test_rendered_pages_reference_only_our_static_files_and_they_exist(client, path):
    page = client.get(path).get_data(as_text=True)
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert assets
    for asset in assets:
        assert asset.startswith("/static/"), asset
        response = client.get(asset)
        assert response.status_code == 200, asset
        response.close()


def test_every_font_katex_css_asks_for_is_vendored():
    css_dir = QUIZAPP / "static/vendor/katex"
    fonts = re.findall(r"url\(([^)]+)\)", (css_dir / "katex.min.css").read_text("utf-8"))
    assert fonts
    missing = [font for font in fonts if not (css_dir / font.strip("'\"")).is_file()]
    assert missing == []
