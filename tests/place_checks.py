"""What the geoparsing tests ask of a processed text: its places by name, and how far they lie."""

from __future__ import annotations

import dateline
from dateline.actors.places import distance_km
from dateline.record import Place


def places_of(text: str, published: str = "2026-11-20") -> dict[str, Place]:
    record = dateline.process(text, published)
    return {entity.name: entity.place for entity in record.entities if entity.place is not None}


def km_from(place: Place, lat: float, lon: float) -> float:
    assert place.lat is not None and place.lon is not None
    return distance_km(place.lat, place.lon, lat, lon)
