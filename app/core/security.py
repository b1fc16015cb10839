"""Session codes, tokens and their hashes."""

import hashlib
import hmac
import secrets
import string

# No 0/O, 1/I/L: a code a person can read aloud and type.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
ID_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-_")


def new_code() -> str:
    """Return a fresh random session code."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str | None:
    """Return ``raw`` as a canonical code, or None when it cannot be one."""
    code = raw.strip().upper()
    if not 6 <= len(code) <= 10 or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def new_token() -> str:
    """Return a fresh secret token (256 bits)."""
    return secrets.token_urlsafe(32)


def new_id(prefix: str) -> str:
    """Return a fresh opaque id such as ``p_3kd93ks0``."""
    return f"{prefix}_{secrets.token_urlsafe(9)}"


def plausible_id(value: str) -> bool:
    """Return whether ``value`` can be an id ``new_id`` made; nothing else goes to the database
    (PostgreSQL refuses a NUL in a string with an error)."""
    return 0 < len(value) <= 24 and all(ch in ID_CHARACTERS for ch in value)


def hash_token(token: str) -> str:
    """Return the hash under which a token is stored."""
    # surrogatepass: a lone surrogate (valid in JSON, not in UTF-8) must not crash the lookup.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def token_matches(token: str, stored_hash: str | None) -> bool:
    """Return whether ``token`` hashes to ``stored_hash``, in constant time."""
    if not stored_hash:
        return False
    return hmac.compare_digest(hash_token(token), stored_hash)
