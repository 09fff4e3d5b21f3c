"""/openapi.json is a valid OpenAPI 3.1 document that describes every route served."""

from __future__ import annotations

from typing import Any

from openapi_spec_validator import validate

from service.app import create_app
from service.settings import Settings


async def test_openapi_is_valid_and_complete(client: Any, settings: Settings) -> None:
    response = await client.get("/openapi.json")
    assert response.status == 200
    spec = await response.json()
    validate(spec)
    described = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    served = set()
    for route in create_app(settings).router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter")
        if route.method != "HEAD" and path:
            served.add((path, route.method))
    assert served <= described, served - described
    assert "GraduationDecision" in spec["components"]["schemas"]
    assert "GraduateIn" in spec["components"]["schemas"]  # nested models are lifted
    # Every answer but a 304 or a 303 (a redirect) says what it is: a JSON answer by its
    # model's schema.
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            for status, response in op["responses"].items():
                if status not in ("303", "304"):
                    assert response.get("content"), (path, method, status)
                json = response.get("content", {}).get("application/json")
                if json is not None:
                    assert set(json["schema"]) == {"$ref"}, (path, method, status)
