#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Check that Documentation/netlink/specs/fastboot.yaml describes exactly
# include/uapi/linux/usb/fastboot.h: every enum of the header is rendered
# from the spec the way the genetlink-c code generator names things
# (name-prefix + upper-case name, dashes as underscores, values counted
# from value/value-start), and compared name for name, value for value,
# with the defines for the family name, version and multicast group.
# Prints TAP; exit 0 if everything matches.
#
#   fastboot_nl_spec.py [TOP]     TOP: project root (default: from here)

import os
import re
import sys

import yaml

TOP = sys.argv[1] if len(sys.argv) > 1 else \
    os.path.abspath(os.path.join(os.path.dirname(__file__), "../../../../.."))
SPEC = os.path.join(TOP, "Documentation/netlink/specs/fastboot.yaml")
HDR = os.path.join(TOP, "include/uapi/linux/usb/fastboot.h")

# Keys the genetlink-c schema allows (the kernel's
# Documentation/netlink/genetlink-c.yaml).
TOP_KEYS = {"name", "doc", "protocol", "uapi-header", "c-family-name",
            "c-version-name", "max-by-define", "cmd-max-name",
            "cmd-cnt-name", "definitions", "attribute-sets", "operations",
            "mcast-groups"}
DEF_KEYS = {"name", "header", "type", "doc", "value", "value-start",
            "entries", "render-max", "enum-name", "name-prefix"}
SET_KEYS = {"name", "name-prefix", "enum-name", "doc", "subset-of",
            "attr-cnt-name", "attr-max-name", "attributes"}
ATTR_KEYS = {"name", "type", "doc", "value", "type-value", "byte-order",
             "multi-attr", "nested-attributes", "enum", "enum-as-flags",
             "checks", "sub-type", "display-hint", "name-prefix"}
ATTR_TYPES = {"unused", "pad", "flag", "binary", "uint", "sint", "u8",
              "u16", "u32", "u64", "s32", "s64", "string", "nest",
              "array-nest", "nest-type-value"}
OPS_KEYS = {"enum-model", "name-prefix", "enum-name", "async-prefix",
            "async-enum", "list"}
OP_KEYS = {"name", "doc", "value", "attribute-set", "flags",
           "dont-validate", "config-cond", "do", "dump", "notify", "event",
           "mcgrp"}

n = 0
failed = 0


def result(ok, desc, diag=()):
    global n, failed
    n += 1
    if not ok:
        failed += 1
    print(("ok" if ok else "not ok") + " %d - %s" % (n, desc))
    for d in diag:
        print("# " + d)


def c_name(prefix, name):
    return (prefix + name).upper().replace("-", "_")


def header_enums(text):
    enums = {}
    for m in re.finditer(r"enum\s+(\w+)\s*\{(.*?)\};", text, re.S):
        body = re.sub(r"/\*.*?\*/", "", m.group(2), flags=re.S)
        vals, nxt = [], 0
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            if "=" in item:
                name, expr = [s.strip() for s in item.split("=", 1)]
                ref = re.match(r"(\w+)\s*-\s*1$", expr)
                if ref:
                    val = dict(vals)[ref.group(1)] - 1
                else:
                    val = int(expr, 0)
            else:
                name, val = item, nxt
            vals.append((name, val))
            nxt = val + 1
        enums[m.group(1)] = vals
    return enums


def header_defines(text):
    return dict(re.findall(r"#define[ \t]+(\w+)[ \t]+(\S+)", text))


def unknown_keys(obj, allowed, where):
    return ["%s: key '%s' not in the genetlink-c schema" % (where, k)
            for k in obj if k not in allowed]


def main():
    spec = yaml.safe_load(open(SPEC))
    text = open(HDR).read()
    enums = header_enums(text)
    defines = header_defines(text)

    # Schema keys.
    bad = unknown_keys(spec, TOP_KEYS, "top")
    for d in spec.get("definitions", []):
        bad += unknown_keys(d, DEF_KEYS, "definition " + d["name"])
    for s in spec["attribute-sets"]:
        bad += unknown_keys(s, SET_KEYS, "attribute-set " + s["name"])
        for a in s["attributes"]:
            bad += unknown_keys(a, ATTR_KEYS, "attribute " + a["name"])
            if a.get("type") not in ATTR_TYPES:
                bad.append("attribute %s: type %s" % (a["name"], a.get("type")))
    bad += unknown_keys(spec["operations"], OPS_KEYS, "operations")
    for o in spec["operations"]["list"]:
        bad += unknown_keys(o, OP_KEYS, "operation " + o["name"])
        if "doc" not in o:
            bad.append("operation %s: no doc" % o["name"])
    for k in ("name", "doc", "attribute-sets", "operations"):
        if k not in spec:
            bad.append("top: required key '%s' missing" % k)
    if spec.get("protocol") != "genetlink-c":
        bad.append("protocol is not genetlink-c")
    result(not bad, "spec uses only genetlink-c schema keys", bad)

    # Defines.
    want = {
        spec["c-family-name"]: '"%s"' % spec["name"],
        spec["c-version-name"]: None,
    }
    for g in spec["mcast-groups"]["list"]:
        want[g["c-define-name"]] = '"%s"' % g["name"]
    bad = []
    for name, val in want.items():
        if name not in defines:
            bad.append("header lacks #define %s" % name)
        elif val is not None and defines[name] != val:
            bad.append("%s is %s, spec says %s" % (name, defines[name], val))
    result(not bad, "family name, version and group defines", bad)

    # Enum definitions.
    for d in spec.get("definitions", []):
        if d["type"] != "enum":
            continue
        prefix = d.get("name-prefix", spec["name"] + "-" + d["name"] + "-")
        val = d.get("value-start", 0)
        exp = []
        for e in d["entries"]:
            e = e if isinstance(e, dict) else {"name": e}
            val = e.get("value", val)
            exp.append((c_name(prefix, e["name"]), val))
            val += 1
        if d.get("render-max"):
            exp.append(("__" + c_name(prefix, "max"), val))
            exp.append((c_name(prefix, "max"), val - 1))
        got = enums.get(d["enum-name"])
        result(got == exp, "enum %s matches" % d["enum-name"],
               ["spec:   %s" % exp, "header: %s" % got] if got != exp else [])

    # Attributes.
    for s in spec["attribute-sets"]:
        val, exp = 1, []
        for a in s["attributes"]:
            val = a.get("value", val)
            exp.append((c_name(s["name-prefix"], a["name"]), val))
            val += 1
        exp.append((s["attr-cnt-name"], val))
        exp.append((s["attr-max-name"], val - 1))
        got = enums.get(s["enum-name"])
        result(got == exp, "enum %s matches" % s["enum-name"],
               ["spec:   %s" % exp, "header: %s" % got] if got != exp else [])

    # Commands (0 is the header's FASTBOOT_CMD_UNSPEC, not a message).
    ops = spec["operations"]
    val, exp = 1, [(c_name(ops["name-prefix"], "unspec"), 0)]
    for o in ops["list"]:
        val = o.get("value", val)
        exp.append((c_name(ops["name-prefix"], o["name"]), val))
        val += 1
    exp.append((spec["cmd-cnt-name"], val))
    exp.append((spec["cmd-max-name"], val - 1))
    got = enums.get(ops["enum-name"])
    result(got == exp, "enum %s matches" % ops["enum-name"],
           ["spec:   %s" % exp, "header: %s" % got] if got != exp else [])

    # Every attribute an operation names exists; events name a group.
    names = {a["name"] for s in spec["attribute-sets"]
             for a in s["attributes"]}
    groups = {g["name"] for g in spec["mcast-groups"]["list"]}
    bad = []
    for o in ops["list"]:
        for part in ("do", "dump"):
            for sub in ("request", "reply"):
                for a in o.get(part, {}).get(sub, {}).get("attributes", []):
                    if a not in names:
                        bad.append("%s %s: no attribute %s" % (o["name"], part, a))
        for a in o.get("event", {}).get("attributes", []):
            if a not in names:
                bad.append("%s event: no attribute %s" % (o["name"], a))
        if "mcgrp" in o and o["mcgrp"] not in groups:
            bad.append("%s: no group %s" % (o["name"], o["mcgrp"]))
    result(not bad, "operations name existing attributes and groups", bad)

    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
