"""Reading export files of any size as XML, safely.

lxml's iterparse with everything that reaches outside the file turned off: no DTD loaded, no
entity expanded, no network, no huge-tree mode. A file that declares a document type at all is
refused before its first element is read (Disqus and WordPress exports never have one; a DTD
is how billion-laughs and external-entity files attack). Elements are handed out as they
close and then dropped, so memory holds one record at a time (docs/decisions/0013).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO

from django.utils.translation import gettext as _
from lxml import etree

from minbar.archive.sources import SourceError, SourceInvalid


def local(tag: object) -> str:
    """The name of a tag without its namespace."""
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def namespace(tag: object) -> str:
    return (etree.QName(tag).namespace or "") if isinstance(tag, str) else ""


def text_of(element, name: str, ns: str | None = None) -> str:
    """The text of the first child called `name` (in `ns`, or any namespace), or ""."""
    for child in element:
        if local(child.tag) == name and (ns is None or namespace(child.tag) == ns):
            return child.text or ""
    return ""


def child(element, name: str):
    for item in element:
        if local(item.tag) == name:
            return item
    return None


def records(
    source: BinaryIO | str, *, depth: int, on_root: Callable[[object], None] | None = None
) -> Iterator[object]:
    """Every element `depth` levels below the root (1: the root's children), once it has
    closed; the caller reads it before asking for the next one, which frees it.

    Raises SourceInvalid with the line for anything that is not well-formed XML, or that
    declares a document type.
    """
    _refuse_doctype(source)
    parser = etree.iterparse(
        source,
        events=("start", "end"),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        dtd_validation=False,
    )
    level = -1
    try:
        for event, element in parser:
            if event == "start":
                level += 1
                if level == 0:
                    docinfo = element.getroottree().docinfo
                    if docinfo.doctype or docinfo.internalDTD is not None:
                        raise _doctype_refused(1)
                    if on_root is not None:
                        on_root(element)
                continue
            if level == depth:
                yield element
                # Free the record and everything before it under the same parent.
                element.clear(keep_tail=False)
                parent = element.getparent()
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
            elif isinstance(element, etree._Entity):  # pragma: no cover - never expanded
                pass
            level -= 1
    except etree.XMLSyntaxError as error:
        line = error.lineno or (error.position[0] if error.position else 0) or None
        message = _("The file is not well-formed XML: %(problem)s") % {"problem": _problem(error)}
        raise SourceInvalid([SourceError(line, message)]) from None


def _doctype_refused(line: int) -> SourceInvalid:
    return SourceInvalid(
        [
            SourceError(
                line,
                _(
                    "The file declares a document type (DOCTYPE): export files have none, and "
                    "one can hide entity bombs or read other files, so it is refused."
                ),
            )
        ]
    )


_PROLOG = 64 * 1024


def _refuse_doctype(source) -> None:
    """Look at what comes before the first element, without the parser: a DOCTYPE there is
    refused before the parser reads its declarations."""
    if not hasattr(source, "seek"):
        return
    start = source.tell()
    head = source.read(_PROLOG)
    source.seek(start)
    text = head.decode("utf-8", errors="replace")
    position = 0
    while True:
        at = text.find("<", position)
        if at < 0 or at + 1 >= len(text):
            return
        if text.startswith("<?", at) or text.startswith("<!--", at):
            end = text.find("?>" if text[at + 1] == "?" else "-->", at)
            if end < 0:
                return
            position = end + 2
            continue
        if text.startswith("<!DOCTYPE", at) or text.startswith("<!doctype", at):
            raise _doctype_refused(text.count("\n", 0, at) + 1)
        return


def _problem(error: etree.XMLSyntaxError) -> str:
    text = str(error.msg or error)
    # lxml appends ", line N, column M"; the line is said in front already.
    return text.split(", line ")[0]


def refuse_entities(element) -> None:
    """An entity reference left unexpanded in a record is refused where it stands."""
    for node in element.iter():
        if isinstance(node, etree._Entity):
            raise SourceInvalid(
                [
                    SourceError(
                        node.sourceline,
                        _("Entity references (%(name)s) are not expanded; the file is refused.")
                        % {"name": f"&{node.name};"},
                    )
                ]
            )
