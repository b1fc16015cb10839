"""Errors the service layer raises; the API turns each into its HTTP status and ``detail``."""


class ServiceError(Exception):
    """A request that cannot be carried out, with the status and detail the contract names."""

    status_code = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(ServiceError):
    status_code = 404


class Unauthorized(ServiceError):
    status_code = 401


class Forbidden(ServiceError):
    status_code = 403


class Conflict(ServiceError):
    status_code = 409


SESSION_NOT_FOUND = "Session not found (unknown code or expired)."


class SessionExpired(NotFound):
    """A session idle past its lifetime: not found, and to be deleted (``Expiry``)."""

    def __init__(self, code: str) -> None:
        super().__init__(SESSION_NOT_FOUND)
        self.code = code


class TooManyRequests(ServiceError):
    status_code = 429

    def __init__(self, detail: str, retry_after: float) -> None:
        super().__init__(detail)
        self.retry_after = max(1, int(retry_after + 0.999))


class Locked(ServiceError):
    """The host has locked the session: nobody new may join."""

    status_code = 423
