"""section307: enforcement of forced-labor import bans."""

__version__ = "0.1.0"
