"""The public verification page (HTML, Vietnamese) of a certificate."""

from __future__ import annotations

from dataclasses import asdict

from jinja2 import Environment

from services.reporting.domain.certificate import Certificate

_ENV = Environment(autoescape=True)
PAGE = _ENV.from_string("""<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kiểm tra giấy công nhận</title>
<style>body{font-family:sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem}
.valid{color:#0a6b2d}.annulled{color:#b00020}td{padding:.2rem .6rem;vertical-align:top}
code{word-break:break-all}</style></head><body>
<h1>Kiểm tra giấy công nhận</h1>
{% if c %}
<p class="{{ c.status }}"><strong>{% if c.status == 'valid' %}Còn hiệu lực{% else %}
Đã bị hủy ngày {{ c.annulled_on }}{% if c.annul_reason %}: {{ c.annul_reason }}{% endif %}
{% endif %}</strong></p>
<table>
<tr><td>Đơn vị</td><td>{{ c.unit_name }} ({{ c.unit_id }})</td></tr>
<tr><td>Năm</td><td>{{ c.year }}</td></tr>
<tr><td>Quyết định</td><td>Số {{ c.decision_number }} ngày {{ c.decided_on }}</td></tr>
<tr><td>Cơ quan công nhận</td><td>{{ c.authority }}</td></tr>
<tr><td>Trạng thái</td><td>{{ c.status }}</td></tr>
<tr><td>Mã băm sự kiện quyết định</td><td><code>{{ c.hash }}</code></td></tr>
<tr><td>Vị trí trong luồng</td><td><code>{{ c.stream_id }}</code> phiên bản
{{ c.stream_version }}</td></tr>
</table>
<p>Đối chiếu mã băm với nhật ký kiểm tra (GET /api/v1/audit/verify).</p>
{% else %}
<p class="annulled"><strong>Không tìm thấy</strong> giấy công nhận với mã này.</p>
{% endif %}
</body></html>
""")


def html(c: Certificate | None) -> str:
    return PAGE.render(c=c)


def as_json(c: Certificate) -> dict:
    """The page's facts as JSON (the contract's verification answer)."""
    out = asdict(c)
    out["decision"] = {
        "number": c.decision_number,
        "decided_on": c.decided_on,
        "authority": c.authority,
    }
    out["stream_position"] = {"stream_id": c.stream_id, "stream_version": c.stream_version}
    if c.status == "annulled":
        out["annulment"] = {
            "annulled_on": c.annulled_on,
            "reason": c.annul_reason,
            "decision_number": c.annul_decision_number,
        }
    return out


def certificate_json(c: Certificate) -> dict:
    """GET /certificates' JSON form, exactly the contract's keys."""
    keys = ("unit_id", "year", "code", "verify_url", "status", "decision_number", "decided_on")
    return {k: getattr(c, k) for k in keys}
