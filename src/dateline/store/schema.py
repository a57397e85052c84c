"""The DuckDB schema: one table per part of the record, the same columns as its JSON.

Nested parts are STRUCTs and LISTs so that a row reads back into the record unchanged.
``event_groups`` is a view, so it always agrees with the events and articles stored.
"""

from __future__ import annotations

SPAN = "INTEGER[]"
PLACE = "STRUCT(name VARCHAR, lat DOUBLE, lon DOUBLE, country VARCHAR, geonames_id BIGINT, precision INTEGER)"
ARGUMENT = f"STRUCT(entity VARCHAR, name VARCHAR, actor VARCHAR, span {SPAN})"

TABLES: dict[str, str] = {
    "articles": """
        id VARCHAR PRIMARY KEY,
        source VARCHAR,
        url VARCHAR,
        publisher VARCHAR,
        author VARCHAR,
        title VARCHAR,
        published VARCHAR,
        language VARCHAR,
        text VARCHAR,
        raw VARCHAR,
        offset_map INTEGER[][],
        dateline STRUCT(place VARCHAR, agency VARCHAR, date VARCHAR),
        repairs STRUCT(kind VARCHAR, "start" INTEGER, "end" INTEGER, before VARCHAR, "after" VARCHAR)[],
        removed STRUCT(raw_start INTEGER, raw_end INTEGER, text VARCHAR, reason VARCHAR)[],
        duplicate_of VARCHAR,
        near_duplicate_of VARCHAR,
        pipeline_version VARCHAR,
        minhash UBIGINT[],
        stored_at TIMESTAMP DEFAULT current_timestamp,
        language_confidence DOUBLE,
        language_reason VARCHAR
    """,
    "entities": f"""
        id VARCHAR,
        article_id VARCHAR,
        name VARCHAR,
        type VARCHAR,
        role VARCHAR,
        actor VARCHAR,
        country VARCHAR,
        place {PLACE},
        mentions INTEGER[][],
        title_mentions INTEGER[][]
    """,
    "mentions": """
        entity_id VARCHAR,
        article_id VARCHAR,
        "start" INTEGER,
        "end" INTEGER,
        text VARCHAR,
        field VARCHAR
    """,
    "events": f"""
        id VARCHAR,
        article_id VARCHAR,
        sentence INTEGER,
        trigger STRUCT(text VARCHAR, span {SPAN}),
        source {ARGUMENT}[],
        target {ARGUMENT}[],
        source_actor VARCHAR,
        target_actor VARCHAR,
        cameo VARCHAR,
        root VARCHAR,
        quad_class INTEGER,
        goldstein DOUBLE,
        plover STRUCT(type VARCHAR, mode VARCHAR),
        date VARCHAR,
        date_text VARCHAR,
        date_kind VARCHAR,
        place {PLACE},
        negated BOOLEAN,
        modality VARCHAR,
        confidence DOUBLE,
        rule VARCHAR
    """,
    "quotes": f"""
        id VARCHAR,
        article_id VARCHAR,
        span {SPAN},
        text VARCHAR,
        kind VARCHAR,
        cue STRUCT(text VARCHAR, span {SPAN}),
        speaker STRUCT(entity VARCHAR, name VARCHAR, role VARCHAR, actor VARCHAR, span {SPAN})
    """,
    "quantities": f"""
        id VARCHAR,
        article_id VARCHAR,
        span {SPAN},
        text VARCHAR,
        value DOUBLE,
        unit VARCHAR,
        measure VARCHAR,
        "when" VARCHAR,
        qualifier VARCHAR
    """,
}

# Columns added after the first release, with their types: a database made before them gets them
# on opening (NULL for the rows already stored). New columns go at the end of their table, so a new
# database and a migrated one have the same column order.
ADDED_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "articles": [("language_confidence", "DOUBLE"), ("language_reason", "VARCHAR")],
    "entities": [("title_mentions", "INTEGER[][]")],
    "mentions": [("field", "VARCHAR")],
}

CHILD_TABLES = ("entities", "mentions", "events", "quotes", "quantities")

# One row per distinct (date, source actor, target actor, CAMEO code) across articles, counted in
# GDELT's sense. A syndicated copy (duplicate_of set) is not analysed again but adds an article and
# a source to every event of the article it copies; negated events are not events that happened.
EVENT_GROUPS_VIEW = """
CREATE OR REPLACE VIEW event_groups AS
WITH copies AS (
    SELECT id AS article_id, id AS copy_id, url, publisher, source, stored_at FROM articles
    UNION ALL
    SELECT duplicate_of, id, url, publisher, source, stored_at FROM articles WHERE duplicate_of IS NOT NULL
),
mentions AS (
    SELECT e.*, c.copy_id, c.url AS copy_url, c.stored_at,
        coalesce(c.publisher, c.url, c.source, c.copy_id) AS information_source
    FROM events e JOIN copies c USING (article_id)
    WHERE NOT e.negated
)
SELECT
    md5(concat_ws('|', coalesce(date, ''), coalesce(source_actor, ''), coalesce(target_actor, ''), cameo))
        AS id,
    date,
    source_actor,
    target_actor,
    cameo,
    any_value(root) AS root,
    any_value(quad_class) AS quad_class,
    any_value(goldstein) AS goldstein,
    count(*) AS num_mentions,
    count(DISTINCT information_source) AS num_sources,
    count(DISTINCT copy_id) AS num_articles,
    mode(source[1].name) AS source_name,
    mode(coalesce(target[1].name, source[2].name)) AS target_name,
    any_value(place) FILTER (WHERE place IS NOT NULL) AS place,
    min(copy_url) AS source_url,
    -- GDELT's IsRootEvent: some mention opens its article (the lead carries the main event).
    bool_or(sentence = 0) AS is_root_event,
    max(stored_at) AS date_added,
    list(DISTINCT id) AS event_ids
FROM mentions
GROUP BY date, source_actor, target_actor, cameo
"""


# Key-value facts about the file itself (its schema version), apart from the record tables.
META_TABLE = "dateline_meta"


def _schema_version() -> str:
    """A digest of the schema: changes whenever a table, an added column or the view changes."""
    import hashlib

    text = repr((sorted(TABLES.items()), sorted(ADDED_COLUMNS.items()), EVENT_GROUPS_VIEW))
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]


SCHEMA_VERSION = _schema_version()
