"""Reading export files of any size as XML, safely.

lxml's iterparse with everything that reaches outside the file turned off: no DTD loaded, no
entity expanded, no network, no huge-tree mode. A file that declares a document type at all is
refused before its first element is read (Disqus and WordPress exports never have one; a DTD
is how billion-laughs and external-entity files attack). Elements are handed out as they
close and then dropped, so memory holds one record at a time (docs/decisions/0013).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from django.utils.translation import gettext as _
from lxml import etree

from minbar.archive.sources import SourceError, SourceInvalid


def local(tag: object) -> str:
    """The name of a tag without its namespace (`{uri}name` → `name`)."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def namespace(tag: object) -> str:
    return tag[1:].partition("}")[0] if isinstance(tag, str) and tag[:1] == "{" else ""


# An lxml element (lxml ships no types).
Element = Any


def children(element: Element) -> dict[str, Element]:
    """The first child of each name (namespace left out), in one pass."""
    found: dict[str, Element] = {}
    for item in element:
        name = local(item.tag)
        if name not in found:
            found[name] = item
    return found


def text_of(element: Element, name: str, ns: str | None = None) -> str:
    """The text of the first child called `name` (in `ns`, or any namespace), or ""."""
    for child in element:
        if local(child.tag) == name and (ns is None or namespace(child.tag) == ns):
            return child.text or ""
    return ""


def child(element: Element, name: str) -> Element | None:
    for item in element:
        if local(item.tag) == name:
            return item
    return None


def records(
    source: BinaryIO | str,
    *,
    depth: int,
    tags: list[str],
    on_root: Callable[[Element], None] | None = None,
) -> Iterator[Element]:
    """Every element named in `tags` (`{*}post`: any namespace) that sits `depth` levels
    below the root (1: the root's children), once it has closed; the caller reads it before
    asking for the next one, which frees it and everything before it. Only those elements
    reach Python; the parser skips the rest in C.

    Raises SourceInvalid with the line for anything that is not well-formed XML, or that
    declares a document type.
    """
    _refuse_doctype(source)
    parser = etree.iterparse(
        source,
        events=("end",),
        tag=tags,
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        dtd_validation=False,
    )
    root_seen = False
    try:
        for _event, element in parser:
            if not root_seen:
                root_seen = True
                _check_root(element.getroottree(), on_root)
            if _depth(element) != depth:
                continue
            yield element
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
        if not root_seen and parser.root is not None:
            _check_root(parser.root.getroottree(), on_root)
    except etree.XMLSyntaxError as error:
        line = error.lineno or (error.position[0] if error.position else 0) or None
        message = _("The file is not well-formed XML: %(problem)s") % {"problem": _problem(error)}
        raise SourceInvalid([SourceError(line, message)]) from None


def _check_root(tree: Any, on_root: Callable[[Element], None] | None) -> None:
    docinfo = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _doctype_refused(1)
    if on_root is not None:
        on_root(tree.getroot())


def _depth(element: Element) -> int:
    depth = 0
    parent = element.getparent()
    while parent is not None:
        depth += 1
        parent = parent.getparent()
    return depth


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


def _refuse_doctype(source: BinaryIO | str) -> None:
    """Look at what comes before the first element, without the parser: a DOCTYPE there is
    refused before the parser reads its declarations."""
    if isinstance(source, str) or not hasattr(source, "seek"):
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


def refuse_entities(element: Element) -> None:
    """An entity reference left unexpanded in a record is refused where it stands."""
    for node in element.iter(etree.Entity):
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
