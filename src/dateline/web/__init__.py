"""The HTTP API and web pages over a dateline database (FastAPI, server-rendered pages)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI


def create_app(db_path: Any, **options: Any) -> FastAPI:
    """The web app over one database file; see :func:`dateline.web.app.create_app`."""
    from dateline.web.app import create_app as build

    return build(db_path, **options)


__all__ = ["create_app"]
