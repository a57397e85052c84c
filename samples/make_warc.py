"""Regenerate news-crawl.warc.gz: a small crawl of two news pages written for the project.

The archive holds a warcinfo record, a plain-text robots.txt response (which ingest passes over)
and two HTML article responses. Record ids and dates are fixed, so the output is the same on
every run:

    .venv/bin/python samples/make_warc.py
"""

from __future__ import annotations

import io
import uuid
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

OUTPUT = Path(__file__).with_name("news-crawl.warc.gz")
CRAWL_DATE = "2024-07-02T06:00:00Z"

FOOTER = """<footer><p><a href="/about">About</a> · <a href="/contact">Contact</a> ·
<a href="/privacy">Privacy</a></p><p>© 2024 Southern Cross Dispatch. All rights reserved.</p></footer>"""

NAVIGATION = """<nav class="menu"><a href="/">Home</a> <a href="/africa">Africa</a>
<a href="/business">Business</a> <a href="/energy">Energy</a> <a href="/opinion">Opinion</a>
<a href="/newsletter">Newsletter</a></nav>"""

ENERGY_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>South Africa signs emergency power deals to end load-shedding | Southern Cross Dispatch</title>
<meta property="og:title" content="South Africa signs emergency power deals to end load-shedding by winter">
<meta property="og:site_name" content="Southern Cross Dispatch">
<meta property="article:published_time" content="2024-07-01T12:45:00+02:00">
<meta name="author" content="Thandi Mokoena">
</head><body>
{NAVIGATION}
<main><article>
<h1>South Africa signs emergency power deals to end load-shedding by winter</h1>
<p class="byline">Thandi Mokoena, Energy Correspondent</p>
<p>JOHANNESBURG — South Africa's government signed agreements on Monday with four independent
producers to supply 1,200 megawatts of emergency power to the national grid from next May, as it
tries to end the rolling blackouts that have hobbled the economy.</p>
<p>The minister of electricity and energy said at a signing ceremony in Pretoria that the contracts,
worth about 19 billion rand over ten years, would add enough power to cover "the worst evenings
of the coming winter." Two of the plants will run on gas and two will combine solar panels with
large batteries.</p>
<p>"We are not going to promise that the lights will never go off again," the minister said. "We are
promising that the days of planning your life around a load-shedding schedule are coming to an end."</p>
<p>State utility Eskom imposed power cuts on 289 days last year, according to data compiled by the
Council for Scientific and Industrial Research, and the central bank has estimated that the
shortages cut economic growth by up to 2 percentage points.</p>
<p>Business groups welcomed the deals but said the grid itself remained the main obstacle. The head
of the Energy Council of South Africa said that more than 5,000 megawatts of approved projects were
still waiting for connections, mainly in the Northern and Western Cape.</p>
<p>The opposition said the contracts were too expensive. Its energy spokesperson said that the price
of 2.10 rand per kilowatt-hour agreed for the gas plants was almost twice what Eskom charges
municipalities, and called on parliament to review the terms.</p>
</article>
<aside><h2>Read next</h2><ul><li><a href="/business/rand-rally">Rand rallies on rate cut hopes</a></li>
<li><a href="/africa/zambia-drought">Zambia rations power as Kariba dam runs low</a></li></ul></aside>
</main>
{FOOTER}
</body></html>
"""

PROTEST_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Two killed as police break up Nairobi protest over fuel levy | Southern Cross Dispatch</title>
<meta property="og:title" content="Two killed as police break up Nairobi protest over fuel levy">
<meta property="og:site_name" content="Southern Cross Dispatch">
<meta property="article:published_time" content="2024-07-02T05:10:00+03:00">
<meta name="author" content="Peter Otieno">
</head><body>
{NAVIGATION}
<main><article>
<h1>Two killed as police break up Nairobi protest over fuel levy</h1>
<p class="byline">Peter Otieno</p>
<p>NAIROBI, July 1 (Southern Cross Dispatch) - Two people were shot dead and at least 46 injured
when police used live rounds, tear gas and water cannon to break up protests in central Nairobi
against a new fuel levy on Monday, rights groups said.</p>
<p>Thousands of mostly young protesters marched towards parliament, where lawmakers were debating a
bill that would raise the levy on petrol and diesel by 7 shillings a litre to help pay down the
country's debt, which stands at about 10 trillion shillings.</p>
<p>The Kenya National Commission on Human Rights said in a statement that the two dead, both men in
their twenties, had been shot near the Kenyatta Avenue roundabout. It said 52 people had been
arrested and called for an independent investigation.</p>
<p>"We came with placards and they came with guns," said Faith Wanjiru, a 24-year-old student who was
helping to carry injured protesters to an ambulance. "All we are asking is to be able to afford
the bus to work."</p>
<p>A police spokeswoman said officers had acted "with restraint" after some protesters threw stones
and set fire to two vehicles. She said that 11 officers had been injured.</p>
<p>The cabinet secretary for the National Treasury defended the levy, telling lawmakers that Kenya
would spend 62 per cent of its tax revenue on debt service this year. He said the government would
cut the levy on kerosene, used mainly by poorer households, by 3 shillings a litre.</p>
<p>Protest organisers said they would return to the streets on Thursday if the bill was passed.</p>
</article>
<aside><h2>Read next</h2><ul><li><a href="/africa/kenya-budget">What is in Kenya's new budget</a></li>
<li><a href="/africa/shilling-stable">Shilling holds steady against the dollar</a></li></ul></aside>
</main>
{FOOTER}
</body></html>
"""

ROBOTS = "User-agent: *\nDisallow: /search\n"

RESPONSES = (
    ("https://southerncross.example/robots.txt", ROBOTS, "text/plain"),
    (
        "https://southerncross.example/energy/2024/07/emergency-power-deals",
        ENERGY_PAGE,
        "text/html; charset=utf-8",
    ),
    (
        "https://southerncross.example/africa/2024/07/nairobi-fuel-levy-protest",
        PROTEST_PAGE,
        "text/html; charset=utf-8",
    ),
)


def record_id(name: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}>"


def main() -> None:
    with OUTPUT.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        info = b"software: dateline samples/make_warc.py\r\nformat: WARC File Format 1.1\r\n"
        writer.write_record(
            writer.create_warc_record(
                "",
                "warcinfo",
                payload=io.BytesIO(info),
                warc_content_type="application/warc-fields",
                warc_headers_dict={"WARC-Record-ID": record_id("warcinfo"), "WARC-Date": CRAWL_DATE},
            )
        )
        for uri, body, content_type in RESPONSES:
            payload = body.encode("utf-8")
            http_headers = StatusAndHeaders(
                "200 OK",
                [("Content-Type", content_type), ("Content-Length", str(len(payload)))],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                uri,
                "response",
                payload=io.BytesIO(payload),
                http_headers=http_headers,
                warc_headers_dict={"WARC-Record-ID": record_id(uri), "WARC-Date": CRAWL_DATE},
            )
            writer.write_record(record)
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
