"""Measurements: the indicator library and survey-based results.

``library`` loads the declarative indicator library (``workbook/indikatorer.toml``) that the
institution workbook's Indikator field offers.
"""
