"""The actor stage: entities, roles, in-article coreference, actor codes and places.

resolve_entities(document, dictionaries=None)   fills document.record.entities
geocode(name, context_countries=())             a place name to a Place, offline
load_actor_dictionaries(paths)                  PETRARCH/Phoenix actor and agent files
code_span(document, start, end)                 the actor code of any stretch of text
"""

from dateline.actors.dictionary import ActorDictionary, load_actor_dictionaries
from dateline.actors.places import geocode
from dateline.actors.resolve import code_span, resolve_entities

__all__ = ["ActorDictionary", "code_span", "geocode", "load_actor_dictionaries", "resolve_entities"]
