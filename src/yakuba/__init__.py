"""yakuba — 標準準拠 基幹業務システム for Japanese municipalities."""

__version__ = "0.1.0"
