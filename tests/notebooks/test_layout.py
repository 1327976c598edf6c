"""Writing new sources into a notebook's JSON: only the changed sources move, in their style."""

from __future__ import annotations

import json

import pytest

from numba_check.notebooks.layout import LayoutError, replace_sources, source_spans
from tests.notebooks.builders import code, dumps, markdown, notebook, with_output


def test_nbformat_layout_is_kept_byte_for_byte_outside_the_changed_source():
    nb = notebook(code("a = 1\nb = [2]"), markdown("# Title"), with_output("c = [3]\nd = 4\n"))
    text = dumps(nb)
    new = replace_sources(text, {0: "a = 1\nb = (2,)", 2: "c = (3,)\nd = 4\n"})
    assert new == text.replace('"b = [2]"', '"b = (2,)"').replace('"c = [3]\\n"', '"c = (3,)\\n"')


def test_new_lines_get_the_indentation_of_the_list_they_replace():
    text = dumps(notebook(code("x = 1")))
    new = replace_sources(text, {0: "import numba\nx = 1\n"})
    assert '   "source": [\n    "import numba\\n",\n    "x = 1\\n"\n   ]\n' in new


def test_an_empty_source_list_is_filled_at_the_right_indentation():
    text = dumps(notebook(code(""), code("y = 2")))
    assert '"source": []' in text
    new = replace_sources(text, {0: "x = 1\ny = 2"})
    assert '   "source": [\n    "x = 1\\n",\n    "y = 2"\n   ]\n' in new
    assert json.loads(new)["cells"][1]["source"] == ["y = 2"]


def test_a_source_stored_as_one_string_stays_one_string():
    data = json.loads(dumps(notebook(code("x = [1]\n"))))
    data["cells"][0]["source"] = "x = [1]\n"
    text = json.dumps(data, indent=2)
    new = replace_sources(text, {0: "x = (1,)\n"})
    assert new == text.replace('"x = [1]\\n"', '"x = (1,)\\n"')


def test_a_compact_file_stays_compact():
    data = json.loads(dumps(notebook(code("a\nb = [1]"))))
    text = json.dumps(data, separators=(",", ":"))
    new = replace_sources(text, {0: "a\nb = (1,)\nc"})
    assert '"source":["a\\n","b = (1,)\\n","c"]' in new
    assert "\n" not in new


@pytest.mark.parametrize(("ensure_ascii", "expected"), [(True, "\\u00e9"), (False, "é")])
def test_non_ascii_is_written_as_the_file_writes_it(ensure_ascii, expected):
    data = json.loads(dumps(notebook(code("s = 'é'\nx = [1]"))))
    text = json.dumps(data, indent=1, ensure_ascii=ensure_ascii)
    new = replace_sources(text, {0: "s = 'é'\nx = (1,)"})
    assert f"\"s = '{expected}'\\n\"" in new
    assert json.loads(new)["cells"][0]["source"] == ["s = 'é'\n", "x = (1,)"]


def test_an_empty_new_source_is_an_empty_list():
    text = dumps(notebook(code("x = 1")))
    assert '"source": []' in replace_sources(text, {0: ""})


def test_source_spans_follow_the_cells_and_skip_cells_without_source():
    text = (
        '{"cells": [{"source": "a"}, {"cell_type": "raw"}, {"source": ["b"], "x": {"source": 1}}]}'
    )
    spans = source_spans(text)
    assert [
        text[s:e] if s is not None else None for s, e in (sp or (None, None) for sp in spans)
    ] == [
        '"a"',
        None,
        '["b"]',
    ]


def test_duplicate_keys_take_the_last_as_json_does():
    text = '{"cells": [{"source": "a", "source": "b"}], "nbformat": 4}'
    assert (
        replace_sources(text, {0: "c"})
        == '{"cells": [{"source": "a", "source": "c"}], "nbformat": 4}'
    )


def test_a_cell_without_source_cannot_be_written_in_place():
    with pytest.raises(LayoutError):
        replace_sources('{"cells": [{"cell_type": "code"}]}', {0: "x = 1"})
