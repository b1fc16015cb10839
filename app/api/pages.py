"""The pages, served from ``web/`` (the contract's three and the presenter's screen), and the
static files, both through ``Assets``: versioned, compressed and cached (app/api/assets.py)."""

from pathlib import Path

from fastapi import APIRouter, Request, Response

from app.api.assets import Assets

WEB = Path(__file__).resolve().parents[1] / "web"  # the repository's web/, shipped inside
PAGES = ("index.html", "participant.html", "host.html", "present.html")

router = APIRouter(include_in_schema=False)


def assets_of(request: Request) -> Assets:
    """Return the files the app read at start-up."""
    assets: Assets = request.app.state.assets
    return assets


@router.get("/")
async def home_page(request: Request) -> Response:
    return assets_of(request).page(request, "index.html")


@router.get("/s/{code}")
async def participant_page(request: Request, code: str) -> Response:
    return assets_of(request).page(request, "participant.html")


@router.get("/host/{code}")
async def host_page(request: Request, code: str) -> Response:
    return assets_of(request).page(request, "host.html")


@router.get("/present/{code}")
async def presenter_page(request: Request, code: str) -> Response:
    return assets_of(request).page(request, "present.html")


@router.api_route("/static/{path:path}", methods=["GET", "HEAD"])
async def static_file(request: Request, path: str) -> Response:
    return assets_of(request).static(request, path)
