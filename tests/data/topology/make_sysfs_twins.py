#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the /sys twin of each recorded hwloc XML in this directory: the files
the Linux kernel would show on that machine, for lal's /sys topology
(src/linux/topology_sysfs.c) to be checked against hwloc on the same machine
(tests/linux/test_topology_xml.c). hwloc's own Linux backend reads the twins
too (HWLOC_FSROOT), which is how the tests know a twin says what its XML says.

What is written, per the kernel's documentation
(Documentation/ABI/stable/sysfs-devices-system-cpu, admin-guide/cputopology.rst,
ABI/testing/sysfs-devices-system-cpu for caches, sysfs-devices-node):
  sys/devices/system/cpu/{online,possible,present}
  cpuN/topology/{physical_package_id,core_id,die_id,core_cpus[_list],
                 thread_siblings[_list],package_cpus[_list],core_siblings[_list]}
  cpuN/cache/indexM/{level,type,size,shared_cpu_map,shared_cpu_list,
                     coherency_line_size,ways_of_associativity,number_of_sets,
                     physical_line_partition}  (L1d, L2, L3)
  cpuN/cpufreq/cpuinfo_max_freq (kHz) from the kind's FrequencyMaxMHz, and on
    Intel hybrid parts (CoreType in the XML) base_frequency, half the maximum,
    as intel_pstate shows one per core type
  sys/devices/cpu_core/cpus, sys/devices/cpu_atom/cpus (Intel hybrid PMUs)
  sys/devices/system/node/{online,possible,has_cpu}, nodeN/{cpulist,cpumap,meminfo}
  proc/self/cgroup, proc/self/mountinfo, proc/mounts and sys/fs/cgroup/cpuset.cpus.effective:
    a cgroup2 root whose cpuset is the XML's allowed_cpuset
Run: python3 make_sysfs_twins.py OUTDIR [XML...] (default: every *.xml here);
each twin is OUTDIR/<xml name without .xml>."""
import os
import shutil
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_mask(text):
    """hwloc bitmap "0x0000000f,0xffffffff" -> set of bits."""
    value = 0
    for word in text.split(","):
        value = (value << 32) | int(word, 16)
    return {b for b in range(value.bit_length()) if value >> b & 1}


def cpulist(cpus):
    cpus = sorted(cpus)
    out, i = [], 0
    while i < len(cpus):
        j = i
        while j + 1 < len(cpus) and cpus[j + 1] == cpus[j] + 1:
            j += 1
        out.append(str(cpus[i]) if i == j else "%d-%d" % (cpus[i], cpus[j]))
        i = j + 1
    return ",".join(out)


def cpumap(cpus, ncpu):
    """The kernel's bitmap text: 32-bit hex words, most significant first."""
    words = max(1, (ncpu + 31) // 32)
    value = sum(1 << c for c in cpus)
    return ",".join("%08x" % ((value >> (32 * w)) & 0xFFFFFFFF) for w in reversed(range(words)))


class Twin:
    def __init__(self, root):
        self.root = root

    def put(self, path, text):
        full = os.path.join(self.root, path.lstrip("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text + "\n")


def machine_facts(xml_path):
    tree = ET.parse(xml_path)
    top = tree.getroot()
    machine = top.find("object")
    pus = {}  # os_index -> {"core": set, "package": (idx, set), "l1".."l3": (size, set), "node"}
    nodes = {}  # os_index -> (cpus, bytes)
    package_ids = {}
    core_ids = {}

    def walk(obj, ancestors):
        kind = obj.get("type")
        cpus = parse_mask(obj.get("cpuset", "0x0"))
        if kind == "NUMANode":
            nodes[int(obj.get("os_index"))] = (cpus, int(obj.get("local_memory", "0")))
            return
        here = ancestors + [(kind, obj, cpus)]
        if kind == "PU":
            facts = {}
            for k, o, c in here:
                if k == "Core":
                    facts["core"] = c
                    core_ids.setdefault(tuple(sorted(c)), len(core_ids))
                elif k == "Package":
                    facts["package"] = c
                    package_ids.setdefault(tuple(sorted(c)), len(package_ids))
                elif k in ("L1Cache", "L2Cache", "L3Cache"):
                    facts["l" + k[1]] = (int(o.get("cache_size")), c)
            pus[int(obj.get("os_index"))] = facts
        for child in obj.findall("object"):
            walk(child, here)

    walk(machine, [])
    allowed = parse_mask(machine.get("allowed_cpuset", machine.get("cpuset")))
    kinds = []
    for kind in top.findall("cpukind"):
        infos = {i.get("name"): i.get("value") for i in kind.findall("info")}
        kinds.append((parse_mask(kind.get("cpuset")), infos))
    return pus, nodes, package_ids, core_ids, allowed, kinds


def write_twin(xml_path, root):
    pus, nodes, package_ids, core_ids, allowed, kinds = machine_facts(xml_path)
    ncpu = max(pus) + 1
    t = Twin(root)
    cpu_dir = "sys/devices/system/cpu"
    online = cpulist(pus)
    for name in ("online", "possible", "present"):
        t.put("%s/%s" % (cpu_dir, name), online)
    intel_hybrid = any("CoreType" in infos for _, infos in kinds)
    for cpu, f in sorted(pus.items()):
        d = "%s/cpu%d" % (cpu_dir, cpu)
        core = f.get("core", {cpu})
        package = f.get("package", set(pus))
        t.put(d + "/topology/physical_package_id", str(package_ids.get(tuple(sorted(package)), 0)))
        t.put(d + "/topology/core_id", str(core_ids.get(tuple(sorted(core)), cpu)))
        t.put(d + "/topology/die_id", "0")
        for name, cpus in (("core_cpus", core), ("thread_siblings", core),
                           ("package_cpus", package), ("core_siblings", package)):
            t.put("%s/topology/%s" % (d, name), cpumap(cpus, ncpu))
            t.put("%s/topology/%s_list" % (d, name), cpulist(cpus))
        index = 0
        for level in (1, 2, 3):
            if "l%d" % level not in f:
                continue
            size, cpus = f["l%d" % level]
            c = "%s/cache/index%d" % (d, index)
            t.put(c + "/level", str(level))
            t.put(c + "/type", "Data" if level == 1 else "Unified")
            t.put(c + "/size", "%dK" % (size >> 10))
            t.put(c + "/shared_cpu_map", cpumap(cpus, ncpu))
            t.put(c + "/shared_cpu_list", cpulist(cpus))
            t.put(c + "/coherency_line_size", "64")
            t.put(c + "/ways_of_associativity", "16")
            t.put(c + "/number_of_sets", str(max(1, size // (64 * 16))))
            t.put(c + "/physical_line_partition", "1")
            index += 1
        for cpus, infos in kinds:
            if cpu in cpus and "FrequencyMaxMHz" in infos:
                mhz = int(infos["FrequencyMaxMHz"])
                t.put(d + "/cpufreq/cpuinfo_max_freq", str(mhz * 1000))
                t.put(d + "/cpufreq/cpuinfo_min_freq", "400000")
                if intel_hybrid:
                    t.put(d + "/cpufreq/base_frequency", str(mhz * 500))
    if intel_hybrid:
        for pmu, core_type in (("cpu_core", "IntelCore"), ("cpu_atom", "IntelAtom")):
            cpus = set()
            for kcpus, infos in kinds:
                if infos.get("CoreType") == core_type:
                    cpus |= kcpus
            if cpus:
                t.put("sys/devices/%s/cpus" % pmu, cpulist(cpus))
    node_dir = "sys/devices/system/node"
    if not nodes:
        nodes = {0: (set(pus), 1 << 30)}
    for name in ("online", "possible", "has_cpu", "has_memory", "has_normal_memory"):
        t.put("%s/%s" % (node_dir, name), cpulist(nodes))
    for n, (cpus, size) in sorted(nodes.items()):
        t.put("%s/node%d/cpulist" % (node_dir, n), cpulist(cpus))
        t.put("%s/node%d/cpumap" % (node_dir, n), cpumap(cpus, ncpu))
        t.put("%s/node%d/meminfo" % (node_dir, n),
              "Node %d MemTotal:       %d kB\nNode %d MemFree:        %d kB"
              % (n, size >> 10, n, size >> 11))
        t.put("%s/node%d/distance" % (node_dir, n),
              " ".join("10" if m == n else "21" for m in sorted(nodes)))
    t.put("proc/self/cgroup", "0::/")
    t.put("proc/mounts", "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime 0 0")
    t.put("proc/self/mountinfo",
          "30 1 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 "
          "cgroup2 rw,nsdelegate")
    t.put("sys/fs/cgroup/cpuset.cpus.effective", cpulist(allowed & set(pus)))


def main(argv):
    if len(argv) < 2:
        sys.exit("usage: make_sysfs_twins.py OUTDIR [XML...]")
    out = argv[1]
    xmls = argv[2:] or sorted(os.path.join(HERE, f) for f in os.listdir(HERE) if f.endswith(".xml"))
    for xml_path in xmls:
        name = os.path.basename(xml_path)[:-4]
        write_twin(xml_path, os.path.join(out, name))
    # The tuned server: server-2s-16c-smt with server-rt-root's isolcpus and
    # nohz_full lists.
    rt = os.path.join(HERE, "server-rt-root")
    server = os.path.join(HERE, "server-2s-16c-smt.xml")
    if server in xmls and os.path.isdir(rt):
        root = os.path.join(out, "server-rt")
        write_twin(server, root)
        t = Twin(root)
        for name in ("isolated", "nohz_full"):
            with open(os.path.join(rt, "sys/devices/system/cpu", name)) as f:
                t.put("sys/devices/system/cpu/" + name, f.read().strip())
    # A board whose kernel leaves one CPU without cpufreq data (hwloc then
    # puts that CPU in no kind).
    x3d = os.path.join(HERE, "x3d-2ccd.xml")
    if x3d in xmls:
        root = os.path.join(out, "x3d-2ccd-cpu31-no-cpufreq")
        write_twin(x3d, root)
        shutil.rmtree(os.path.join(root, "sys/devices/system/cpu/cpu31/cpufreq"))
    with open(os.path.join(out, "stamp"), "w") as f:
        f.write("written by make_sysfs_twins.py\n")


if __name__ == "__main__":
    main(sys.argv)
