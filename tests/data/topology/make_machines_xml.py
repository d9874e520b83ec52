#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the hwloc 2 XML topologies of machines whose shape hwloc's synthetic
backend cannot express (caches of different sizes, several core kinds):

  x3d-2ccd.xml        Ryzen 9 7950X3D-like: 2 CCDs x 8 cores x SMT (Linux CPUs c
                      and c+16), CCD0 96 MiB L3 (V-Cache) at 5250 MHz, CCD1
                      32 MiB at 5759 MHz; two unranked kinds (hwloc issue 772)
  x3d-1ccd.xml        Ryzen 7 7800X3D-like: 8 cores x SMT, one 96 MiB L3
  strix-point.xml     Ryzen AI 9 HX 370-like: 4 Zen 5 (16 MiB L3, 5100 MHz) +
                      8 Zen 5c (8 MiB L3, 3300 MHz), SMT everywhere (c, c+12)
  meteor-lake.xml     Core Ultra 7 155H-like: 6 P-cores with SMT (0-11), 8 E-cores
                      in 2 L2 clusters (12-19) under the 24 MiB L3, 2 low-power
                      E-cores (20-21) on the SoC tile with no L3; three kinds
  threadripper-128.xml  64 cores x SMT in 8 CCDs of 32 MiB (Linux CPUs c, c+64)

Composed by hand from the vendors' published cache sizes and clocks and the
Linux CPU numbering of such machines (hwloc's tests/hwloc/xml holds no X3D,
Strix Point or Meteor Lake recording). Run: python3 make_machines_xml.py DIR"""
import os
import sys

MiB = 1 << 20


class Writer:
    def __init__(self, ncpu):
        self.gp = 0
        self.width = (ncpu + 31) // 32

    def mask(self, cpus):
        m = 0
        for c in cpus:
            m |= 1 << c
        words = ["%08x" % ((m >> (32 * i)) & 0xFFFFFFFF) for i in reversed(range(self.width))]
        return "0x" + ",0x".join(words)

    def obj(self, kind, cpus, body="", indent=2, **attrs):
        self.gp += 1
        a = "".join(' %s="%s"' % (k, v) for k, v in attrs.items())
        pad = "  " * indent
        m = self.mask(cpus)
        head = ('%s<object type="%s"%s cpuset="%s" complete_cpuset="%s" nodeset="0x00000001" '
                'complete_nodeset="0x00000001" gp_index="%d"' % (pad, kind, a, m, m, self.gp))
        if not body:
            return head + "/>\n"
        return head + ">\n" + body + pad + "</object>\n"

    def cache(self, level, size, cpus, body, indent):
        return self.obj("L%dCache" % level, cpus, body, indent, cache_size=size, depth=level,
                        cache_linesize=64, cache_associativity=0,
                        cache_type=0 if level > 1 else 1)


def machine(ncpu, clusters, kinds, l3s):
    """clusters: [(l2_bytes, [core pu lists])]; l3s: [(l3_bytes or 0, [cluster idx])];
    kinds: [(cpus, forced_efficiency or None, core_type or None, max_mhz)]."""
    w = Writer(ncpu)
    core_id = [0]

    def cluster_xml(c, indent):
        l2, cores = clusters[c]
        inner = ""
        for pus in cores:
            core = w.obj("Core", pus,
                         "".join(w.obj("PU", [p], "", indent + 3, os_index=p) for p in pus),
                         indent + 2, os_index=core_id[0])
            core_id[0] += 1
            inner += w.cache(1, 49152, pus, core, indent + 1)
        return w.cache(2, l2, sum(cores, []), inner, indent)

    allcpus = list(range(ncpu))
    body = ""
    for size, members in l3s:
        cpus = sum((sum(clusters[c][1], []) for c in members), [])
        if size:
            body += w.cache(3, size, cpus, "".join(cluster_xml(c, 4) for c in members), 3)
        else:
            body += "".join(cluster_xml(c, 3) for c in members)
    numa = w.obj("NUMANode", allcpus, '        <page_type size="4096" count="0"/>\n', 3,
                 os_index=0, local_memory=34359738368)
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<!DOCTYPE topology SYSTEM "hwloc2.dtd">',
           '<topology version="2.0">',
           '  <object type="Machine" os_index="0" cpuset="%s" complete_cpuset="%s" '
           'allowed_cpuset="%s" nodeset="0x00000001" complete_nodeset="0x00000001" '
           'allowed_nodeset="0x00000001" gp_index="100000">'
           % (w.mask(allcpus), w.mask(allcpus), w.mask(allcpus)),
           '    <info name="Backend" value="Linux"/>',
           '    <info name="Architecture" value="x86_64"/>']
    out.append(w.obj("Package", allcpus, numa + body, 2, os_index=0).rstrip("\n"))
    out.append("  </object>")
    for cpus, eff, core_type, mhz in kinds:
        forced = ' forced_efficiency="%d"' % eff if eff is not None else ""
        out.append('  <cpukind cpuset="%s"%s>' % (w.mask(cpus), forced))
        if core_type:
            out.append('    <info name="CoreType" value="%s"/>' % core_type)
        out.append('    <info name="FrequencyMaxMHz" value="%d"/>' % mhz)
        out.append("  </cpukind>")
    out.append("</topology>")
    return "\n".join(out) + "\n"


def smt_cores(first, n, sibling_offset):
    return [[c, c + sibling_offset] for c in range(first, first + n)]


def write(directory, name, text):
    with open(os.path.join(directory, name), "w") as f:
        f.write(text)


def main(directory):
    # Zen 4 CCDs: 1 MiB L2 per core; the V-Cache CCD runs at lower clocks.
    x3d = [(1 * MiB, [core]) for core in smt_cores(0, 16, 16)]
    write(directory, "x3d-2ccd.xml",
          machine(32, x3d,
                  [(list(range(0, 8)) + list(range(16, 24)), None, None, 5250),
                   (list(range(8, 16)) + list(range(24, 32)), None, None, 5759)],
                  [(96 * MiB, range(0, 8)), (32 * MiB, range(8, 16))]))
    x1 = [(1 * MiB, [core]) for core in smt_cores(0, 8, 8)]
    write(directory, "x3d-1ccd.xml", machine(16, x1, [], [(96 * MiB, range(8))]))
    # Zen 5 and Zen 5c both have SMT and 1 MiB L2; each CCX its own L3.
    strix = [(1 * MiB, [core]) for core in smt_cores(0, 12, 12)]
    write(directory, "strix-point.xml",
          machine(24, strix,
                  [(list(range(0, 4)) + list(range(12, 16)), None, None, 5100),
                   (list(range(4, 12)) + list(range(16, 24)), None, None, 3300)],
                  [(16 * MiB, range(0, 4)), (8 * MiB, range(4, 12))]))
    # Meteor Lake: P-cores 2 MiB L2 each, E-core clusters of 4 share 2 MiB,
    # the two low-power E-cores share 2 MiB and have no L3.
    mtl = [(2 * MiB, [[2 * c, 2 * c + 1]]) for c in range(6)]
    mtl += [(2 * MiB, [[c] for c in range(12, 16)]), (2 * MiB, [[c] for c in range(16, 20)])]
    mtl += [(2 * MiB, [[20], [21]])]
    write(directory, "meteor-lake.xml",
          machine(22, mtl,
                  [([20, 21], 0, "IntelAtom", 2500), (list(range(12, 20)), 1, "IntelAtom", 3800),
                   (list(range(0, 12)), 2, "IntelCore", 4800)],
                  [(24 * MiB, range(0, 8)), (0, [8])]))
    tr = [(1 * MiB, [core]) for core in smt_cores(0, 64, 64)]
    write(directory, "threadripper-128.xml",
          machine(128, tr, [], [(32 * MiB, range(8 * d, 8 * d + 8)) for d in range(8)]))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
