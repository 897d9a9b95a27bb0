#!/usr/bin/python3
"""Differential oracle for the Go canonicalizer: prints, for every element of
each input file (in document order) and for the whole document, its C14N 1.0
and exclusive C14N 1.0 forms (with and without comments, and exclusive with an
InclusiveNamespaces PrefixList) as computed by lxml (libxml2). One JSON object
per line.
lxml passes "#default" in a prefix list to libxml2 only if that string happens
to be in the document's name dictionary, and its element-level inclusive C14N
works on a detached "fake root" copy that mishandles xmlns="" (it renders
xmlns="" on elements that inherit a non-empty default namespace), so the Go
test compares inclusive forms of whole documents only, and "#default" is
covered by hand-checked cases: {"file", "element" (-1 = document), "mode", "out" (base64)}.
Written for this project's tests; needs Debian python3-lxml."""
import base64, json, sys
from lxml import etree

MODES = [
    ("inc", False, False, None),
    ("incC", False, True, None),
    ("exc", True, False, None),
    ("excC", True, True, None),
    ("excP", True, False, ["a", "ns2", "xsi", "r"]),
]

for path in sys.argv[1:]:
    raw = open(path, "rb").read()
    try:
        doc = etree.fromstring(raw, etree.XMLParser(resolve_entities=False, huge_tree=True))
    except etree.XMLSyntaxError as e:
        print(json.dumps({"file": path, "element": -2, "mode": "error", "out": ""}))
        continue
    tree = doc.getroottree()
    els = [e for e in doc.iter() if isinstance(e.tag, str)]
    targets = [(-1, tree)] + list(enumerate(els))
    for idx, node in targets:
        for name, excl, comm, pl in MODES:
            kw = dict(method="c14n", exclusive=excl, with_comments=comm)
            if pl:
                kw["inclusive_ns_prefixes"] = pl
            out = etree.tostring(node, **kw)
            print(json.dumps({"file": path, "element": idx, "mode": name,
                              "out": base64.b64encode(out).decode()}))
