#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes hybrid-8p16e.xml: a recorded-style hwloc 2 XML topology of a hybrid
desktop (Raptor Lake i9-13900K shape) that hwloc's synthetic backend cannot
express: 8 P-cores with SMT (Linux CPUs 0-15, siblings adjacent, a private 2 MiB
L2 each), 16 E-cores without SMT (CPUs 16-31, four per shared 4 MiB L2), one
36 MiB L3, one NUMA node, and two hwloc CPU kinds (E forced_efficiency 0,
P forced_efficiency 1: hwloc ranks kinds from least to most performant).
Run: python3 make_hybrid_xml.py > hybrid-8p16e.xml"""

gp = [0]


def mask(cpus):
    m = 0
    for c in cpus:
        m |= 1 << c
    return "0x%08x" % m


def obj(kind, cpus, body="", indent=2, **attrs):
    gp[0] += 1
    a = "".join(' %s="%s"' % (k, v) for k, v in attrs.items())
    pad = "  " * indent
    head = '%s<object type="%s"%s cpuset="%s" complete_cpuset="%s" nodeset="0x00000001" ' \
           'complete_nodeset="0x00000001" gp_index="%d"' % (pad, kind, a, mask(cpus), mask(cpus), gp[0])
    if not body:
        return head + "/>\n"
    return head + ">\n" + body + pad + "</object>\n"


def cache(level, size, cpus, body, indent):
    kind = "L%dCache" % level
    return obj(kind, cpus, body, indent, cache_size=size, depth=level, cache_linesize=64,
               cache_associativity=0, cache_type=0 if level > 1 else 1)


def core(core_id, pus, indent):
    inner = "".join(obj("PU", [p], "", indent + 1, os_index=p) for p in pus)
    return obj("Core", pus, inner, indent, os_index=core_id)


allcpus = list(range(32))
l2s = ""
for c in range(8):  # P-cores: CPUs 2c, 2c+1
    pus = [2 * c, 2 * c + 1]
    l2s += cache(2, 2097152, pus, cache(1, 49152, pus, core(c * 4, pus, 6), 5), 4)
for cl in range(4):  # E-core clusters of four sharing an L2
    cpus = list(range(16 + 4 * cl, 20 + 4 * cl))
    inner = "".join(cache(1, 32768, [p], core(32 + p - 16, [p], 6), 5) for p in cpus)
    l2s += cache(2, 4194304, cpus, inner, 4)

numa = obj("NUMANode", allcpus, '        <page_type size="4096" count="0"/>\n', 3, os_index=0,
           local_memory=34359738368)
package = obj("Package", allcpus, numa + cache(3, 37748736, allcpus, l2s, 3), 2, os_index=0)
print('<?xml version="1.0" encoding="UTF-8"?>')
print('<!DOCTYPE topology SYSTEM "hwloc2.dtd">')
print('<topology version="2.0">')
print('  <object type="Machine" os_index="0" cpuset="%s" complete_cpuset="%s" allowed_cpuset="%s" '
      'nodeset="0x00000001" complete_nodeset="0x00000001" allowed_nodeset="0x00000001" gp_index="%d">'
      % (mask(allcpus), mask(allcpus), mask(allcpus), 1000))
print('    <info name="Backend" value="Linux"/>')
print('    <info name="Architecture" value="x86_64"/>', end="\n")
print(package, end="")
print("  </object>")
print('  <cpukind cpuset="%s" forced_efficiency="0">' % mask(range(16, 32)))
print('    <info name="CoreType" value="IntelAtom"/>')
print('    <info name="FrequencyMaxMHz" value="4300"/>')
print("  </cpukind>")
print('  <cpukind cpuset="%s" forced_efficiency="1">' % mask(range(16)))
print('    <info name="CoreType" value="IntelCore"/>')
print('    <info name="FrequencyMaxMHz" value="5800"/>')
print("  </cpukind>")
print("</topology>")
