"""Remove active content from PDFs (pikepdf), then prove with a second reader (pypdf) that none is left.

Active content is anything a viewer may run or fetch on its own: document-open and additional
actions, JavaScript, embedded files, XFA forms, launch/URI/submit/import/remote-go-to actions, and
multimedia annotations (RichMedia, 3D, Movie, Sound, Screen). Page content, text and internal
links (GoTo) stay.
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

# Action types that run code, open or fetch something outside the document, or send data out.
DANGEROUS_ACTIONS = frozenset(
    {
        "/JavaScript", "/Launch", "/URI", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE",
        "/Rendition", "/Movie", "/Sound", "/RichMediaExecute", "/ResetForm", "/Hide", "/SetOCGState",
    }
)  # fmt: skip
DANGEROUS_ANNOTATIONS = frozenset({"/RichMedia", "/3D", "/Movie", "/Sound", "/Screen", "/FileAttachment"})
# Keys whose mere presence is active content, wherever they appear.
DANGEROUS_KEYS = frozenset({"/AA", "/OpenAction", "/JS", "/JavaScript", "/EmbeddedFiles", "/XFA", "/RichMediaContent"})


class ActiveContentRemains(Exception):
    """The cleaned copy still holds active content: it must not be used."""


def _is_dangerous_action(action: Any, seen: set[tuple[int, int]] | None = None) -> bool:
    """An action dictionary (or an array of them) that is, or chains through /Next to, a dangerous one."""
    seen = set() if seen is None else seen
    if isinstance(action, pikepdf.Array):
        return any(_is_dangerous_action(a, seen) for a in action)
    if not isinstance(action, pikepdf.Dictionary):
        return False
    if action.is_indirect:
        if action.objgen in seen:
            return False
        seen.add(action.objgen)
    if str(action.get("/S", "")) in DANGEROUS_ACTIONS or "/JS" in action:
        return True
    return "/Next" in action and _is_dangerous_action(action.Next, seen)


def _scrub(obj: Any, removed: set[str], seen: set[tuple[int, int]]) -> None:
    """Walk every dictionary and array reachable from ``obj``, deleting active content in place."""
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        if obj.is_indirect:
            if obj.objgen in seen:
                return
            seen.add(obj.objgen)
        for key in list(obj.keys()):
            if key in DANGEROUS_KEYS:
                del obj[key]
                removed.add(key.lstrip("/"))
            elif key == "/A" and _is_dangerous_action(obj[key]):
                action = obj[key]
                kind = action.get("/S", "/action") if isinstance(action, pikepdf.Dictionary) else "/action"
                removed.add(str(kind).lstrip("/"))
                del obj[key]
        if "/Annots" in obj and isinstance(obj.Annots, pikepdf.Array):
            subtypes = [str(a.get("/Subtype", "")) if isinstance(a, pikepdf.Dictionary) else "" for a in obj.Annots]
            if any(t in DANGEROUS_ANNOTATIONS for t in subtypes):
                removed.update(t.lstrip("/") for t in subtypes if t in DANGEROUS_ANNOTATIONS)
                obj.Annots = pikepdf.Array(
                    [a for a, t in zip(obj.Annots, subtypes, strict=True) if t not in DANGEROUS_ANNOTATIONS]
                )
        for key in list(obj.keys()):
            if key != "/Parent":
                _scrub(obj[key], removed, seen)
    elif isinstance(obj, pikepdf.Array):
        for item in obj:
            _scrub(item, removed, seen)


def strip_active_content(data: bytes) -> tuple[bytes, list[str], list[str]]:
    """A copy without active content or document metadata: (bytes, active parts removed, metadata removed).

    Raises ``pikepdf.PasswordError`` for encrypted files and ``ActiveContentRemains`` when the check fails.
    """
    with pikepdf.open(io.BytesIO(data)) as pdf:
        metadata = {str(k).lstrip("/") for k in pdf.docinfo.keys()}  # noqa: SIM118 (pikepdf objects) if "/Info" in pdf.trailer else set()
        if "/Metadata" in pdf.Root:
            metadata.add("XMP")
            del pdf.Root.Metadata
        if "/Info" in pdf.trailer:
            del pdf.trailer.Info
        removed: set[str] = set()
        _scrub(pdf.Root, removed, set())
        out = io.BytesIO()
        # Streams are copied as they are, never inflated: a compressed bomb costs nothing here.
        pdf.save(
            out,
            fix_metadata_version=False,
            deterministic_id=True,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            compress_streams=False,
        )
    cleaned = out.getvalue()
    left = find_active_content(cleaned)
    if left:
        raise ActiveContentRemains(", ".join(sorted(left)))
    return cleaned, sorted(removed), sorted(metadata)


def find_active_content(data: bytes) -> set[str]:
    """What active content a PDF holds, seen by a second, independent reader (pypdf)."""
    reader = PdfReader(io.BytesIO(data))
    found: set[str] = set()
    seen: set[int] = set()
    stack: list[Any] = [reader.trailer]
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if node.idnum in seen:
                continue
            seen.add(node.idnum)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            for key, value in node.items():
                if key in DANGEROUS_KEYS:
                    found.add(key.lstrip("/"))
                if key == "/S" and str(value) in DANGEROUS_ACTIONS:
                    found.add(str(value).lstrip("/"))
                if key == "/Subtype" and str(value) in DANGEROUS_ANNOTATIONS:
                    found.add(str(value).lstrip("/"))
                stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return found
