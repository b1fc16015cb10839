"""The API's documentation page (Swagger UI at ``/docs``), served wholly from Duo.

FastAPI's own page loads Swagger UI from a CDN, which Duo's Content-Security-Policy blocks,
so an operator saw a blank page. Here the script, the styles and the icon come from Duo
(the ``fastapi-offline`` package ships swagger-ui-dist's files), and the page's policy
allows its one inline script, Swagger UI's start-up, by that script's hash: nothing else
inline, nothing from another site.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, HTTPException, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"
ASSET_URL = "/docs/assets"
ASSET_TYPES = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon.png": "image/png",
}
# Duo's policy (app/main.py) with one more script source: the hash of the page's start-up.
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' {script_hash}; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)
# Swagger UI's defaults would fetch a badge from validator.swagger.io: not from Duo's pages.
SWAGGER_UI_PARAMETERS = {"validatorUrl": None}

router = APIRouter(include_in_schema=False)


def script_hash(html: bytes) -> str:
    """Return the CSP source for the page's one inline script. Raises ValueError if the
    page holds no inline script or more than one."""
    scripts = INLINE_SCRIPT.findall(html)
    if len(scripts) != 1:
        raise ValueError(f"the docs page has {len(scripts)} inline scripts, not one")
    digest = base64.b64encode(hashlib.sha256(scripts[0]).digest()).decode()
    return f"'sha256-{digest}'"


@router.get("/docs")
async def docs_page(request: Request) -> HTMLResponse:
    """Answer Swagger UI's page, its assets on Duo and its start-up allowed by hash."""
    page = get_swagger_ui_html(
        openapi_url=request.app.openapi_url,
        title=f"{request.app.title} API",
        swagger_js_url=f"{ASSET_URL}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSET_URL}/swagger-ui.css",
        swagger_favicon_url=f"{ASSET_URL}/favicon.png",
        swagger_ui_parameters={
            **(request.app.swagger_ui_parameters or {}),
            **SWAGGER_UI_PARAMETERS,
        },
    )
    html = bytes(page.body)
    policy = DOCS_POLICY.format(script_hash=script_hash(html))
    return HTMLResponse(
        html,
        headers={"Content-Security-Policy": policy, "Cache-Control": "no-cache"},
    )


@router.get(f"{ASSET_URL}/{{name}}")
async def docs_asset(name: str) -> FileResponse:
    """Answer one of Swagger UI's files. Raises HTTPException (404) for any other name."""
    if name not in ASSET_TYPES:
        raise HTTPException(status_code=404, detail="Not Found")
    return FileResponse(ASSETS / name, media_type=ASSET_TYPES[name])
