"""Goods and commodities with their HTSUS codes and DOL List of Goods flags."""
