"""Loaders of public reference lists (CBP WROs and Findings, UFLPA Entity List, DOL List of Goods, TIP tiers).

``parsers`` and ``sources`` are pure Python (no Django); ``services`` applies parsed lists to the database.
"""
