"""One log line per request on the `peiyu.request` logger (a JSON object per line when
PEIYU_LOG_FORMAT=json): method, path, status, duration and user, for a log collector."""

import logging
import time

log = logging.getLogger("peiyu.request")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not log.isEnabledFor(logging.INFO):
            return self.get_response(request)
        began = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        log.info("request", extra={
            "method": request.method, "path": request.path, "status": response.status_code,
            "ms": round((time.perf_counter() - began) * 1000, 1),
            "user": user.pk if user is not None and user.is_authenticated else None,
        })
        return response
