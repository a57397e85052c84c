"""Event groups as GDELT 2.0 event rows."""

from __future__ import annotations

from dateline.events.gdelt import GDELT_COLUMNS, split_actor_code, to_gdelt_row

GROUP = {
    "id": "5f3c",
    "date": "2004-02-06",
    "source_actor": "AZEGOV",
    "source_name": "Ilham Aliyev",
    "target_actor": "RUSGOVMIL",
    "target_name": "Sergey Ivanov",
    "cameo": "0312",
    "root": "03",
    "quad_class": 1,
    "goldstein": 5.2,
    "num_mentions": 3,
    "num_sources": 2,
    "num_articles": 2,
    "avg_tone": None,
    "place": {"name": "Moscow", "lat": 55.75, "lon": 37.62, "country": "RUS", "geonames_id": 524901},
    "source_url": "https://example.org/a",
    "date_added": "2024-05-01T10:20:30",
}


def _row(group: dict) -> dict[str, str]:  # type: ignore[type-arg]
    row = to_gdelt_row(group)
    assert len(row) == len(GDELT_COLUMNS) == 61
    assert all(isinstance(value, str) for value in row)
    return dict(zip(GDELT_COLUMNS, row, strict=True))


def test_the_61_columns_in_gdelt_order() -> None:
    assert GDELT_COLUMNS[:5] == ("GlobalEventID", "Day", "MonthYear", "Year", "FractionDate")
    assert GDELT_COLUMNS[5] == "Actor1Code" and GDELT_COLUMNS[15] == "Actor2Code"
    assert GDELT_COLUMNS[25:35] == (
        "IsRootEvent",
        "EventCode",
        "EventBaseCode",
        "EventRootCode",
        "QuadClass",
        "GoldsteinScale",
        "NumMentions",
        "NumSources",
        "NumArticles",
        "AvgTone",
    )
    assert GDELT_COLUMNS[51] == "ActionGeo_Type" and GDELT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")
    assert len(set(GDELT_COLUMNS)) == 61


def test_a_group_maps_onto_the_columns() -> None:
    row = _row(GROUP)
    assert (row["Day"], row["MonthYear"], row["Year"]) == ("20040206", "200402", "2004")
    assert row["FractionDate"].startswith("2004.")
    assert (row["Actor1Code"], row["Actor1CountryCode"], row["Actor1Type1Code"]) == ("AZEGOV", "AZE", "GOV")
    assert (row["Actor2Type1Code"], row["Actor2Type2Code"]) == ("GOV", "MIL")
    assert row["Actor1Name"] == "ILHAM ALIYEV"
    assert (row["EventCode"], row["EventBaseCode"], row["EventRootCode"]) == ("0312", "031", "03")
    assert (row["QuadClass"], row["GoldsteinScale"]) == ("1", "5.2")
    assert (row["NumMentions"], row["NumSources"], row["NumArticles"], row["AvgTone"]) == ("3", "2", "2", "")
    assert row["ActionGeo_FullName"] == "Moscow" and row["ActionGeo_CountryCode"] == "RS"  # FIPS, as GDELT
    assert (row["ActionGeo_Lat"], row["ActionGeo_Long"], row["ActionGeo_FeatureID"]) == (
        "55.75",
        "37.62",
        "524901",
    )
    assert row["Actor1Geo_FullName"] == "" and row["Actor2Geo_Type"] == ""
    assert row["DATEADDED"] == "20240501102030"
    assert row["SOURCEURL"] == "https://example.org/a"


def test_missing_parts_stay_empty() -> None:
    row = _row({"id": "x", "cameo": "190", "source_actor": None, "target_actor": None})
    assert row["Day"] == "" and row["Actor1Code"] == "" and row["ActionGeo_Type"] == ""
    assert row["EventRootCode"] == "19"


def test_actor_codes_split_into_country_group_religion_and_types() -> None:
    assert split_actor_code("IGOUNO")["Type1Code"] == "IGO"
    assert split_actor_code("IGOUNO")["KnownGroupCode"] == "UNO"
    assert split_actor_code("IGOUNO")["CountryCode"] == ""
    nigeria = split_actor_code("NGAGOVMOS")
    assert (nigeria["CountryCode"], nigeria["Type1Code"], nigeria["Religion1Code"]) == ("NGA", "GOV", "MOS")
    assert split_actor_code("RUS") == {**split_actor_code("RUS"), "CountryCode": "RUS", "Type1Code": ""}
