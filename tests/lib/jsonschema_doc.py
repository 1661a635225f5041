#!/usr/bin/env python3
"""jsonschema_doc.py MAN SCHEMA FILE — does the JSON document in FILE agree
with the table of SCHEMA ("lvsd-status/1") in the man page MAN, both ways?
Every documented field is there with its documented type (fields below a
null object or an empty array are checked where they occur), and every
field of the output is documented. Exit 0, or 1 with each difference."""
import json
import sys

TYPES = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}


def table(man, schema):
    rows, inside = {}, False
    for line in open(man, encoding="utf-8"):
        if line.startswith('.\\" json %s begin' % schema):
            inside = True
            continue
        if line.startswith('.\\" json %s end' % schema):
            return rows
        if inside and line.strip() and not line.startswith("."):
            w = line.split()
            if len(w) < 2:
                sys.exit("%s: a row without a type: %r" % (man, line))
            rows[w[0]] = w[1].split("|")
    sys.exit("%s: no table for %s" % (man, schema))


def walk(v, path, seen):
    """Every (path, value) of the document: objects by key, arrays of
    objects as path[] (an array of strings is one field)."""
    if path:
        seen.setdefault(path, []).append(v)
    if isinstance(v, dict):
        for k, x in v.items():
            walk(x, (path + "." if path else "") + k, seen)
    elif isinstance(v, list):
        for x in v:
            if isinstance(x, dict):
                walk(x, path + "[]", seen)


def parent_of(p):
    if p.endswith("[]"):
        return p[:-2]
    return p.rsplit(".", 1)[0] if "." in p else ""


def absent_ok(p, seen):
    """p may be missing: what holds it is missing too, or null / empty
    wherever it occurs."""
    par = parent_of(p)
    if not par:
        return False
    if par in seen:
        return all(v is None or v == [] for v in seen[par])
    return absent_ok(par, seen)


def main():
    man, schema, path = sys.argv[1:4]
    rows = table(man, schema)
    doc = json.load(open(path, encoding="ascii"))
    errs = []
    if doc.get("schema") != schema:
        errs.append("schema is %r, not %r" % (doc.get("schema"), schema))
    seen = {}
    walk(doc, "", seen)
    for p, vals in seen.items():
        if p.endswith("[]"):
            continue  # the elements of a documented array
        if p not in rows:
            errs.append("%s: in the output, not documented" % p)
            continue
        for v in vals:
            if not any(TYPES[t](v) for t in rows[p]):
                errs.append("%s: %r is not %s" % (p, v, "|".join(rows[p])))
    for p in rows:
        if p not in seen and not absent_ok(p, seen):
            errs.append("%s: documented, not in the output" % p)
    for e in errs:
        print("FAIL: %s %s" % (schema, e))
    print("%s: %d documented fields, %d in the output, %d differences" %
          (schema, len(rows), len([p for p in seen if not p.endswith("[]")]),
           len(errs)))
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
