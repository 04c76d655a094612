"""Renders a notification's Vietnamese subject, plain text and HTML from its Jinja2 template."""

from __future__ import annotations

from datetime import date

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from services.notification.domain.notification import Draft

RECOMMENDATIONS = {"achieved": "đạt chuẩn", "not_achieved": "chưa đạt chuẩn"}
DECISIONS = {"recognized": "công nhận", "not_recognized": "không công nhận"}


def dmy(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _environment(autoescape: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("services.notification", "templates"),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["dmy"] = dmy
    env.globals.update(RECOMMENDATIONS=RECOMMENDATIONS, DECISIONS=DECISIONS)
    return env


class Renderer:
    """One file per template with blocks `subject`, `text` and `html`; HTML is autoescaped."""

    def __init__(self, public_url: str):
        self.public_url = public_url.rstrip("/")
        self.text_env, self.html_env = _environment(False), _environment(True)

    def render(self, draft: Draft) -> tuple[str, str, str]:
        context = {
            "year": draft.year,
            "unit_id": draft.unit_id,
            "unit_name": draft.facts.get("unit_name", draft.unit_id),
            "recipient_name": draft.recipient_name,
            "case_url": f"{self.public_url}/cases/{draft.unit_id}/{draft.year}",
            "calendar": None,
            **draft.facts,
        }
        name = f"{draft.template}.j2"
        subject = " ".join(_block(self.text_env, name, "subject", context).split())
        text = _block(self.text_env, name, "text", context).strip() + "\n"
        content = Markup(_block(self.html_env, name, "html", context).strip())
        layout = self.html_env.get_template("_layout.html.j2")
        html = layout.render(content=content, subject=subject, **context)
        return subject, text, html


def _block(env: Environment, name: str, block: str, context: dict) -> str:
    template = env.get_template(name)
    return "".join(template.blocks[block](template.new_context(context)))
