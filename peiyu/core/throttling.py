"""Login throttling.

Two counters: failures for one account from one address (LOGIN_FAILURE_LIMIT, so one person's typos
lock only themselves), and failures for one account from anywhere (LOGIN_ACCOUNT_FAILURE_LIMIT,
higher, so guessing spread over many addresses stops too). Either locks sign-in, even with the right
password, for LOGIN_LOCKOUT_SECONDS. Behind a proxy, set PEIYU_CLIENT_IP_HEADER so addresses are the
clients', not the proxy's.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, address: str) -> tuple[str, str]:
    name = username.strip().lower()
    pair = hashlib.sha256(f"{name}|{address}".encode()).hexdigest()
    account = hashlib.sha256(name.encode()).hexdigest()
    return f"login-failures:{pair}", f"login-failures-account:{account}"


def is_locked(username: str, address: str) -> bool:
    pair, account = _keys(username, address)
    return cache.get(pair, 0) >= settings.LOGIN_FAILURE_LIMIT or cache.get(account, 0) >= settings.LOGIN_ACCOUNT_FAILURE_LIMIT


def _increment(key: str) -> int:
    cache.add(key, 0, settings.LOGIN_LOCKOUT_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)
        return 1


def record_failure(username: str, address: str) -> None:
    for key in _keys(username, address):
        _increment(key)


def clear(username: str, address: str) -> None:
    cache.delete_many(list(_keys(username, address)))


def client_address(request) -> str:
    header = settings.PEIYU_CLIENT_IP_HEADER
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")
