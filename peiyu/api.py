"""The JSON API (django-ninja): one NinjaAPI, each app contributes a router."""

from ninja import NinjaAPI

from peiyu.core.api import SessionAuthForDocs, TokenAuth
from peiyu.enterprises.api import router as enterprises_router
from peiyu.evaluation.api import router as evaluation_router

api = NinjaAPI(
    title="Peiyu API",
    version="1",
    description="培育平台接口 · enterprise library. Authenticate with `Authorization: Bearer <token>`.",
    auth=[TokenAuth(), SessionAuthForDocs()],
    urls_namespace="api",
)
api.add_router("/", enterprises_router)
api.add_router("/evaluation/", evaluation_router)
