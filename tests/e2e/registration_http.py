"""Multipart uploads to the registration API over real HTTP, as a browser sends them."""

from __future__ import annotations

import http.client
import select
import uuid
from urllib.parse import urlsplit

from tests.e2e.client import Response

CHUNK = 256 * 1024


def multipart(filename: str, data: bytes, field: str = "file") -> tuple[bytes, str]:
    boundary = f"antt-{uuid.uuid4().hex}"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
        f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
    ).encode()
    return (
        head + data + f"\r\n--{boundary}--\r\n".encode(),
        f"multipart/form-data; boundary={boundary}",
    )


def send_file(base_url: str, path: str, token: str, filename: str, data: bytes) -> Response:
    """POST one file; stop sending as soon as the server answers early (e.g. 413)."""
    body, content_type = multipart(filename, data)
    url = urlsplit(base_url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        conn.putrequest("POST", f"/api/v1{path}")
        conn.putheader("Authorization", f"Bearer {token}")
        conn.putheader("Content-Type", content_type)
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders()
        _send_until_answered(conn, body)
        answer = conn.getresponse()
        return Response(answer.status, answer.read())
    finally:
        conn.close()


def _send_until_answered(conn, body: bytes) -> None:
    for start in range(0, len(body), CHUNK):
        readable, _, _ = select.select([conn.sock], [], [], 0)
        if readable:
            return
        try:
            conn.sock.sendall(body[start : start + CHUNK])
        except (BrokenPipeError, ConnectionResetError):
            return


def upload(system, token: str, filename: str, data: bytes) -> Response:
    return send_file(system.stack.url("registration"), "/documents", token, filename, data)


def upload_ok(system, token: str, filename: str, data: bytes) -> str:
    r = upload(system, token, filename, data)
    assert r.status == 201, r.json
    return r.json["sha256"]
