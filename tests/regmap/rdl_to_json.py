"""Compiles a SystemRDL file with systemrdl-compiler (PeakRDL's front end) and prints what
tests/regmap.rs compares with the Rust description: every register (arrays folded), its
offset, element count and stride, privilege properties, and every field's bits, access
properties, reset and named values, as JSON."""

import json
import sys

from systemrdl import RDLCompiler


def name(value):
    return None if value is None else value.name


def field(f):
    encode = f.get_property("encode")
    return {
        "name": f.inst_name,
        "lsb": f.lsb,
        "width": f.width,
        "sw": name(f.get_property("sw")),
        "hw": name(f.get_property("hw")),
        "onwrite": name(f.get_property("onwrite")),
        "swacc": f.get_property("swacc"),
        "we": f.get_property("we"),
        "hwset": f.get_property("hwset"),
        "reset": f.get_property("reset"),
        "values": None if encode is None else [[m.name, m.value] for m in encode],
    }


def register(r):
    return {
        "name": r.inst_name,
        "offset": r.raw_address_offset,
        "count": r.array_dimensions[0] if r.is_array else 1,
        "stride": r.array_stride if r.is_array else None,
        "privileged_read": r.get_property("scu_privileged_read", default=False),
        "privileged_write": r.get_property("scu_privileged_write", default=False),
        "fields": [field(f) for f in r.fields()],
    }


compiler = RDLCompiler()
compiler.compile_file(sys.argv[1])
top = compiler.elaborate().top
print(json.dumps({"name": top.inst_name, "registers": [register(r) for r in top.children(unroll=False)]}))
