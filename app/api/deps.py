"""Dependency aliases: the long-lived objects of the app, as the lifespan made them."""

from typing import Annotated

from fastapi import Depends, Header, Request

from app.core.clock import Clock
from app.core.config import Settings
from app.services.sessions import SessionService


def get_service(request: Request) -> SessionService:
    return request.app.state.service  # type: ignore[no-any-return]


def get_clock(request: Request) -> Clock:
    return request.app.state.clock  # type: ignore[no-any-return]


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def require_host(
    code: str, request: Request, authorization: Annotated[str | None, Header()] = None
) -> str:
    """Check the host's token before the body is read, so a stranger learns nothing more."""
    get_service(request).authorize_host(code, authorization)
    return authorization or ""


ServiceDep = Annotated[SessionService, Depends(get_service)]
ClockDep = Annotated[Clock, Depends(get_clock)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
AuthorizationDep = Annotated[str | None, Header(include_in_schema=False)]
HostAuthorizationDep = Annotated[str, Depends(require_host)]
