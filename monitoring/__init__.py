"""Protective Monitoring: audit-log import, misuse detection, signal review and follow-up."""
