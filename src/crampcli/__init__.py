"""crampcli: an offline explorer of leg-cramp causes, relief, prevention and warning signs."""

__version__ = "1.0.0"
