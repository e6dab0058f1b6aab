"""A browser's side of the pages: one httpx client (cookie jar) per learner, every request
timed into an endpoint group, redirects followed by hand (each hop is its own request, as
in a browser), and forms read from the HTML (hidden inputs with the CSRF token, field names)."""
from __future__ import annotations

import asyncio
import html
import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from bench.load.stats import Recorder

USER_AGENT = "quizapp-load/1 (bench/load)"
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
FIELD = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.I)
ATTR = re.compile(r'([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*"([^"]*)"')


def check_local(url: str) -> str:
    """The load only ever talks to this machine: refuse any other host."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname != "127.0.0.1" or not parts.port:
        raise SystemExit(f"--url must be http://127.0.0.1:<port> (the load stays on this machine), got {url!r}")
    return f"http://127.0.0.1:{parts.port}"


def new_client(base_url: str, timeout: float, headers: dict | None = None) -> httpx.AsyncClient:
    """No proxies from the environment (trust_env=False): requests go straight to 127.0.0.1.
    verify=False: the load speaks plain HTTP on loopback, and a verifying client loads the CA
    bundle when it is made (15 ms of the event loop per learner, which inflated every latency
    measured while learners were being created)."""
    return httpx.AsyncClient(
        base_url=check_local(base_url), timeout=timeout, follow_redirects=False, trust_env=False, verify=False,
        headers={"User-Agent": USER_AGENT, "Accept-Language": "ja", **(headers or {})},
        limits=httpx.Limits(max_connections=4, max_keepalive_connections=2),
    )


class Browser:
    """Timed requests: an answer is recorded with its status, no answer as lost."""

    def __init__(self, client: httpx.AsyncClient, recorder: Recorder) -> None:
        self.client = client
        self.recorder = recorder

    async def request(self, group: str, method: str, url: str, **kwargs) -> httpx.Response | None:
        started = time.monotonic()
        try:
            response = await self.client.request(method, url, **kwargs)
        except httpx.TimeoutException:
            self.recorder.lost(group, "timeout")
            return None
        except httpx.TransportError as err:
            self.recorder.lost(group, type(err).__name__)
            return None
        except asyncio.CancelledError:
            self.recorder.lost(group, "cut off at the end")
            raise
        self.recorder.answered(group, started, time.monotonic() - started, response.status_code,
                               len(response.content))
        return response

    async def get(self, group: str, url: str, **kwargs) -> httpx.Response | None:
        return await self.request(group, "GET", url, **kwargs)

    async def post(self, group: str, url: str, **kwargs) -> httpx.Response | None:
        return await self.request(group, "POST", url, **kwargs)

    async def aclose(self) -> None:
        await self.client.aclose()


@dataclass
class Form:
    action: str
    hidden: dict[str, str]   # the hidden inputs, as a browser sends them back (csrf_token, ...)
    names: set[str]          # every field name in the form


def _attrs(text: str) -> dict[str, str]:
    return {name.lower(): html.unescape(value) for name, value in ATTR.findall(text)}


def forms(page: str) -> list[Form]:
    found = []
    for form_attrs, body in FORM.findall(page):
        hidden, names = {}, set()
        for _tag, field_attrs in FIELD.findall(body):
            attrs = _attrs(field_attrs)
            if "name" not in attrs:
                continue
            names.add(attrs["name"])
            if attrs.get("type", "").lower() == "hidden":
                hidden[attrs["name"]] = attrs.get("value", "")
        found.append(Form(_attrs(form_attrs).get("action", ""), hidden, names))
    return found


def form_posting_to(page: str, action: str) -> Form | None:
    """The form whose action is ``action`` (a path), or None."""
    return next((f for f in forms(page) if f.action == action), None)


def location(response: httpx.Response | None) -> str | None:
    """The path a redirect points to (the app sends relative Location headers)."""
    if response is None or response.status_code not in (301, 302, 303, 307, 308):
        return None
    target = urlsplit(response.headers.get("location", ""))
    return target.path + (f"?{target.query}" if target.query else "") if target.path else None
