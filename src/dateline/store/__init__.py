"""The store stage: records into DuckDB, and back out."""

from dateline.store.database import Store, StoredArticle, open_store

__all__ = ["Store", "StoredArticle", "open_store"]
