"""The pages, served from ``web/``: the contract's three and the presenter's screen."""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

WEB = Path(__file__).resolve().parents[2] / "web"

router = APIRouter(include_in_schema=False)


def _page(name: str) -> FileResponse:
    return FileResponse(WEB / name, media_type="text/html", headers={"Cache-Control": "no-cache"})


@router.get("/")
async def home_page() -> FileResponse:
    return _page("index.html")


@router.get("/s/{code}")
async def participant_page(code: str) -> FileResponse:
    return _page("participant.html")


@router.get("/host/{code}")
async def host_page(code: str) -> FileResponse:
    return _page("host.html")


@router.get("/present/{code}")
async def presenter_page(code: str) -> FileResponse:
    return _page("present.html")
