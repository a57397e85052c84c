"""HTML the pages need beyond their templates: the marked-up article text and SVG charts.

Everything is drawn on the server as plain SVG, so the pages need no script library and nothing
from the internet. Every piece of user or article text goes through :func:`html.escape`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

QUAD_COLOURS = {1: "#7fb77e", 2: "#2e7d32", 3: "#ef8a62", 4: "#b2182b"}
QUAD_LABELS = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}


# -- the article text ---------------------------------------------------------------------------

# Outer spans first when two start together: the evidence sentence holds everything, a quote
# holds names and triggers, a name holds an event's argument mark, and repairs sit innermost.
_NESTING = {"sentence": -1, "quote": 0, "entity": 1, "event": 1, "argument": 2, "repair": 3}


@dataclass
class Mark:
    start: int
    end: int
    kind: str
    tag: str
    attributes: dict[str, str] = field(default_factory=dict)

    def open_tag(self, inside_link: bool) -> str:
        tag = "span" if self.tag == "a" and inside_link else self.tag
        attributes = dict(self.attributes)
        if tag != "a":
            attributes.pop("href", None)
        rendered = "".join(f' {name}="{escape(value)}"' for name, value in attributes.items())
        return f"<{tag}{rendered}>"

    def close_tag(self, inside_link: bool) -> str:
        return "</span>" if self.tag == "a" and inside_link else f"</{self.tag}>"


def actor_url(code: str) -> str:
    return f"/actors/{quote(code, safe='')}"


def _entity_marks(article: dict[str, Any]) -> list[Mark]:
    marks = []
    for entity in article["entities"]:
        details = [entity["type"], entity.get("role"), entity.get("actor")]
        title = f"{entity['name']} · " + " · ".join(str(d) for d in details if d)
        href = actor_url(entity["actor"]) if entity.get("actor") else f"/search?q={quote(entity['name'])}"
        for start, end in entity["mentions"]:
            marks.append(
                Mark(
                    start,
                    end,
                    "entity",
                    "a",
                    {
                        "class": f"entity entity-{entity['type'].lower()}"
                        + (" has-actor" if entity.get("actor") else ""),
                        "href": href,
                        "title": title,
                        "data-entity": entity["id"],
                        **({"data-actor": entity["actor"]} if entity.get("actor") else {}),
                    },
                )
            )
    return marks


def _argument_names(arguments: list[dict[str, Any]]) -> str:
    return ", ".join(a.get("actor") or a.get("name") or "?" for a in arguments) or "—"


def _event_marks(article: dict[str, Any], chosen: str | None = None) -> list[Mark]:
    marks = []
    for event in article["events"]:
        start, end = event["trigger"]["span"]
        title = (
            f"CAMEO {event['cameo']} {event.get('cameo_name') or ''}: "
            f"{_argument_names(event['source'])} → {_argument_names(event['target'])}"
            + (" (negated)" if event.get("negated") else "")
        )
        marks.append(
            Mark(
                start,
                end,
                "event",
                "a",
                {
                    "class": f"trigger quad-{event['quad_class']}"
                    + (" negated" if event.get("negated") else "")
                    + (" chosen" if event["id"] == chosen else ""),
                    "href": f"#event-{event['id']}",
                    "title": title,
                    "data-event": event["id"],
                    "data-cameo": event["cameo"],
                },
            )
        )
    return marks


def _quote_marks(article: dict[str, Any]) -> list[Mark]:
    marks = []
    for item in article["quotes"]:
        start, end = item["span"]
        speaker = (item.get("speaker") or {}).get("name") or "unknown speaker"
        marks.append(
            Mark(
                start,
                end,
                "quote",
                "span",
                {
                    "class": f"quote quote-{item['kind']}",
                    "title": f"{item['kind']} quote · {speaker}",
                    "id": f"quote-{item['id']}",
                },
            )
        )
    return marks


def _repair_marks(article: dict[str, Any]) -> list[Mark]:
    return [
        Mark(
            repair["start"],
            repair["end"],
            "repair",
            "span",
            {"class": "repair", "title": f"{repair['kind']}: was {repair['before']!r}"},
        )
        for repair in article["repairs"]
    ]


def _evidence_marks(evidence: dict[str, Any] | None) -> list[Mark]:
    """The chosen event's sentence (scrolled to by its id) and its source and target spans."""
    if not evidence:
        return []
    sentence = evidence["sentence"]
    event = evidence["event"]
    marks = [
        Mark(
            sentence["start"],
            sentence["end"],
            "sentence",
            "mark",
            {
                "class": "evidence",
                "id": "evidence",
                "title": f"the sentence of event {event['id']} (CAMEO {event['cameo']})",
            },
        )
    ]
    for mark in evidence["marks"]:
        if mark["role"] in ("source", "target") and mark["start"] < mark["end"]:
            marks.append(
                Mark(
                    mark["start"],
                    mark["end"],
                    "argument",
                    "span",
                    {
                        "class": f"argument argument-{mark['role']}",
                        "title": f"{mark['role']}: {mark['name']}",
                    },
                )
            )
    return marks


def article_html(article: dict[str, Any], evidence: dict[str, Any] | None = None) -> Markup:
    """The cleaned text with entities, event triggers, quotes and repairs marked and linked; with
    ``evidence`` (of one event), its sentence marked too, and its trigger, source and target.

    Spans nest (a quote holds names); a span that crosses the end of the span it starts in is cut
    there, since HTML elements cannot overlap. A link inside a link is drawn as a plain span.
    """
    text: str = article["text"]
    chosen = evidence["event"]["id"] if evidence else None
    marks = [
        mark
        for mark in (
            *_evidence_marks(evidence),
            *_quote_marks(article),
            *_entity_marks(article),
            *_event_marks(article, chosen),
            *_repair_marks(article),
        )
        if 0 <= mark.start <= mark.end <= len(text)
    ]
    marks.sort(key=lambda m: (m.start, -m.end, _NESTING[m.kind]))
    out: list[str] = []
    # Each open mark with its end as drawn and whether it was drawn inside a link.
    open_marks: list[tuple[Mark, int, bool]] = []
    cursor = 0

    def close_until(position: int) -> None:
        nonlocal cursor
        while open_marks and open_marks[-1][1] <= position:
            mark, end, inside_link = open_marks.pop()
            out.append(escape(text[cursor:end]))
            cursor = end
            out.append(mark.close_tag(inside_link))

    for mark in marks:
        close_until(mark.start)
        end = min(mark.end, open_marks[-1][1]) if open_marks else mark.end
        if end <= mark.start < mark.end:
            continue
        out.append(escape(text[cursor : mark.start]))
        cursor = mark.start
        inside_link = any(m.tag == "a" and not inside for m, _, inside in open_marks)
        out.append(mark.open_tag(inside_link))
        open_marks.append((mark, end, inside_link))
        if end == mark.start:
            close_until(end)
    close_until(len(text))
    out.append(escape(text[cursor:]))
    return Markup("".join(out))


# -- charts -------------------------------------------------------------------------------------


@dataclass
class BarSeries:
    label: str
    colour: str
    values: list[float]


@dataclass
class Chart:
    periods: list[str]
    up: list[BarSeries]
    down: list[BarSeries]
    line: list[float | None] | None = None
    line_label: str = "Goldstein mean"
    up_label: str = ""
    down_label: str = ""
    title: str = ""


def _label_every(count: int, room: int = 12) -> int:
    return max(1, math.ceil(count / room))


def bar_chart_svg(chart: Chart, width: int = 860, height: int = 340) -> Markup:
    """Stacked bars up (e.g. cooperation) and down (conflict) from a zero line, per period,
    with an optional line on a fixed -10..10 scale (the Goldstein scale) read on the right."""
    left, right, top, bottom = 48, 56, 36, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    middle = top + plot_h / 2
    count = max(len(chart.periods), 1)
    totals = [
        max(sum(s.values[i] for s in chart.up), sum(s.values[i] for s in chart.down))
        for i in range(len(chart.periods))
    ]
    peak = max([*totals, 1.0])
    step = plot_w / count
    bar = max(min(step * 0.7, 48), 2)
    scale = (plot_h / 2) / peak
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(chart.title)}">',
        f"<title>{escape(chart.title)}</title>",
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" class="plot-bg"/>',
    ]
    # Left axis: counts up and down from zero.
    for fraction in (1.0, 0.5):
        value = peak * fraction
        for sign in (-1, 1):
            y = middle - sign * value * scale
            parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
            parts.append(
                f'<text x="{left - 6}" y="{y + 4:.1f}" class="tick" text-anchor="end">{value:g}</text>'
            )
    parts.append(f'<text x="{left - 6}" y="{middle + 4:.1f}" class="tick" text-anchor="end">0</text>')
    if chart.up_label:
        parts.append(
            f'<text x="{left + 4}" y="{top + 14}" class="axis-label">▲ {escape(chart.up_label)}</text>'
        )
    if chart.down_label:
        parts.append(
            f'<text x="{left + 4}" y="{top + plot_h - 6}" class="axis-label">'
            f"▼ {escape(chart.down_label)}</text>"
        )
    # One label per 90 pixels at most: a date label is about 80 wide.
    every = _label_every(count, max(int(plot_w // 90), 1))
    for i, period in enumerate(chart.periods):
        x = left + step * i + (step - bar) / 2
        y = middle
        for series in chart.up:
            h = series.values[i] * scale
            if h > 0:
                y -= h
                parts.append(
                    _bar(x, y, bar, h, series.colour, f"{period}: {series.label} {series.values[i]:g}")
                )
        y = middle
        for series in chart.down:
            h = series.values[i] * scale
            if h > 0:
                parts.append(
                    _bar(x, y, bar, h, series.colour, f"{period}: {series.label} {series.values[i]:g}")
                )
                y += h
        if i % every == 0:
            parts.append(
                f'<text x="{left + step * i + step / 2:.1f}" y="{top + plot_h + 16}" class="tick" '
                f'text-anchor="middle">{escape(period)}</text>'
            )
    parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{middle}" y2="{middle}" class="zero"/>')
    if chart.line is not None:
        parts.extend(_goldstein_line(chart, left, top, plot_w, plot_h, step))
    parts.extend(_legend(chart, left, height - 14))
    parts.append("</svg>")
    return Markup("".join(parts))


def _bar(x: float, y: float, width: float, height: float, colour: str, tip: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{colour}">'
        f"<title>{escape(tip)}</title></rect>"
    )


def _goldstein_line(
    chart: Chart, left: float, top: float, plot_w: float, plot_h: float, step: float
) -> list[str]:
    def y_of(value: float) -> float:
        return top + plot_h / 2 - max(-10.0, min(10.0, value)) / 10 * (plot_h / 2)

    parts = []
    for value in (10, 5, -5, -10):
        parts.append(
            f'<text x="{left + plot_w + 6}" y="{y_of(value) + 4:.1f}" class="tick line-tick">'
            f"{value:+d}</text>"
        )
    points = [
        (left + step * i + step / 2, y_of(value))
        for i, value in enumerate(chart.line or [])
        if value is not None
    ]
    # The line joins neighbouring periods only: across an empty period there is no mean to draw.
    run: list[tuple[float, float]] = []
    for i, mean in enumerate([*(chart.line or []), None]):
        if mean is not None:
            run.append((left + step * i + step / 2, y_of(mean)))
            continue
        if len(run) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            parts.append(f'<polyline points="{path}" class="line"/>')
        run = []
    for (x, y), mean in zip(points, [v for v in chart.line or [] if v is not None], strict=True):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" class="line-point"><title>{escape(chart.line_label)} '
            f"{mean:+.2f}</title></circle>"
        )
    return parts


def _legend(chart: Chart, left: float, y: float) -> list[str]:
    parts = []
    x = left
    for series in [*chart.up, *chart.down]:
        parts.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{series.colour}"/>')
        parts.append(f'<text x="{x + 14}" y="{y}" class="legend">{escape(series.label)}</text>')
        x += 24 + 7 * len(series.label)
    if chart.line is not None:
        parts.append(f'<line x1="{x}" x2="{x + 16}" y1="{y - 4}" y2="{y - 4}" class="line"/>')
        parts.append(
            f'<text x="{x + 20}" y="{y}" class="legend">{escape(chart.line_label)} (right scale)</text>'
        )
    return parts


def dyad_chart(data: dict[str, Any]) -> Markup:
    series = data["series"]
    periods = [row["period"] for row in series]
    return bar_chart_svg(
        Chart(
            periods=periods,
            up=[BarSeries(QUAD_LABELS[q], QUAD_COLOURS[q], [row[f"q{q}"] for row in series]) for q in (2, 1)],
            down=[
                BarSeries(QUAD_LABELS[q], QUAD_COLOURS[q], [row[f"q{q}"] for row in series]) for q in (3, 4)
            ],
            line=[row["goldstein_mean"] for row in series],
            up_label="cooperation (events)",
            down_label="conflict (events)",
            title=f"{data['a']} and {data['b']}: cooperation against conflict by {data['interval']}",
        )
    )


def series_chart(data: dict[str, Any]) -> Markup:
    """Events over time for any filter: cooperation above the line, conflict below, by QuadClass."""
    series = data["series"]
    return bar_chart_svg(
        Chart(
            periods=[row["period"] for row in series],
            up=[BarSeries(QUAD_LABELS[q], QUAD_COLOURS[q], [row[f"q{q}"] for row in series]) for q in (2, 1)],
            down=[
                BarSeries(QUAD_LABELS[q], QUAD_COLOURS[q], [row[f"q{q}"] for row in series]) for q in (3, 4)
            ],
            line=[row["goldstein_mean"] for row in series],
            up_label="cooperation (events)",
            down_label="conflict (events)",
            title=f"events by {data['interval']}: cooperation against conflict",
        )
    )


def sentence_html(evidence: dict[str, Any]) -> Markup:
    """An event's sentence alone, with its trigger, source and target marked (as `dateline
    explain` marks them: [TRIGGER], <SRC>, <TGT>, here as coloured, labelled spans)."""
    sentence = evidence["sentence"]
    left, right = sentence["start"], sentence["end"]
    text = sentence["text"]
    spans = sorted(
        (mark for mark in evidence["marks"] if left <= mark["start"] < mark["end"] <= right),
        key=lambda mark: (mark["start"], -mark["end"]),
    )
    out: list[str] = []
    cursor = 0
    for mark in spans:
        start, end = mark["start"] - left, mark["end"] - left
        if start < cursor:
            continue  # overlaps the mark before it
        out.append(escape(text[cursor:start]))
        label = {"trigger": "trigger", "source": "source", "target": "target"}[mark["role"]]
        out.append(
            f'<span class="sentence-mark mark-{label}" title="{label}">{escape(text[start:end])}'
            f'<sub class="mark-label">{label}</sub></span>'
        )
        cursor = end
    out.append(escape(text[cursor:]))
    return Markup("".join(out))


def actor_chart(profile: dict[str, Any]) -> Markup:
    series = profile["series"]
    return bar_chart_svg(
        Chart(
            periods=[row["period"] for row in series],
            up=[BarSeries("as source", "#3f6fb5", [row["as_source"] for row in series])],
            down=[BarSeries("as target", "#c9822b", [row["as_target"] for row in series])],
            line=[row["goldstein_mean"] for row in series],
            up_label="events as source",
            down_label="events as target",
            title=f"{profile['code']}: events as source and as target by {profile['interval']}",
        )
    )


# -- the map ------------------------------------------------------------------------------------

MAP_WIDTH, MAP_HEIGHT = 960, 480


def project(lon: float, lat: float) -> tuple[float, float]:
    """Plain equirectangular, the projection the shipped outline is drawn in."""
    return (lon + 180) * MAP_WIDTH / 360, (90 - lat) * MAP_HEIGHT / 180


def _goldstein_colour(value: float | None) -> str:
    if value is None:
        return "#666666"
    if value >= 0:
        return QUAD_COLOURS[2] if value >= 3 else QUAD_COLOURS[1]
    return QUAD_COLOURS[4] if value <= -5 else QUAD_COLOURS[3]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _date_range(first: str | None, last: str | None) -> str:
    if not first and not last:
        return ""
    if first == last or not last:
        return f", {first}"
    return f", {first or '?'} – {last}"


def map_svg(points: list[dict[str, Any]], outline_url: str = "/static/world-110m.svg") -> Markup:
    parts = [
        f'<svg class="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {MAP_WIDTH} {MAP_HEIGHT}" '
        f'width="{MAP_WIDTH}" height="{MAP_HEIGHT}" role="img" aria-label="event places">',
        f'<rect width="{MAP_WIDTH}" height="{MAP_HEIGHT}" class="sea"/>',
        f'<image href="{escape(outline_url)}" x="0" y="0" width="{MAP_WIDTH}" height="{MAP_HEIGHT}"/>',
    ]
    for lon in range(-180, 181, 30):
        x, _ = project(lon, 0)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{MAP_HEIGHT}" class="graticule"/>')
    for lat in range(-60, 61, 30):
        _, y = project(0, lat)
        parts.append(f'<line x1="0" x2="{MAP_WIDTH}" y1="{y:.1f}" y2="{y:.1f}" class="graticule"/>')
    peak = max([p["events"] for p in points] or [1])
    for point in sorted(points, key=lambda p: -p["events"]):
        x, y = project(point["lon"], point["lat"])
        radius = 3 + 12 * math.sqrt(point["events"] / peak)
        name = point.get("name") or f"{point['lat']}, {point['lon']}"
        title = (
            f"{name}{', ' + point['country'] if point.get('country') else ''}: "
            f"{_count(point['events'], 'event')} "
            f"({point['cooperation']} cooperation, {point['conflict']} conflict)"
            + (
                f", Goldstein mean {point['goldstein_mean']:+.2f}"
                if point["goldstein_mean"] is not None
                else ""
            )
            + _date_range(point.get("first"), point.get("last"))
        )
        href = f"/events?place={quote(point['name'])}" if point.get("name") else "/events"
        parts.append(
            f'<a href="{escape(href)}" class="place"><circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" '
            f'fill="{_goldstein_colour(point["goldstein_mean"])}"><title>{escape(title)}</title></circle></a>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
