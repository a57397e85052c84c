"""The marked-up article text: nesting, links, escaping."""

from __future__ import annotations

from html.parser import HTMLParser

from dateline.record import Record
from dateline.web.render import BarSeries, Chart, article_html, bar_chart_svg, map_svg


class _Balance(HTMLParser):
    """Checks that tags close in order and collects the text and the links."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.text: list[str] = []
        self.links: list[str] = []
        self.nested_links = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.nested_links += "a" in self.stack
            self.links.append(dict(attrs).get("href") or "")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Balance:
    parser = _Balance()
    parser.feed(html)
    parser.close()
    assert not parser.stack
    return parser


def test_article_text_keeps_every_character_and_balances_tags(handmade_records_list: list[Record]) -> None:
    for record in handmade_records_list:
        data = record.to_dict()
        parsed = _parse(str(article_html(data)))
        assert "".join(parsed.text) == record.text
        assert parsed.nested_links == 0


def test_entities_link_to_actor_pages_and_triggers_to_their_rows(handmade_records_list: list[Record]) -> None:
    visit = handmade_records_list[0].to_dict()
    links = _parse(str(article_html(visit))).links
    assert "/actors/AZEGOV" in links and "/actors/RUSGOV" in links
    assert {f"#event-{event['id']}" for event in visit["events"]} <= set(links)
    assert any(link.startswith("/search?q=") for link in links)  # Moscow has no actor code


def test_text_is_escaped_and_crossing_spans_are_cut() -> None:
    text = "<b>Ann & Bob</b> met"
    data = {
        "text": text,
        "entities": [
            {"id": "e1", "name": "Ann & Bob", "type": "PERSON", "actor": None, "mentions": [[3, 12]]},
        ],
        "events": [
            {
                "id": "v1",
                "trigger": {"text": "Bob</b> met", "span": [9, 20]},
                "source": [],
                "target": [],
                "cameo": "036",
                "quad_class": 1,
            }
        ],
        "quotes": [],
        "repairs": [{"kind": "x", "start": 0, "end": 0, "before": "<", "after": ""}],
    }
    html = str(article_html(data))
    assert "<b>" not in html and "&lt;b&gt;" in html and "&amp;" in html
    assert "".join(_parse(html).text) == text


def test_charts_and_map_are_svg_with_escaped_labels() -> None:
    chart = bar_chart_svg(
        Chart(
            periods=["2004-01", "<x>"],
            up=[BarSeries("up", "#0f0", [1, 2])],
            down=[BarSeries("down", "#f00", [0, 3])],
            line=[1.0, None],
            title="a & b",
        )
    )
    assert str(chart).startswith("<svg") and "&lt;x&gt;" in chart and "a &amp; b" in chart
    _parse(str(chart))
    points = [
        {
            "name": "Nowhere <",
            "lat": 10.0,
            "lon": -20.0,
            "events": 3,
            "cooperation": 1,
            "conflict": 2,
            "goldstein_mean": -1.0,
            "first": "2004",
            "last": "2005",
            "country": None,
        }
    ]
    svg = str(map_svg(points))
    assert 'href="/events?place=Nowhere%20%3C"' in svg and "<circle" in svg
    _parse(svg)
