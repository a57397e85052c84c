"""Write the web map's world outline (package data) from the npm package ``world-atlas``.

world-atlas redistributes Natural Earth's 1:110m country shapes (public domain) as TopoJSON. This
script turns them into one SVG in the plain equirectangular projection the map page draws its
points in (x = lon + 180, y = 90 - lat, scaled to 960 x 480), so the server needs no geo library
and nothing is fetched at run time. Run it again only to change the outline:

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python docs/make_world_outline.py package/countries-110m.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

WIDTH, HEIGHT = 960, 480
OUTPUT = Path(__file__).resolve().parents[1] / "src" / "dateline" / "web" / "static" / "world-110m.svg"


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs (quantised, delta-encoded) as lists of (lon, lat)."""
    (scale_x, scale_y), (shift_x, shift_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def project(lon: float, lat: float) -> tuple[float, float]:
    return (lon + 180) * WIDTH / 360, (90 - lat) * HEIGHT / 180


def unwrap(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A ring with continuous longitudes (no jump at the antimeridian); a ring around a pole is
    closed along that pole's edge of the map."""
    unwrapped = [points[0]]
    for lon, lat in points[1:]:
        previous = unwrapped[-1][0]
        while lon - previous > 180:
            lon -= 360
        while lon - previous < -180:
            lon += 360
        unwrapped.append((lon, lat))
    turn = unwrapped[-1][0] - unwrapped[0][0]
    if abs(turn) > 180:
        pole = -90.0 if sum(lat for _, lat in points) < 0 else 90.0
        unwrapped += [(unwrapped[-1][0], pole), (unwrapped[0][0], pole)]
    return unwrapped


def ring_paths(points: list[tuple[float, float]]) -> str:
    """The ring, and copies shifted by a full turn where it runs past ±180 (the SVG clips them)."""
    ring = unwrap(points)
    lons = [lon for lon, _ in ring]
    shifts = [0.0] + ([-360.0] if max(lons) > 180 else []) + ([360.0] if min(lons) < -180 else [])
    return "".join(ring_path([(lon + shift, lat) for lon, lat in ring]) for shift in shifts)


def ring_path(points: list[tuple[float, float]]) -> str:
    projected = [project(lon, lat) for lon, lat in points]
    steps = [f"{x:.1f},{y:.1f}" for x, y in projected]
    # Drop repeats that rounding made, to keep the file small.
    kept = [step for i, step in enumerate(steps) if i == 0 or step != steps[i - 1]]
    return "M" + "L".join(kept) + "Z"


def country_paths(topology: dict[str, Any]) -> list[tuple[str, str]]:
    arcs = decode_arcs(topology)
    paths = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = {"Polygon": [geometry.get("arcs", [])], "MultiPolygon": geometry.get("arcs", [])}.get(
            geometry.get("type"), []
        )
        d = "".join(ring_paths(ring_points(ring, arcs)) for polygon in polygons for ring in polygon)
        if d:
            paths.append((geometry.get("properties", {}).get("name", ""), d))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("topojson", type=Path, help="countries-110m.json from the world-atlas package")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    topology = json.loads(args.topojson.read_text(encoding="utf-8"))
    body = "\n".join(
        f'<path d="{d}"><title>{name.replace("&", "&amp;").replace("<", "&lt;")}</title></path>'
        for name, d in country_paths(topology)
    )
    args.output.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}">\n<!-- Natural Earth 1:110m countries (public domain), via the world-atlas '
        "npm package 2.0.2 (ISC, Mike Bostock); equirectangular. Made by docs/make_world_outline.py -->\n"
        '<g fill="#dfe6d8" stroke="#9aa791" stroke-width="0.4" stroke-linejoin="round">\n'
        f"{body}\n</g>\n</svg>\n",
        encoding="utf-8",
    )
    print(f"{args.output}: {len(body) // 1024} KiB of paths")


if __name__ == "__main__":
    main()
