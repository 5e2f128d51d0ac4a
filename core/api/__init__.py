"""The generated REST API under /api/v1 (issue #5): records, OpenAPI, JSON errors.

`api_routes(kernel)` gives the routes to mount; `error_payload` / `error_response`
turn any exception into the API's error shape.
"""

from __future__ import annotations

from core.api.endpoints import Api, api_routes
from core.api.errors import error_payload, error_response
from core.api.ratelimit import RateLimiter

__all__ = ["Api", "RateLimiter", "api_routes", "error_payload", "error_response"]
