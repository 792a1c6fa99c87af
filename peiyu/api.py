"""The JSON API (django-ninja): one NinjaAPI, each app contributes a router."""

from ninja import NinjaAPI

from peiyu.core.api import SessionAuthForDocs, TokenAuth, install_error_handlers
from peiyu.core.app_declarations import api_routers
from peiyu.enterprises.api import router as enterprises_router
from peiyu.evaluation.api import router as evaluation_router

DESCRIPTION = """培育平台（科技型中小企业梯次培育）的数据接口：企业库（企业、年度指标、资质）与评价。

**认证**：在“个人菜单 › API 令牌”新建令牌，每个请求带请求头 `Authorization: Bearer <令牌>`。
令牌可设有效期；账号修改密码后，该账号的全部令牌立即失效。

**数据范围**：与页面一致——只能看到本单位及下级单位的企业（企业用户只能看到本企业），
范围外的对象一律返回 404。

**金额**单位为万元，以十进制字符串传输（精确到元，四位小数）。

**错误**：出错时返回 JSON `{"detail": "说明"}`；参数或字段不合规为 422，并在 `errors` 中逐项列出。
401 令牌无效或已过期，403 无权修改，404 不存在或不在权限范围内。
"""

api = NinjaAPI(
    title="培育平台 API",
    version="1",
    description=DESCRIPTION,
    auth=[TokenAuth(), SessionAuthForDocs()],
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("/", enterprises_router)
api.add_router("/evaluation/", evaluation_router)
for prefix, router in api_routers():  # each domain app's router, where its AppConfig says
    api.add_router(prefix, router)
