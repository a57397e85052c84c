"""Near-duplicate search finds re-edited copies and nothing else."""

from __future__ import annotations

from dateline.store.dedup import NearDuplicateIndex, signature

STORY = (
    "The harbour authority said on Tuesday that it would reopen the northern quay after repairs to "
    "the sea wall, which was damaged in the January storms. About 40 ships a week use the quay, "
    "and shipping firms had complained that diverting them to the southern basin added two days to "
    "each voyage. The authority's director told reporters that the work had cost 3.5 million euros "
    "and that a second phase, to deepen the channel, would begin in the autumn if funds allowed. "
    "Fishermen, who use the same quay, welcomed the news but asked for a separate landing area."
)


def test_a_lightly_edited_copy_is_found() -> None:
    index = NearDuplicateIndex([("original", signature(STORY))])
    edited = STORY.replace("on Tuesday", "on Wednesday").replace("About 40", "Some 40")
    assert index.nearest(signature(edited)) == "original"


def test_a_different_story_is_not_a_near_duplicate() -> None:
    index = NearDuplicateIndex([("original", signature(STORY))])
    other = (
        "Parliament passed the budget late on Thursday after a debate that lasted eleven hours. "
        "The opposition voted against it, saying the spending on roads was too small, while the "
        "finance minister said the plan would cut the deficit to two per cent of output next year."
    )
    assert index.nearest(signature(other)) is None


def test_an_article_is_not_its_own_near_duplicate() -> None:
    index = NearDuplicateIndex([("original", signature(STORY))])
    assert index.nearest(signature(STORY), exclude="original") is None
