"""deploy/'s proxy: TLS on the contract's ports with certificate paths from the environment, plain
HTTP redirected, readiness and metrics only on an internal port; `nginx -t` where nginx runs."""

from __future__ import annotations

import http.client
import http.server
import json
import re
import shutil
import ssl
import subprocess
import threading
import urllib.parse

import pytest

from shared.broker import free_port
from tests.deploy.compose_file import DEPLOY, ENV_EXAMPLE, env_file, resolved_environment, services
from tests.e2e.client import wait_until

MAIN = DEPLOY / "nginx.conf"
TEMPLATE = DEPLOY / "nginx" / "antt.conf.template"
CONTRACT_PORTS = (8001, 8002, 8003, 8004)
OPS_PORT = 9000


def proxy_environment(**overrides) -> dict[str, str]:
    return resolved_environment("proxy", {**env_file(ENV_EXAMPLE), **overrides})


def render(text: str, env: dict[str, str]) -> str:
    """What the nginx image's envsubst step does: replace $NAME / ${NAME} of the variables the
    filter lets through, and nothing else (nginx's own $variables stay)."""
    allowed = re.compile(env.get("NGINX_ENVSUBST_FILTER", ""))
    for name in sorted((n for n in env if allowed.search(n)), key=len, reverse=True):
        text = re.sub(rf"\$(\{{{name}\}}|{name}\b)", lambda _, v=env[name]: v, text)
    return text


def servers(text: str) -> list[str]:
    """The text of each top-level `server { … }` block."""
    blocks, depth, start = [], 0, None
    for match in re.finditer(r"\bserver\s*\{|\{|\}", text):
        if match.group().startswith("server") and depth == 0:
            start = match.start()
        if match.group().endswith("{"):
            depth += 1
        else:
            depth -= 1
            if depth == 0 and start is not None:
                blocks.append(text[start : match.end()])
                start = None
    return blocks


def public_and_ops() -> tuple[str, str]:
    rendered = render(TEMPLATE.read_text(encoding="utf-8"), proxy_environment())
    (public,) = [s for s in servers(rendered) if "listen 8001" in s]
    (ops,) = [s for s in servers(rendered) if f"listen {OPS_PORT}" in s]
    return public, ops


def test_the_certificate_paths_come_from_the_environment_and_nothing_else_is_replaced():
    env = proxy_environment(
        ANTT_TLS_CERTIFICATE="/etc/antt/tls/antt.crt", ANTT_TLS_CERTIFICATE_KEY="/etc/antt/tls/k"
    )
    assert env["NGINX_ENVSUBST_FILTER"] == "^ANTT_"
    rendered = render(TEMPLATE.read_text(encoding="utf-8"), env)
    assert "ssl_certificate /etc/antt/tls/antt.crt;" in rendered
    assert "ssl_certificate_key /etc/antt/tls/k;" in rendered
    assert "${" not in rendered
    for nginx_variable in ("$http_host", "$request_uri", "$server_port", "$antt_api", "$1/$2"):
        assert nginx_variable in rendered
    defaults = proxy_environment()
    assert defaults["ANTT_TLS_CERTIFICATE"].startswith("/etc/antt/tls/")


def test_the_contract_ports_speak_tls_only_and_redirect_plain_http_to_https():
    public, _ = public_and_ops()
    for port in CONTRACT_PORTS:
        assert f"listen {port} ssl;" in public
    both = MAIN.read_text(encoding="utf-8") + TEMPLATE.read_text(encoding="utf-8")
    assert not re.search(r"listen\s+800[1-4]\s*;", both), "a contract port without TLS"
    assert "error_page 497 =301 https://$http_host$request_uri;" in public
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in TEMPLATE.read_text(encoding="utf-8")


def test_readiness_and_metrics_are_refused_on_the_public_ports_and_served_internally():
    public, ops = public_and_ops()
    refusal = re.search(r"location ~ \^/\(readyz\|metrics\)\(/\|\$\) \{[^}]*return 404", public)
    assert refusal, "the public server must answer 404 for /readyz and /metrics"
    assert "deny all;" in ops and "allow 0.0.0.0/0" not in ops
    assert "(readyz|metrics|healthz)" in ops and "proxy_pass http://$1/$2;" in ops
    for service in ("registration", "review", "notification", "reporting"):
        assert service in ops


def test_compose_mounts_the_templates_and_the_certificates_and_binds_operations_to_loopback():
    proxy = services()["proxy"]
    assert "./nginx:/etc/nginx/templates:ro" in proxy["volumes"]
    assert any(v.startswith("${ANTT_TLS_DIR:?") for v in proxy["volumes"])
    ops = [p for p in proxy["ports"] if p.endswith(f":{OPS_PORT}")]
    assert ops == [f"${{ANTT_OPS_BIND:-127.0.0.1}}:${{ANTT_OPS_PORT:-{OPS_PORT}}}:{OPS_PORT}"]
    assert env_file(ENV_EXAMPLE)["ANTT_OPS_BIND"] == "127.0.0.1"
    assert "include /etc/nginx/conf.d/antt.conf;" in MAIN.read_text(encoding="utf-8")
    health = " ".join(proxy["healthcheck"]["test"])
    assert f"http://127.0.0.1:{OPS_PORT}/" in health


@pytest.fixture
def certificate(tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not on PATH: no certificate for `nginx -t`")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", str(tmp_path / "privkey.pem"),
         "-out", str(tmp_path / "fullchain.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return tmp_path / "fullchain.pem", tmp_path / "privkey.pem"


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not on PATH: no `nginx -t`")
def test_nginx_accepts_the_rendered_configuration(tmp_path, certificate):
    cert, key = certificate
    env = proxy_environment(ANTT_TLS_CERTIFICATE=str(cert), ANTT_TLS_CERTIFICATE_KEY=str(key))
    (tmp_path / "conf.d").mkdir()
    (tmp_path / "conf.d" / "antt.conf").write_text(
        render(TEMPLATE.read_text(encoding="utf-8"), env), encoding="utf-8"
    )
    main = MAIN.read_text(encoding="utf-8").replace(
        "/etc/nginx/conf.d/antt.conf", str(tmp_path / "conf.d" / "antt.conf")
    )
    # The image's nginx (1.28) re-resolves upstreams (`resolve`); Debian's older nginx cannot,
    # and this host has no Docker DNS: here the upstreams are plain local addresses.
    main = re.sub(r"server [a-z]+-api:(\d+) resolve;", r"server 127.0.0.1:\1;", main)
    (tmp_path / "nginx.conf").write_text(main, encoding="utf-8")
    done = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", "stderr"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr


class _Echo(http.server.BaseHTTPRequestHandler):
    """Stands in for every API: answers 200 with the path it was asked for."""

    def do_GET(self):
        body = json.dumps({"path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def running_proxy(tmp_path, certificate):
    """nginx itself on the rendered configuration, moved to free ports, before a fake API."""
    if shutil.which("nginx") is None:
        pytest.skip("nginx is not on PATH")
    api = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=api.serve_forever, daemon=True).start()
    ports = {port: free_port() for port in (*CONTRACT_PORTS, OPS_PORT)}
    conf = _configuration(tmp_path, certificate, api.server_address[1], ports)
    nginx = subprocess.Popen(
        ["nginx", "-p", str(tmp_path), "-c", str(conf), "-e", "stderr",
         "-g", f"daemon off; pid {tmp_path / 'nginx.pid'};"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_until(lambda: _answers(ports[OPS_PORT]), "nginx listening", timeout_s=30)
        yield ports
    finally:
        nginx.terminate()
        nginx.wait(timeout=30)
        api.shutdown()


def _configuration(tmp_path, certificate, api_port: int, ports: dict) -> object:
    cert, key = certificate
    env = proxy_environment(ANTT_TLS_CERTIFICATE=str(cert), ANTT_TLS_CERTIFICATE_KEY=str(key))
    servers_conf = render(TEMPLATE.read_text(encoding="utf-8"), env)
    for port, free in ports.items():
        servers_conf = re.sub(rf"\b{port}\b", str(free), servers_conf)
    (tmp_path / "antt.conf").write_text(servers_conf, encoding="utf-8")
    main = MAIN.read_text(encoding="utf-8").replace(
        "/etc/nginx/conf.d/antt.conf", str(tmp_path / "antt.conf")
    )
    main = re.sub(r"server [a-z]+-api:\d+ resolve;", f"server 127.0.0.1:{api_port};", main)
    main = main.replace("access_log /dev/stdout;", "access_log off;")
    (tmp_path / "nginx.conf").write_text(main, encoding="utf-8")
    return tmp_path / "nginx.conf"


def _answers(port: int) -> bool:
    try:
        return _get(f"http://127.0.0.1:{port}/healthz").status == 200
    except OSError:
        return False


def _get(url: str):
    parsed = urllib.parse.urlsplit(url)
    cls = http.client.HTTPSConnection if parsed.scheme == "https" else http.client.HTTPConnection
    extra = {"context": ssl._create_unverified_context()} if parsed.scheme == "https" else {}
    conn = cls(parsed.hostname, parsed.port, timeout=10, **extra)
    try:
        conn.request("GET", parsed.path, headers={"Host": parsed.netloc})
        answer = conn.getresponse()
        answer.body = answer.read()
        return answer
    finally:
        conn.close()


def test_the_running_proxy_serves_tls_redirects_http_and_hides_readiness(running_proxy):
    review = running_proxy[8002]
    served = _get(f"https://127.0.0.1:{review}/api/v1/cases")
    assert served.status == 200 and json.loads(served.body) == {"path": "/api/v1/cases"}
    plain = _get(f"http://127.0.0.1:{review}/api/v1/cases")
    assert plain.status == 301
    assert plain.getheader("Location") == f"https://127.0.0.1:{review}/api/v1/cases"
    for hidden in ("/readyz", "/metrics", "/metrics/", "//readyz"):
        refused = _get(f"https://127.0.0.1:{review}{hidden}")
        assert refused.status == 404, hidden
        assert json.loads(refused.body)["code"] == 404
    ops = running_proxy[OPS_PORT]
    for what in ("readyz", "metrics", "healthz"):
        inside = _get(f"http://127.0.0.1:{ops}/review/{what}")
        assert inside.status == 200 and json.loads(inside.body) == {"path": f"/{what}"}
    assert _get(f"http://127.0.0.1:{ops}/review/api/v1/cases").status == 404
