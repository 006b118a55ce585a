import csv
from pathlib import Path

import pytest

from eventwire import ontology
from eventwire.ontology import ROOTS, cameo, is_code, nearest_code, plover, root_name
from eventwire.records import Cameo, Plover

ONTOLOGY_DIR = Path(ontology.__file__).parent


@pytest.mark.parametrize("code,label,quad,goldstein", [
    ("043", "Host a visit", 1, 2.8),
    ("190", "Use conventional military force", 4, -10.0),
    ("173", "Arrest, detain, or charge with legal action", 4, -5.0),
    ("016", "Deny responsibility", 1, -2.0),  # GDELT -2.0, not ICEWS -5.0
    ("145", "Protest violently, riot", 3, -7.5),  # GDELT puts PROTEST in verbal conflict
    ("09", "INVESTIGATE", 2, -2.0),  # GDELT quad: INVESTIGATE is material cooperation
])
def test_ontology_cameo_lookup(code, label, quad, goldstein):
    assert cameo(code) == Cameo(code=code, root=code[:2], label=label, quad_class=quad,
                                goldstein=goldstein)


@pytest.mark.parametrize("code,goldstein,basis", [
    ("1951", -10.0, "parent:195"), ("155", -7.2, "parent:15"), ("1213", -4.0, "parent:121"),
])
def test_ontology_codes_without_gdelt_value_use_parent_and_say_so(code, goldstein, basis):
    entry = ontology.entry(code)
    assert (entry.goldstein, entry.goldstein_basis, entry.in_gdelt) == (goldstein, basis, False)


@pytest.mark.parametrize("code,expected", [
    ("190", Plover("ASSAULT", None)),
    ("010", Plover(None, None)),
    ("0211", Plover(None, None)),
    ("042", Plover("CONSULT", "visit")),
    ("186", Plover("ASSAULT", "targeted")),  # retired mode 'assassinate' -> targeted
    ("1712", Plover("ASSAULT", "destroy")),
    ("201", Plover("ASSAULT", None)),  # retired mode 'cleansing' dropped
    ("163", Plover("COERCE", "restrict")),
    ("08", Plover("CONCEDE", None)),  # root 08 splits; a bare root follows 080
    ("2041", Plover("ASSAULT", "unconventional")),
])
def test_ontology_plover_mapping(code, expected):
    assert plover(code) == expected


@pytest.mark.parametrize("code", ["1999", "43", "0430", "", "19A"])
def test_ontology_unknown_code_raises_keyerror_naming_valid_form(code):
    with pytest.raises(KeyError, match=r"E-CAMEO unknown CAMEO code .*3- or 4-digit"):
        cameo(code)


@pytest.mark.parametrize("code", [43, None])
def test_ontology_non_string_code_is_refused(code):
    with pytest.raises(KeyError, match="CAMEO codes are strings"):
        cameo(code)


@pytest.mark.parametrize("code,expected", [("1835", "183"), ("1883", "18"), ("043", "043")])
def test_ontology_nearest_code_is_an_explicit_fallback(code, expected):
    assert not is_code("1835")
    assert nearest_code(code) == expected


@pytest.mark.parametrize("code,name", [("043", "CONSULT"), ("1823", "ASSAULT"), ("10", "DEMAND")])
def test_ontology_root_name(code, name):
    assert root_name(code) == name
    assert len(ROOTS) == 20 and ROOTS["01"] == "MAKE PUBLIC STATEMENT"


@pytest.mark.parametrize("name,columns,rows", [
    ("cameo.tsv", ["code", "root", "level", "label", "quad_class", "goldstein",
                   "goldstein_basis", "plover_type", "plover_mode", "plover_context",
                   "plover_basis", "in_gdelt"], 317),
    ("plover_types.tsv", ["type", "quad_category", "quad_code", "score", "definition",
                          "note"], 16),
])
def test_ontology_data_files_keys_and_columns(name, columns, rows):
    with (ONTOLOGY_DIR / name).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        data = list(reader)
    assert reader.fieldnames == columns
    assert len(data) == rows
    assert len({r[columns[0]] for r in data}) == rows  # keys are unique


@pytest.mark.parametrize("level,count", [(1, 20), (2, 149), (3, 148)])
def test_ontology_codes_by_level(level, count):
    assert len(ontology.codes(level=level)) == count


@pytest.mark.parametrize("code", ["19", "195", "1951"])
def test_ontology_table_agrees_with_shared_source(shared_data, code):
    """Our restated table must keep the shared CSV's names and GDELT quad classes."""
    path = shared_data / "ontology" / "cameo" / "cameo_event_codes.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["code"] == code)
    assert cameo(code).label == row["name"]
    assert cameo(code).quad_class == int(row["quad_class_gdelt"])


@pytest.mark.parametrize("name,quad", [("ASSAULT", "material conflict"),
                                       ("CONSULT", "verbal cooperation")])
def test_ontology_plover_type_table(name, quad):
    assert ontology.plover_type(name).quad_category == quad
    with pytest.raises(KeyError, match="known types: AGREE"):
        ontology.plover_type("FIGHT")
