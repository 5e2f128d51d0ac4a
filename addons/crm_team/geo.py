"""Distances on the earth's surface, for check-in positions (haversine)."""

from __future__ import annotations

import math

EARTH_RADIUS_M = 6_371_000


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> int:
    """Great-circle distance in whole metres between two WGS-84 positions."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return round(2 * EARTH_RADIUS_M * math.asin(math.sqrt(a)))


def valid_position(latitude: float | None, longitude: float | None) -> bool:
    """Whether a latitude and longitude are both given and on the globe."""
    return (latitude is not None and longitude is not None
            and -90 <= latitude <= 90 and -180 <= longitude <= 180)
