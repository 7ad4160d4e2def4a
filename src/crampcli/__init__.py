"""crampcli: an offline explorer of leg-cramp causes, relief, prevention and warning signs."""

__version__ = "2.0.0"
