"""Property-based calls made from the OpenAPI spec (schemathesis): no input gives a server error.

Bounded to a few examples an operation so that the whole run takes well under a minute.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

import dateline.web.app as web
from dateline.store import open_store

HERE = Path(__file__).resolve().parent


def _app() -> object:
    # Collection happens before fixtures run, so the store is built here (once, in a temp dir).
    import sys
    import tempfile

    sys.path.insert(0, str(HERE))
    from web_fixtures import handmade_records  # type: ignore[import-not-found]

    path = Path(tempfile.mkdtemp(prefix="dateline-schemathesis-")) / "handmade.duckdb"
    with open_store(path) as store:
        store.write(handmade_records())
    app = web.create_app(path)
    # schemathesis runs the app's lifespan around every call, and the lifespan's end closes the
    # served database for good (as a stopping server must); here the app opens the file on first
    # use and keeps it for the module instead.
    app.router.lifespan_context = _no_lifespan
    return app


@asynccontextmanager
async def _no_lifespan(app: object) -> AsyncIterator[None]:
    yield


APP = _app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def _close_the_database() -> Iterator[None]:
    # The lifespan that would close it is switched off above; close it when the module is done so
    # that no warm-up query is still running when the interpreter exits.
    yield
    APP.state.database.close()  # type: ignore[attr-defined]


EXAMPLES = int(os.environ.get("DATELINE_SCHEMATHESIS_EXAMPLES", "15"))


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_no_server_error(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=[not_a_server_error])
