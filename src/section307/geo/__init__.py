"""Countries (ISO 3166), regions that orders and presumptions cover, and TIP report tiers."""
