"""Fuzzing: shared targets (``fuzz.targets``) and the long run (``python fuzz/run.py``)."""
