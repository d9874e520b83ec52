#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Section-3 man pages of lal's public API, generated from the header comments.

For each comment block that documents LAL_API (or LAL_INLINE) declarations
in include/lal.h and include/lal/*.h, one page named after the first
function it documents: NAME (every function of the group), SYNOPSIS (the
#include and the declarations, as written), DESCRIPTION (the comment, which
says what each does, each status it returns and what it costs). Every other
function of the group gets a page that sources the first (.so), as
man-pages does for a family. The header comments are the one source; the
pages are written at build time and installed by the dev package.
  gen-man3.py REPO_DIR OUT_DIR VERSION
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lal_headers import declarations  # noqa: E402

repo, out, version = sys.argv[1:4]
os.makedirs(out, exist_ok=True)


def roff(text):
    lines = []
    for line in text.split("\n"):
        line = line.replace("\\", "\\e")
        if line.startswith((".", "'")):
            line = "\\&" + line
        # groff reads ASCII; other characters as its Unicode escapes.
        line = "".join(c if ord(c) < 128 else f"\\[u{ord(c):04X}]" for c in line)
        lines.append(line)
    return "\n".join(lines)


def comment_text(block):
    body = block[2:-2]
    lines = [re.sub(r"^\s*\* ?", "", l) for l in body.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


groups = {}  # (include, comment start) -> (include, comment, [(name, decl)])
for include, name, decl, start, comment in declarations(repo, inline=False):
    if comment:
        groups.setdefault((include, start), (include, comment, []))[2].append((name, decl))
pages = 0
for include, comment, funcs in groups.values():
    first = funcs[0][0]
    names = ", ".join(f for f, _ in funcs)
    summary = comment_text(comment).split("\n")[0]
    summary = re.sub(r"^lal_[a-z0-9_]+:\s*", "", summary).rstrip(".")
    page = [
        f'.\\" SPDX-License-Identifier: MIT',
        f'.\\" Generated from {include} by scripts/gen-man3.py: edit the header comment.',
        f'.TH {first.upper()} 3 2026-12-07 "lal {version}" "lal manual"',
        ".SH NAME",
        f"{roff(names)} \\- {roff(summary)}",
        ".SH SYNOPSIS",
        ".nf",
        f".B #include <{include}>",
        ".PP",
    ]
    for _, decl in funcs:
        page.append(roff(decl))
    page += [".fi", ".SH DESCRIPTION", ".nf", roff(comment_text(comment)), ".fi",
             ".SH SEE ALSO", "lal(1), lal-bench(1), lal-compare(1)"]
    with open(os.path.join(out, f"{first}.3"), "w", encoding="utf-8") as f:
        f.write("\n".join(page) + "\n")
    pages += 1
    for name, _ in funcs[1:]:
        with open(os.path.join(out, f"{name}.3"), "w", encoding="utf-8") as f:
            f.write(f".so man3/{first}.3\n")
        pages += 1
print(f"gen-man3: {pages} pages in {out}")
