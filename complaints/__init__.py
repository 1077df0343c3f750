"""Complaints: citizens' complaints about police conduct."""
