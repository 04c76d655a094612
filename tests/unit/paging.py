"""Following a list's pages the way a client does: by the `Link: <…>; rel="next"` header."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

NEXT = re.compile(r'<(?P<url>[^>]+)>; rel="next"')
MAX_PAGES = 1000


def next_link(response) -> str | None:
    header = response.headers.get("Link")
    if header is None:
        return None
    found = NEXT.fullmatch(header)
    assert found, f"not an RFC 8288 next link: {header!r}"
    url = urlsplit(found["url"])
    assert url.scheme in ("http", "https") and url.netloc, "the link is an absolute address"
    return found["url"]


def walk(client, url: str, headers: dict) -> list:
    """The bodies of every page from `url` on, each fetched from the previous one's link."""
    bodies = []
    while url is not None:
        r = client.get(url, headers=headers)
        assert r.status_code == 200, r.json
        bodies.append(r.json)
        url = next_link(r)
        assert len(bodies) < MAX_PAGES, "the links go round in a loop"
    return bodies
