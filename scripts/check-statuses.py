#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every status a public function's own code returns is named in its comment.

For each function the public headers declare (scripts/lal_headers.py), its
comment is the comment block above its declaration (one block may document a
group of functions). Its code is its definition in src/common, src/linux and
src/windows (both OSes: a status either OS returns counts). Every LAL_E*
status in a `return` statement of that code, or assigned to a variable there
(`rc = q ? ... : LAL_ENOMEM;`), must appear in the comment; a comparison (`rc == LAL_ENOENT ? ...`) is not a return of that status.
Statuses that arrive from an OS call through the one translator (lali_fail_*)
are documented as "as the kernel answers" and are not enumerated here: this
check sees what the function itself decides. Exit 1 listing each gap.
  check-statuses.py [REPO_DIR]
"""
import glob
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lal_headers import declarations  # noqa: E402

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
os.chdir(root)
STATUS = re.compile(r"\bLAL_E[A-Z]+\b")
COMPARED = re.compile(r"(?:[=!]=\s*LAL_E[A-Z]+\b|\bLAL_E[A-Z]+\s*[=!]=)")

docs = {}
for include, name, _, _, comment in declarations("."):
    if name not in docs:  # a LAL_INLINE definition repeats lal.h's declaration
        docs[name] = (include, comment)

returned = {}
for source in sorted(glob.glob("src/common/*.c") + glob.glob("src/linux/*.c") +
                     glob.glob("src/windows/*.c")):
    text = open(source, encoding="utf-8").read()
    for m in re.finditer(r"^[a-z][^;\n(]*\b(lal_[a-z0-9_]+)\([^)]*\)\s*\{", text, re.M):
        i, depth = m.end(), 1
        while depth and i < len(text):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        body = text[m.end() : i]
        # A return, or a status assigned to the variable the function then
        # returns (`rc = q ? ... : LAL_ENOMEM;`).
        for ret in re.findall(r"\breturn\b[^;]*;|\b\w+\s*=(?!=)[^;]*;", body):
            returned.setdefault(m.group(1), set()).update(STATUS.findall(COMPARED.sub("", ret)))

gaps = 0
for name, (header, doc) in sorted(docs.items()):
    missing = returned.get(name, set()) - set(STATUS.findall(doc))
    if missing:
        gaps += 1
        print(f"check-statuses: {name} ({header}) returns {', '.join(sorted(missing))} "
              "but its comment does not say so")
print(f"check-statuses: {len(docs)} public functions, {sum(1 for n in docs if n in returned)} "
      f"defined in src, {gaps} with an undocumented one")
sys.exit(1 if gaps else 0)
