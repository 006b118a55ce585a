"""Pinned accuracy floors: CI fails when a figure drops below its floor.

The floors file (``eval/gold/floors.json``) holds, per gold set, the sha256 of the gold file the
floors were measured on and a floor per metric. Raising a floor is part of any change that
improves accuracy (``eventwire eval --floors FILE --update-floors``); lowering one needs
``--allow-regression`` and a sentence in the change's note. A gold file that changed since
its floors were pinned is an error too: the floors no longer measure the same thing.
"""
from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Iterable

# metric name in Report.as_dict() -> how to read it
METRICS = (
    ("root", "f1"), ("dyad_root", "f1"), ("full_code", "f1"), ("plover_type", "f1"),
    ("plover_dyad", "f1"),
    ("event_year_accuracy", None), ("background_accuracy", None),
)


def _value(report: dict, metric: tuple[str, str | None]):
    key, sub = metric
    v = report.get(key)
    return v.get(sub) if sub and isinstance(v, dict) else v


def _name(metric) -> str:
    return ".".join(m for m in metric if m)


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _figures(reports: Iterable) -> dict[str, dict[str, float]]:
    out = {}
    for rep in reports:
        d = rep.as_dict()
        out[rep.name] = {_name(m): _value(d, m) for m in METRICS if _value(d, m) is not None}
    return out


def check(path: Path, reports, gold_files: dict[str, Path]) -> list[str]:
    """Problems (one line each) with this run against the pinned floors; [] when all hold."""
    if not path.is_file():
        return [f"E-FLOORS {path}: no floors file (create it with --update-floors)"]
    pinned = json.loads(path.read_text("utf-8"))
    problems = []
    for name, figures in _figures(reports).items():
        entry = pinned.get(name)
        if entry is None:
            problems.append(f"E-FLOORS {path}: no floors for gold set {name!r}")
            continue
        gold = gold_files.get(name)
        if gold is not None and entry.get("gold_sha256") != sha256(gold):
            problems.append(f"E-FLOORS {name}: {gold} changed since its floors were pinned "
                            f"(re-pin with --update-floors)")
        for metric, floor in entry.get("floors", {}).items():
            got = figures.get(metric)
            if got is None or got < floor:
                problems.append(f"E-REGRESSION {name} {metric} {got} < floor {floor}")
    return problems


def update(path: Path, reports, gold_files: dict[str, Path], *,
           allow_regression: bool = False) -> list[str]:
    """Pin this run's figures as floors; refuses to lower one unless ``allow_regression``."""
    pinned = json.loads(path.read_text("utf-8")) if path.is_file() else {}
    problems = []
    for name, figures in _figures(reports).items():
        old = pinned.get(name, {}).get("floors", {})
        new = {m: math.floor(v * 1000) / 1000 for m, v in figures.items()}
        lowered = [m for m in new if m in old and new[m] < old[m]]
        if lowered and not allow_regression:
            problems += [f"E-REGRESSION {name} {m} {new[m]} < floor {old[m]} "
                         f"(use --allow-regression to lower it)" for m in lowered]
            new = {m: max(v, old.get(m, v)) for m, v in new.items()}
        gold = gold_files.get(name)
        pinned[name] = {"gold_sha256": sha256(gold) if gold else None, "floors": new}
    if not problems or allow_regression:
        path.write_text(json.dumps(pinned, indent=2, sort_keys=True) + "\n", "utf-8")
    return problems
