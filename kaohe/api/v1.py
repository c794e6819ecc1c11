"""Version 1 of the API, mounted at ``/api/v1/``. Every endpoint asks the same policies and
calls the same actions as the pages do; none writes a model itself."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from kaohe.org.policy import Access, access_for

from . import errors, openapi
from .appraisals import router as appraisals
from .audit import router as audit
from .auth import callers
from .calibration import router as calibration
from .cycles import router as cycles
from .data import router as data
from .development import router as development
from .goals import router as goals
from .hr_dashboard import router as hr_dashboard
from .incidents import router as incidents
from .insights_advice import router as insights_advice
from .insights_attrition import router as insights_attrition
from .insights_sentiment import router as insights_sentiment
from .insights_whatif import router as insights_whatif
from .pay import router as pay
from .people import employee_out
from .people import router as people
from .points import router as points
from .push import router as push
from .recognition import router as recognition
from .reports import router as reports
from .reviews import router as reviews
from .schemas import MeOut, RoleOut
from .schemes import router as schemes
from .tasks import router as tasks


class KaoheAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        made = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        openapi.complete(made)
        return made


api = KaoheAPI(
    title="kaohe API",
    version="1",
    description="Appraisals, their results and the data behind them. Authenticate with a "
    "personal access token (Authorization: Bearer …) or the browser's session.",
    urls_namespace="api-v1",
    auth=callers(),
    docs_url="/docs",
    docs_decorator=login_required,  # the interactive documentation is for people signed in
    openapi_url="/openapi.json",
)
errors.install(api)


def roles_of(access: Access) -> list[RoleOut]:
    return [
        RoleOut(role=role, departments=None if paths is None else sorted(paths))
        for role, paths in access.roles()
    ]


@api.get("/me", response=MeOut, summary="The caller: account, employee record and roles")
def me(request: HttpRequest) -> Any:
    access = access_for(request)
    token = getattr(request, "api_token", None)
    return MeOut(
        username=access.user.username,
        name=access.employee.name if access.employee else access.user.get_username(),
        employee=employee_out(access.employee) if access.employee else None,
        roles=roles_of(access),
        token=token.name if token else None,
    )


api.add_router("/", people)
api.add_router("/", schemes)
api.add_router("/", cycles)
api.add_router("/", appraisals)
api.add_router("/", data)
api.add_router("/", push)
api.add_router("/", calibration)
api.add_router("/", pay)
api.add_router("/", development)
api.add_router("/", incidents)
api.add_router("/", goals)
api.add_router("/", reviews)
api.add_router("/", reports)
api.add_router("/", hr_dashboard)
api.add_router("/", points)
api.add_router("/", recognition)
api.add_router("/", audit)
api.add_router("/", tasks)
api.add_router("/", insights_attrition)
api.add_router("/", insights_advice)
api.add_router("/", insights_whatif)
api.add_router("/", insights_sentiment)
