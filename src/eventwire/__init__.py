"""eventwire: news articles in, sourced political event records out.

>>> import eventwire
>>> events = eventwire.code("Syria's Defense Minister met Iran's Chief of Staff in Tehran "
...                         "on 23 January.", published="2023-01-24")   # doctest: +SKIP
>>> events[0].cameo.code, events[0].source.code, events[0].target.code  # doctest: +SKIP
('040', 'SYRGOV', 'IRNMIL')
"""
__version__ = "0.1.0"

__all__ = ["code", "code_many", "open", "Coder", "Article", "Event", "__version__"]


def __getattr__(name):
    # Lazy: importing eventwire must not load spaCy (the CLI's --help stays fast).
    if name in ("code", "code_many", "Coder"):
        from . import pipeline
        return getattr(pipeline, name)
    if name == "open":  # eventwire.open("events.duckdb").events(...)
        from .store import open as open_store
        return open_store
    if name in ("Article", "Event"):
        from . import records
        return getattr(records, name)
    raise AttributeError(f"module 'eventwire' has no attribute {name!r}")
