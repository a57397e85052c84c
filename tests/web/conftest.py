"""The web tests' fixtures live in web_fixtures.py, a module with a name of its own, so that the
tests can import its helpers without mistaking this conftest for the suite's top-level one."""

from web_fixtures import *  # noqa: F403 - pytest finds fixtures by name in this namespace
