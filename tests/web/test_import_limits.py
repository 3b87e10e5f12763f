"""Uploads are bounded: each bomb is refused with a sentence, within bounded memory and time.

Each hostile file is built here, then parsed in a child process with an address-space limit and
a CPU limit (both generous: a normal plan needs a small fraction of them), which reports its
peak memory. Before the limits, the Word bomb took 1.7 GB and 17.6 s and the merged-range
workbook 737 MB and 14.5 s; the column-XFD sheets ran out of memory.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from safecity.engine.errors import SourceError
from safecity.web.strategy.importing import parse_plan

sys.path.insert(0, str(Path(__file__).parent))
from fixtures_docx import docx_from_rows  # noqa: E402

PEAK_MB = 350  # the child starts at about 50 MB; a bomb took 700-1,700 MB before the limits
CPU_SECONDS = 10  # CPU time, not wall time (the machine may be busy); bombs took 14-18 s before
CHILD = r"""
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))
resource.setrlimit(resource.RLIMIT_CPU, (30, 30))
from safecity.engine.errors import SourceError
from safecity.web.strategy.importing import parse_plan
path, name = sys.argv[1], sys.argv[2]
started = time.process_time()
try:
    plan = parse_plan(path, name)
    outcome = {"actions": len(plan.actions)}
except SourceError as exc:
    outcome = {"refused": str(exc)}
except MemoryError:
    outcome = {"crashed": "MemoryError"}
except Exception as exc:
    outcome = {"crashed": f"{type(exc).__name__}: {exc}"[:300]}
outcome["cpu_seconds"] = time.process_time() - started
# VmHWM, not ru_maxrss: ru_maxrss keeps the forking parent's high-water mark across exec.
status = open("/proc/self/status").read()
outcome["peak_mb"] = int(status.split("VmHWM:")[1].split()[0]) / 1024
print(json.dumps(outcome))
"""


def _parse_in_child(tmp_path, data: bytes, name: str) -> dict:
    path = tmp_path / name
    path.write_bytes(data)
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), name], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONHASHSEED": "0"})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _rezip(data: bytes, replace: dict[str, bytes | None], add: dict[str, bytes] = {}) -> bytes:
    """The zip with some parts replaced (None drops a part) or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    target.writestr(info.filename, replace[info.filename])
            else:
                target.writestr(info.filename, source.read(info.filename))
        for name, content in add.items():
            target.writestr(name, content)
    return out.getvalue()


def _small_docx() -> bytes:
    return docx_from_rows([("Safety", "Patrol the park", "Police", "Started.")])


def _docx_expanding_to(megabytes: int) -> bytes:
    """A valid Word plan whose document.xml is padded with whitespace to ``megabytes``."""
    data = _small_docx()
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    head, tail = xml.split(b"</w:body>")
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info.filename, source.read(info.filename))
        with target.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(head)
            block = b"<w:p/>" + b" " * (2**20 - 6)
            for _ in range(megabytes):
                part.write(block)
            part.write(b"</w:body>" + tail)
    return out.getvalue()


def _billion_laughs_docx() -> bytes:
    data = _small_docx()
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    declaration, body = xml.split("?>", 1)
    bomb = (f'{declaration}?><!DOCTYPE w:document [{entities}]>'
            + body.replace("Patrol the park", "&lol9;", 1))
    return _rezip(data, {"word/document.xml": bomb.encode()})


def _xlsx(patch_sheet=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Plan"
    sheet.append(["Priority", "Action", "Lead agency", "Update"])
    sheet.append(["Safety", "Patrol the park", "Police", "Started."])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if patch_sheet is None:
        return data
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    return _rezip(data, {"xl/worksheets/sheet1.xml": patch_sheet(xml).encode()})


def _merged(ref: str):
    return lambda xml: xml.replace(
        "</sheetData>", f'</sheetData><mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>')


def _cell_at_xfd(xml: str) -> str:
    return xml.replace('</row>', '<c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>', 1)


def _declared_huge(xml: str) -> str:
    return re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)


BOMBS = {
    "docx expanding to 102 MB": (lambda: _docx_expanding_to(102), "plan.docx",
                                 "expands to more than"),
    "docx holding only word/document.xml": (
        lambda: _rezip(_small_docx(), {}, {}) and _only_document(), "plan.docx",
        "is not a Word (.docx) document, or it is damaged (it has no [Content_Types].xml)"),
    "billion laughs docx": (_billion_laughs_docx, "plan.docx",
                            "declares an XML document type"),
    "xlsx merging D3:CV5000": (lambda: _xlsx(_merged("D3:CV5000")), "plan.xlsx",
                               "sheet 'Plan' has cells out to column CV"),
    "xlsx merging A1:XFD1048576": (lambda: _xlsx(_merged("A1:XFD1048576")), "plan.xlsx",
                                   "sheet 'Plan' has cells out to column XFD"),
    "xlsx merging D3:BH5000": (lambda: _xlsx(_merged("D3:BH5000")), "plan.xlsx",
                               "sheet 'Plan' merges more than 100,000 cells"),
    "xlsx with one cell at column XFD": (lambda: _xlsx(_cell_at_xfd), "plan.xlsx",
                                         "sheet 'Plan' has cells out to column XFD"),
    "xlsx with a cell at row 1,048,576": (
        lambda: _xlsx(lambda x: x.replace(
            "</sheetData>", '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is>'
            "</c></row></sheetData>")), "plan.xlsx",
        "sheet 'Plan' has cells down to row 1,048,576"),
    "docx cell spanning a billion columns": (
        lambda: _rezip(_small_docx(), {"word/document.xml": zipfile.ZipFile(
            io.BytesIO(_small_docx())).read("word/document.xml").replace(
                b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="1000000000"/>', 1)}),
        "plan.docx", "is more than 60 columns wide"),
}


def _only_document() -> bytes:
    xml = zipfile.ZipFile(io.BytesIO(_small_docx())).read("word/document.xml")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr("word/document.xml", xml)
    return out.getvalue()


@pytest.mark.parametrize("bomb", BOMBS, ids=list(BOMBS))
def test_each_upload_bomb_is_refused_with_a_sentence_in_bounded_memory(tmp_path, bomb):
    build, name, sentence = BOMBS[bomb]
    data = build()
    assert len(data) < 400_000  # each bomb is small on the wire
    outcome = _parse_in_child(tmp_path, data, name)
    assert "refused" in outcome, outcome
    assert outcome["refused"].startswith(name + ": ")
    assert sentence in outcome["refused"]
    assert outcome["peak_mb"] < PEAK_MB, outcome
    assert outcome["cpu_seconds"] < CPU_SECONDS, outcome


def test_a_sheet_that_declares_the_whole_grid_but_uses_four_columns_imports(tmp_path):
    outcome = _parse_in_child(tmp_path, _xlsx(_declared_huge), "plan.xlsx")
    assert outcome.get("actions") == 1, outcome
    assert outcome["peak_mb"] < PEAK_MB, outcome


def test_a_sheet_with_merged_cells_inside_the_table_still_reads_them():
    data = _xlsx(lambda xml: _merged("A2:A3")(xml.replace(
        "</sheetData>", '<row r="3"><c r="B3" t="inlineStr"><is><t>Light the path</t></is></c>'
        '<c r="C3" t="inlineStr"><is><t>Council</t></is></c></row></sheetData>')))
    plan = parse_plan(io.BytesIO(data), "plan.xlsx")
    assert [(p.title, [a.text for a in p.actions]) for p in plan.priorities] == [
        ("Safety", ["Patrol the park", "Light the path"])]


@pytest.mark.parametrize("name, data, sentence", [
    ("plan.docx", lambda: _rezip(_small_docx(), {"word/document.xml": b"<w:document"}),
     "is not a Word (.docx) document, or it is damaged"),
    ("plan.docx", lambda: _rezip(_small_docx(), {"[Content_Types].xml": b"<Types/>"}),
     "is not a Word (.docx) document, or it is damaged"),
    ("plan.xlsx", lambda: _rezip(_xlsx(), {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData"}),
     "the workbook cannot be"),
    ("plan.xlsx", lambda: _rezip(_xlsx(), {"xl/workbook.xml": b"not xml"}),
     "the workbook cannot be opened"),
    ("plan.xlsx", lambda: _rezip(_xlsx(), {"xl/worksheets/sheet1.xml": None}),
     "no header row with Action and Lead Agency columns was found"),
])
def test_a_malformed_office_file_gets_a_sentence_not_a_crash(name, data, sentence):
    with pytest.raises(SourceError) as caught:
        parse_plan(io.BytesIO(data()), name)
    assert str(caught.value).startswith(name + ": ") and sentence in str(caught.value)


def test_a_zip_with_too_many_parts_is_refused():
    data = _rezip(_small_docx(), {}, {f"extra/part{i}.xml": b"<a/>" for i in range(400)})
    with pytest.raises(SourceError, match="the file holds 4.. parts"):
        parse_plan(io.BytesIO(data), "plan.docx")


def test_a_csv_of_25000_actions_is_refused_never_cut_to_20000():
    lines = ["Priority,Action,Lead agency"] + [
        f"Safety,Action number {n},Police" for n in range(25_000)]
    with pytest.raises(SourceError) as caught:
        parse_plan(io.BytesIO("\n".join(lines).encode()), "plan.csv")
    assert "more than 20,000 rows" in str(caught.value)
    assert "no rows are left out silently" in str(caught.value)


def test_a_word_document_of_more_than_20000_rows_is_refused():
    data = _small_docx()
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    row = re.search(r"<w:tr[ >].*?</w:tr>", xml, re.S)[0]
    padded = xml.replace(row, row * 20_001, 1)
    with pytest.raises(SourceError, match="more than 20,000 rows"):
        parse_plan(io.BytesIO(_rezip(data, {"word/document.xml": padded.encode()})), "plan.docx")
