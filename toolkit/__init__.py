"""kontraktstyring — dialogbaseret kontraktstyring for danske kommuner."""

__version__ = "0.1.0"
