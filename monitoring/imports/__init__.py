"""Importers of the exchange files: reference data and access logs."""
