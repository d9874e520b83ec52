# SPDX-License-Identifier: MIT
"""The public headers' declarations and the comments that document them,
read one way for every script that needs them (check-statuses.py,
gen-man3.py): a declaration is `LAL_API ...` or `LAL_INLINE ...` up to its
`);`, and its comment is the comment block above it (one block may document
a group of declarations)."""
import os
import re

DECL = re.compile(r"^(LAL_API|LAL_INLINE)\s+(.*?\b(lal_[a-z0-9_]+)\s*\(.*?\));", re.S | re.M)


def headers(repo, inline=True):
    """(include name, path) of lal.h and include/lal/*.h; inline=False
    leaves out the *_inline.h files, which hold definitions lal.h declares."""
    found = [("lal.h", os.path.join(repo, "include", "lal.h"))]
    for name in sorted(os.listdir(os.path.join(repo, "include", "lal"))):
        if name.endswith(".h") and (inline or not name.endswith("_inline.h")):
            found.append((f"lal/{name}", os.path.join(repo, "include", "lal", name)))
    return found


def declarations(repo, inline=True):
    """Yields (include, name, declaration on one line, comment start, comment)
    for each function declaration, in header order."""
    for include, path in headers(repo, inline):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for m in DECL.finditer(text):
            before = text[: m.start()]
            end = before.rfind("*/")
            start = before.rfind("/*", 0, end)
            comment = before[start : end + 2] if end >= 0 else ""
            decl = re.sub(r"\s+", " ", m.group(2)).strip() + ";"
            yield include, m.group(3), decl, start, comment


if __name__ == "__main__":
    import sys

    # The public function names, one per line (tests/docs-check.sh).
    for name in sorted({d[1] for d in declarations(sys.argv[1]) if not d[1].startswith("lal_impl_")}):
        print(name)
