from peiyu.core.history import acting_as


class ActorMiddleware:
    """Attributes every change made while serving a request to the signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(request=request):
            return self.get_response(request)
