#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Each recorded machine's expected `lal doctor --json`, kept beside it as
data (tests/data/machines/<machine>/expected-doctor.json, as hwloc keeps a
.console beside each recorded Linux tree), compared with what this build's
doctor says of the recording. Every field of every finding counts; only the
document's "version" (lal's release) is left out, so a release does not
re-record every machine.

  recorded_machines.py LAL MACHINES_DIR            compare (exit 1 on a difference)
  recorded_machines.py LAL MACHINES_DIR --record   write the expected files anew
                                                   (review the diff before committing)
A machine is a folder with proc/ or sys/ in it; one without an expected
file fails the comparison: every recording states what it must give.
"""
import json
import os
import subprocess
import sys

EXPECTED = "expected-doctor.json"


def doctor(lal, root):
    out = subprocess.run([lal, "doctor", "--json", "--root", root], capture_output=True,
                         text=True, check=False)
    # --strict is not passed: the exit status is 0 whatever the findings.
    if out.returncode != 0:
        raise RuntimeError(f"lal doctor --root {root} exited {out.returncode}: {out.stderr}")
    doc = json.loads(out.stdout)
    doc.pop("version", None)
    return doc


def differences(machine, want, got):
    if want.get("schema") != got.get("schema"):
        yield f"{machine}: schema {got.get('schema')!r}, expected {want.get('schema')!r}"
    w = {f["check"]: f for f in want.get("findings", [])}
    g = {f["check"]: f for f in got.get("findings", [])}
    if [f["check"] for f in want.get("findings", [])] != [f["check"] for f in got.get("findings", [])]:
        yield f"{machine}: checks {list(g)} , expected {list(w)}"
    for check in w:
        if check not in g:
            continue
        for key in sorted(set(w[check]) | set(g[check])):
            if w[check].get(key) != g[check].get(key):
                yield (f"{machine}: {check}.{key} is {g[check].get(key)!r}, "
                       f"expected {w[check].get(key)!r}")
    for key in sorted((set(want) | set(got)) - {"findings", "schema"}):
        if want.get(key) != got.get(key):
            yield f"{machine}: {key} is {got.get(key)!r}, expected {want.get(key)!r}"


def main():
    if len(sys.argv) not in (3, 4) or (len(sys.argv) == 4 and sys.argv[3] != "--record"):
        sys.exit(__doc__)
    lal, machines = sys.argv[1], sys.argv[2]
    record = len(sys.argv) == 4
    failures, checked = [], 0
    for machine in sorted(os.listdir(machines)):
        root = os.path.join(machines, machine)
        if not (os.path.isdir(os.path.join(root, "proc")) or
                os.path.isdir(os.path.join(root, "sys"))):
            continue
        got = doctor(lal, root)
        path = os.path.join(root, EXPECTED)
        if record:
            with open(path, "w", encoding="utf-8") as f:
                json.dump(got, f, indent=2, ensure_ascii=False)
                f.write("\n")
            print(f"recorded-machines: wrote {path}")
            continue
        if not os.path.exists(path):
            failures.append(f"{machine}: no {EXPECTED} (record it: {sys.argv[0]} LAL DIR --record)")
            continue
        with open(path, encoding="utf-8") as f:
            want = json.load(f)
        found = list(differences(machine, want, got))
        failures += found
        checked += 1
        print(f"recorded-machines: {machine}: {len(got.get('findings', []))} findings, "
              f"{'as expected' if not found else f'{len(found)} differ'}")
    for line in failures:
        print("recorded-machines: " + line)
    if not record:
        print(f"recorded-machines: {checked} machines compared, {len(failures)} differences")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
