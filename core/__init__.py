"""Kehu kernel: ORM, addons, access, workflow and the generated UI."""

from __future__ import annotations

__version__ = "0.1.0"
