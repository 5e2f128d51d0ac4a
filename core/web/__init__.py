"""The web layer: Starlette routes, Jinja2 pages, the JSON API."""
