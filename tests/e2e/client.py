"""A small HTTP client for the e2e tests and a condition poller (no fixed sleeps)."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request

NEXT = re.compile(r'<(?P<url>[^>]+)>; rel="next"')


class Response:
    def __init__(self, status: int, body: bytes, headers=None):
        self.status, self.body, self.headers = status, body, headers or {}

    @property
    def json(self):
        return json.loads(self.body) if self.body else None


def call(method: str, url: str, token: str | None = None, body=None) -> Response:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return Response(resp.status, resp.read(), resp.headers)
    except urllib.error.HTTPError as err:
        return Response(err.code, err.read(), err.headers)


def every_item(url: str, token: str | None = None) -> list:
    """All items of a list, page after page, by each answer's `Link: <…>; rel="next"`."""
    items: list = []
    while url:
        r = call("GET", url, token)
        assert r.status == 200, (r.status, r.json)
        items += r.json
        found = NEXT.fullmatch(r.headers.get("Link") or "")
        url = found["url"] if found else None
    return items


def wait_until(condition, what: str, timeout_s: float = 90, every_s: float = 0.25):
    """Poll `condition` until it returns something truthy; fail naming `what` if it never does."""
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        last = condition()
        if last:
            return last
        time.sleep(every_s)
    raise AssertionError(f"timed out waiting for {what}; last value: {last!r}")
