"""Sweep expectations for the screening URLs."""

from tests.sweep import Route

ROUTES: list[Route] = []
