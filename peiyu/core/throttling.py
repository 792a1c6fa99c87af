"""Login throttling.

Two counters: attempts for one account from one address (LOGIN_FAILURE_LIMIT, so one person's
typos lock only themselves), and attempts for one account from addresses it has never signed in
from (LOGIN_ACCOUNT_FAILURE_LIMIT, higher, so guessing spread over many addresses stops too, while
the account's owner, at an address they signed in from before, is not locked out by strangers).
Either locks sign-in, even with the right password, for LOGIN_LOCKOUT_SECONDS.

An attempt is counted *before* its password is checked, with an atomic increment, so thirty
parallel guesses get thirty different counts and only the first few are checked at all. Redis and
the local-memory cache increment atomically; the file cache cannot, so its increments are made
under an exclusive file lock. An administrator unlocks an account by starting a new epoch of its
counters. Behind a proxy, set PEIYU_CLIENT_IP_HEADER so addresses are the clients', not the proxy's.
"""

import contextlib
import fcntl
import hashlib
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache

# How long an address stays trusted for an account after a successful sign-in.
KNOWN_ADDRESS_SECONDS = 90 * 24 * 3600


def _digest(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _name(username: str) -> str:
    return username.strip().lower()


def _epoch(name: str) -> str:
    return cache.get(f"login-epoch:{_digest(name)}") or "0"


def _keys(username: str, address: str) -> tuple[str, str]:
    name = _name(username)
    epoch = _epoch(name)
    return f"login-attempts:{epoch}:{_digest(name, address)}", f"login-attempts-account:{epoch}:{_digest(name)}"


@contextlib.contextmanager
def _exclusive():
    """Serialise read-modify-write on the file cache across threads and processes."""
    backend = caches["default"]
    if not isinstance(backend, FileBasedCache):
        yield
        return
    lock = Path(backend._dir) / "login-counters.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def increment(key: str, timeout: int) -> int:
    """Add one to a counter that lives `timeout` seconds from its first count; return the new count."""
    if isinstance(caches["default"], FileBasedCache):
        with _exclusive():
            count = (cache.get(key) or 0) + 1
            cache.set(key, count, timeout)
            return count
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 0, timeout)
        return cache.incr(key)


def _known_key(name: str, address: str) -> str:
    return f"login-known:{_digest(name, address)}"


def _locked_key(name: str) -> str:
    return f"login-locked:{_digest(name)}"


def begin_attempt(username: str, address: str) -> bool:
    """Count a sign-in attempt; False when this account is locked for this address."""
    name = _name(username)
    pair, account = _keys(username, address)
    allowed = increment(pair, settings.LOGIN_LOCKOUT_SECONDS) <= settings.LOGIN_FAILURE_LIMIT
    if allowed and not cache.get(_known_key(name, address)):
        allowed = increment(account, settings.LOGIN_LOCKOUT_SECONDS) <= settings.LOGIN_ACCOUNT_FAILURE_LIMIT
    if not allowed:
        cache.set(_locked_key(name), True, settings.LOGIN_LOCKOUT_SECONDS)
    return allowed


def succeeded(username: str, address: str) -> None:
    """A correct password: forget this address's attempts and trust it for this account."""
    name = _name(username)
    pair, account = _keys(username, address)
    cache.delete_many([pair, account])
    cache.set(_known_key(name, address), True, KNOWN_ADDRESS_SECONDS)


def is_locked(username: str) -> bool:
    """Whether a lock-out of this account (from any address) is in force, for administrators."""
    return bool(cache.get(_locked_key(_name(username))))


def locked_usernames(usernames) -> set[str]:
    keys = {_locked_key(_name(u)): u for u in usernames}
    return {keys[k] for k in cache.get_many(list(keys))}


def unlock(username: str) -> None:
    """Start a new epoch of this account's counters: every lock-out of it ends now."""
    name = _name(username)
    cache.set(f"login-epoch:{_digest(name)}", uuid.uuid4().hex, None)
    cache.delete(_locked_key(name))


def client_address(request) -> str:
    header = settings.PEIYU_CLIENT_IP_HEADER
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")
