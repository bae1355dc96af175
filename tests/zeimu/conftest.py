"""The HTTP fixtures of tests/api (client, accounts, tokens) for the tax API tests."""

from tests.api.conftest import client, clock, household, make_staff, token_for  # noqa: F401
