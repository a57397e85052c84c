"""The actor stage: entities, roles, in-article coreference, actor codes and places."""
