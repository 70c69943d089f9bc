"""Data files derived from GeoNames and wordfreq by scripts/gazetteer_data.py (docs/adr/0029)."""
