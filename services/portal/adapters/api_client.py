"""HTTP client of the four APIs, acting with the signed-in person's token (bounded timeouts)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field

UNREACHABLE = "Không kết nối được dịch vụ {api}. Vui lòng thử lại sau ít phút."


class ApiError(Exception):
    """An API answered with an error (its contract body), or could not be reached (status 503)."""

    def __init__(self, status: int, message: str, errors: dict | None = None, body=None):
        super().__init__(message)
        self.status, self.message, self.errors, self.body = status, message, errors or {}, body

    def field_errors(self) -> dict[str, str]:
        """{field: message} flattened from the contract's `errors` (webargs nests by location)."""
        flat: dict[str, str] = {}

        def walk(prefix: str, value) -> None:
            if isinstance(value, dict):
                for key, inner in value.items():
                    name = (
                        key
                        if prefix in ("", "json", "query", "files", "form")
                        else (f"{prefix}.{key}")
                    )
                    walk(name, inner)
            elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                flat[prefix] = " ".join(value)
            elif isinstance(value, list):
                for i, inner in enumerate(value):
                    walk(f"{prefix}.{i}", inner)
            else:
                flat[prefix] = str(value)

        walk("", self.errors)
        return flat


@dataclass(frozen=True)
class File:
    body: bytes
    content_type: str
    filename: str


@dataclass
class Api:
    """One API's base URL and the caller's bearer token."""

    name: str
    base_url: str
    token: str | None
    timeout_s: float = 10.0
    last_headers: dict = field(default_factory=dict)

    def get(self, path: str, query: dict | None = None):
        return self._send("GET", path, query=query)

    def get_page(self, path: str, query: dict | None = None) -> tuple[list, str | None]:
        """One page of a list and the `cursor` of the next (from its `Link` header), if any."""
        items = self.get(path, query)
        return items, next_cursor(self.last_headers)

    def post(self, path: str, body: dict | None = None, query: dict | None = None):
        return self._send("POST", path, body=body if body is not None else {}, query=query)

    def patch(self, path: str, body: dict):
        return self._send("PATCH", path, body=body)

    def upload(self, path: str, filename: str, data: bytes, content_type: str, query=None):
        boundary = uuid.uuid4().hex
        safe_name = filename.replace('"', "'").replace("\r", " ").replace("\n", " ")
        payload = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{safe_name}"\r\nContent-Type: {content_type or "text/plain"}'
                "\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self._send(
            "POST",
            path,
            raw=payload,
            query=query,
            content_type=f"multipart/form-data; boundary={boundary}",
        )

    def download(self, path: str, query: dict | None = None, accept: str = "*/*") -> File:
        return self._send("GET", path, query=query, accept=accept, as_file=True)

    def _url(self, path: str, query: dict | None) -> str:
        url = f"{self.base_url}/api/v1{path}"
        wanted = {k: v for k, v in (query or {}).items() if v not in (None, "")}
        return url + ("?" + urllib.parse.urlencode(wanted) if wanted else "")

    def _send(
        self,
        method,
        path,
        body=None,
        query=None,
        raw=None,
        content_type=None,
        accept="application/json",
        as_file=False,
    ):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self._url(path, query), data=data, method=method)
        req.add_header("Accept", accept)
        if data is not None:
            req.add_header("Content-Type", content_type or "application/json")
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout_s) as resp:
                self.last_headers = dict(resp.headers.items())
                raw_body = resp.read()
                if as_file:
                    return File(
                        raw_body,
                        resp.headers.get("Content-Type", ""),
                        _filename(resp.headers.get("Content-Disposition", "")),
                    )
                return json.loads(raw_body) if raw_body else None
        except urllib.error.HTTPError as err:
            raise _error(err.code, err.read()) from None
        except (OSError, ValueError):
            raise ApiError(503, UNREACHABLE.format(api=self.name)) from None


def next_cursor(headers: dict) -> str | None:
    """The `cursor` of an RFC 8288 `Link: <…>; rel="next"` header, if the API sent one."""
    for part in (headers.get("Link") or "").split(","):
        if 'rel="next"' in part and "<" in part:
            url = part[part.index("<") + 1 : part.index(">")]
            query = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
            return (query.get("cursor") or [None])[0]
    return None


def _error(status: int, raw: bytes) -> ApiError:
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return ApiError(status, f"Dịch vụ trả lời lỗi {status}.")
    return ApiError(status, str(body.get("message") or f"Lỗi {status}"), body.get("errors"), body)


def _filename(disposition: str) -> str:
    if "filename*=UTF-8''" in disposition:
        return urllib.parse.unquote(disposition.split("filename*=UTF-8''", 1)[1].split(";")[0])
    if 'filename="' in disposition:
        return disposition.split('filename="', 1)[1].split('"')[0]
    return "tai-lieu"


@dataclass(frozen=True)
class Apis:
    """The four APIs for one caller: `apis.review.get(...)`."""

    registration: Api
    review: Api
    notification: Api
    reporting: Api

    @classmethod
    def for_token(cls, urls: dict, token: str | None, timeout_s: float) -> Apis:
        return cls(**{name: Api(name, urls[name], token, timeout_s) for name in urls})
