"""Sweep expectations for the cases URLs."""

from tests.sweep import Route

ROUTES: list[Route] = []
