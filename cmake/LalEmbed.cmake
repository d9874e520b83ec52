# SPDX-License-Identifier: MIT
# cmake -DIN=file.o -DOUT=file.c -DNAME=symbol -P LalEmbed.cmake
# Writes OUT defining `const unsigned char NAME[]` with IN's bytes and
# `const size_t NAME_len`: the BPF object travels inside the library.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" n)
math(EXPR bytes "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
string(REGEX REPLACE "((0x..,){16})" "\\1\n  " body "${body}")
file(WRITE ${OUT} "/* Generated from ${IN} by cmake/LalEmbed.cmake. */\n#include <stddef.h>\n"
     "const unsigned char ${NAME}[] = {\n  ${body}\n};\nconst size_t ${NAME}_len = ${bytes};\n")
