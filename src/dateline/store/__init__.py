"""The store stage: records into DuckDB, and back out."""

from dateline.store.database import DEFAULT_DB, Store, StoredArticle, open_store

__all__ = ["DEFAULT_DB", "Store", "StoredArticle", "open_store"]
