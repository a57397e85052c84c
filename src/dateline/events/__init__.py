"""The event stage: CAMEO and PLOVER events coded from the parse, with their evidence.

``extract_events(document)`` fills ``document.record.events``; ``explain(record, event)`` shows
why an event was coded; ``load_ontology()`` gives the CAMEO codebook; ``gdelt`` maps event groups
onto the GDELT 2.0 event table.
"""

from __future__ import annotations

from dateline.events.coder import extract_events
from dateline.events.explain import explain
from dateline.events.ontology import CameoCode, Ontology, load_ontology

__all__ = ["CameoCode", "Ontology", "explain", "extract_events", "load_ontology"]
