/* SPDX-License-Identifier: MIT */
/*
 * The out-of-line twins of lal.h's inline functions, for callers that reach
 * lal through an FFI (Rust's extern "C", C#'s P/Invoke, Python's ctypes) and
 * cannot compile a C header: with LAL_INLINE defined as LAL_API, the
 * header's own definitions become exported functions of the same names, so
 * twin and inline cannot drift apart (liburing's ffi.c does the same with
 * IOURINGINLINE). This file includes lal.h alone: every other library file
 * keeps the static inline spelling.
 */
#define LAL_INLINE LAL_API
#include "lal.h"
