"""kontraktstyring — dialogbaseret kontraktstyring for danske kommuner."""

__version__ = "0.2.0.dev0"
