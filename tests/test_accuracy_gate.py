"""The accuracy gate: `eventwire eval --floors eval/gold/floors.json` must hold in CI."""
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from eventwire import floors
from eventwire.cli import EXIT_OK, main
from eventwire.evaluate import Report, Scores

ROOT = Path(__file__).resolve().parent.parent
FLOORS = ROOT / "eval" / "gold" / "floors.json"


@pytest.mark.parametrize("floors_file", [FLOORS])
def test_accuracy_gate_eval_holds_pinned_floors(capsys, shared_data, floors_file):
    # why: CI fails when any figure of any bundled gold set drops below its pinned floor, or
    # when a gold file changed without its floors being re-pinned
    code = main(["eval", "--floors", str(floors_file), "--shared", str(shared_data)])
    err = capsys.readouterr().err
    assert code == EXIT_OK, err
    pinned = json.loads(floors_file.read_text("utf-8"))
    assert {"examples", "news-dev", "gigaword", "petr2-gsr-validation"} <= set(pinned)


def _report(name, f1):
    rep = Report(name, 1, 10, 10)
    rep.dyad = Scores(tp=int(f1 * 10), fp=10 - int(f1 * 10), fn=10 - int(f1 * 10))
    return rep


@pytest.mark.parametrize("before, after", [(0.5, 0.3)])
def test_accuracy_gate_lowering_a_floor_needs_allow_regression(tmp_path, before, after):
    gold = tmp_path / "g.jsonl"
    gold.write_text("{}\n")
    path = tmp_path / "floors.json"
    assert floors.update(path, [_report("s", before)], {"s": gold}) == []
    pinned = json.loads(path.read_text())["s"]["floors"]["dyad_root.f1"]
    problems = floors.update(path, [_report("s", after)], {"s": gold})
    assert problems and "E-REGRESSION" in problems[0]
    assert json.loads(path.read_text())["s"]["floors"]["dyad_root.f1"] == pinned
    assert floors.check(path, [_report("s", after)], {"s": gold})
    assert floors.update(path, [_report("s", after)], {"s": gold}, allow_regression=True) == []
    assert json.loads(path.read_text())["s"]["floors"]["dyad_root.f1"] < pinned


@pytest.mark.parametrize("f1", [0.5])
def test_accuracy_gate_changed_gold_is_refused(tmp_path, f1):
    gold = tmp_path / "g.jsonl"
    gold.write_text("{}\n")
    path = tmp_path / "floors.json"
    floors.update(path, [_report("s", f1)], {"s": gold})
    assert floors.check(path, [_report("s", f1)], {"s": gold}) == []
    gold.write_text('{"changed": true}\n')
    problems = floors.check(path, [_report("s", f1)], {"s": gold})
    assert any("changed since its floors were pinned" in p for p in problems)
