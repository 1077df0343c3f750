"""Sweep expectations for the monitoring URLs."""

from tests.sweep import Route

ROUTES: list[Route] = []
