"""eventwire: news articles in, sourced political event records out."""
__version__ = "0.1.0"
