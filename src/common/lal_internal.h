/* SPDX-License-Identifier: MIT */
/*
 * lal_internal.h — helpers shared by the common code and the OS directories.
 * Portable: no OS header.
 */
#ifndef LAL_SRC_COMMON_LAL_INTERNAL_H
#define LAL_SRC_COMMON_LAL_INTERNAL_H

#include <stddef.h>

#include "lal.h"

/* Thread-local storage and "never inline": compiler differences, not OS ones
 * (MSVC lacks C11's _Thread_local before VS 2019 16.8, and GNU attributes). */
#if defined(_MSC_VER) && !defined(__clang__)
#  define LALI_THREAD_LOCAL __declspec(thread)
#  define LALI_NOINLINE __declspec(noinline)
#else
#  define LALI_THREAD_LOCAL _Thread_local
#  define LALI_NOINLINE __attribute__((noinline))
#endif

/* Byte offset just past `field` of `type`: the size a caller's struct must at
 * least have for the library to write that field (libbpf's offsetofend). */
#define LALI_OFFSETOF_END(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

/* Largest `size` member accepted in a size-prefixed struct: anything bigger is
 * a caller that forgot the *_INIT macro, not a newer version of lal. */
#define LALI_STRUCT_SIZE_MAX 4096

/* 1 if the input struct at s (first member `size_t size`) is acceptable: size
 * at least min (the fields every supported caller has), at most
 * LALI_STRUCT_SIZE_MAX, and every byte past `known` (sizeof the struct this
 * library was built with) zero. Checked before anything is looked up. */
int lali_input_struct_ok(const void *s, size_t min, size_t known);

/* The one way input structs are read: checks src by the rule above, then
 * copies the fields the caller has over *full, which holds the defaults (its
 * *_INIT value), and sets full's size to full_size. Afterwards only *full is
 * read, so no field is read past the caller's struct. LAL_OK or LAL_EINVAL. */
int lali_input_struct_load(void *full, size_t full_size, const void *src, size_t min);

/* The fields every caller's input struct has: the size, and the first field
 * after it. Later fields take their default when an older caller's struct
 * ends before them. */
#define LALI_INPUT_MIN(type, first_field) LALI_OFFSETOF_END(type, first_field)

/* 1 if the output struct at s has room for the fields up to min and a sane
 * size (a caller that skipped the *_INIT macro is caught here). */
int lali_output_struct_ok(const void *s, size_t min);

/* The one rule for output structs, spelt once (libbpf's OPTS_VALID and
 * OPTS_SET): an output struct `p` of `type` is valid when it is there and
 * holds every field up to `last_field`, those its oldest supported callers
 * have; LALI_OUT_OPTIONAL_VALID also accepts NULL (an optional result);
 * LALI_OUT_SET hands the library's complete `full` back to it (what both
 * know copied, the caller's tail zeroed, its size kept). */
#define LALI_OUT_VALID(p, type, last_field)                                                        \
  ((p) && lali_output_struct_ok((p), LALI_OFFSETOF_END(type, last_field)))
#define LALI_OUT_OPTIONAL_VALID(p, type, last_field) (!(p) || LALI_OUT_VALID(p, type, last_field))
#define LALI_OUT_SET(p, full) lali_copy_sized_result((p), (p)->size, &(full), sizeof(full))

/* Exported from liblal.so for lal's own Linux module libraries alone
 * (liblal-uring, liblal-xdp: src/linux/modules.cmake), which share its error
 * state; not part of the API, and versioned with the library. The Linux
 * build defines it as default visibility (src/CMakeLists.txt); elsewhere it
 * is nothing. */
#ifndef LALI_MODULE_API
#  define LALI_MODULE_API
#endif

/* Records `native` as this thread's lal_last_os_error() and returns its
 * portable status. Every failed OS call inside lal ends here. */
LALI_MODULE_API int lali_fail_native(int native);

/* lali_fail_native(lali_os_native_error()): for calls that set errno /
 * GetLastError(). */
int lali_fail_os(void);

/* Hands a result struct back to a caller whose struct is dst_size bytes
 * (its `size` member): copies what both know, zeroes the caller's tail that this
 * library does not know, and keeps the caller's size member (the first field). */
void lali_copy_sized_result(void *dst, size_t dst_size, const void *src, size_t src_size);

/* Copies a NUL-terminated string into dst[size], truncating; always terminates. */
void lali_copy_string(char *dst, size_t size, const char *src);

/* Appends text to the "; "-separated list in dst[size] (a result's reason),
 * truncating; always terminates. */
void lali_append_note(char *dst, size_t size, const char *text);

/* 1 if s is a valid thread name: well-formed UTF-8, 1..255 bytes. */
int lali_thread_name_valid(const char *s);

#endif /* LAL_SRC_COMMON_LAL_INTERNAL_H */
