"""Screening: periodic and continuous screening and the duty to report (meldplicht)."""
