"""The registry of enforcement orders: WROs, Findings, UFLPA Entity List entries, CAATSA presumptions."""
