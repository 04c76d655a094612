"""Swagger UI (`/api/docs`) from files in the repository: no outside host, works offline."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint

ASSETS = Path(__file__).with_name("static") / "swagger-ui"
URL = "/api/swagger-ui/"
# Swagger UI would otherwise ask validator.swagger.io to draw a badge.
CONFIG = {"validatorUrl": None}

blueprint = Blueprint(
    "swagger_assets", __name__, static_folder=str(ASSETS), static_url_path=URL.rstrip("/")
)
