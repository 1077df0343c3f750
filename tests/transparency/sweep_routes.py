"""Sweep expectations for the transparency URLs."""

from tests.sweep import Route

ROUTES: list[Route] = []
