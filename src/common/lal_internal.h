/* SPDX-License-Identifier: MIT */
/*
 * lal_internal.h — helpers shared by the common code and the OS directories.
 * Portable: no OS header.
 */
#ifndef LAL_INTERNAL_H
#define LAL_INTERNAL_H

#include <stddef.h>

#include "lal.h"

/* Thread-local storage and "never inline": compiler differences, not OS ones
 * (MSVC lacks C11's _Thread_local before VS 2019 16.8, and GNU attributes). */
#if defined(_MSC_VER) && !defined(__clang__)
#  define LAL__THREAD_LOCAL __declspec(thread)
#  define LAL__NOINLINE __declspec(noinline)
#else
#  define LAL__THREAD_LOCAL _Thread_local
#  define LAL__NOINLINE __attribute__((noinline))
#endif

/* Byte offset just past `field` of `type`: the size a caller's struct must at
 * least have for the library to write that field (libbpf's offsetofend). */
#define LAL__OFFSETOF_END(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

/* Largest `size` member accepted in a size-prefixed struct: anything bigger is
 * a caller that forgot the *_INIT macro, not a newer version of lal. */
#define LAL__STRUCT_SIZE_MAX 4096

/* 1 if the input struct at s (first member `size_t size`) is acceptable: size
 * at least min (the fields every supported caller has), at most
 * LAL__STRUCT_SIZE_MAX, and every byte past `known` (sizeof the struct this
 * library was built with) zero. Checked before anything is looked up. */
int lal__input_struct_ok(const void *s, size_t min, size_t known);

/* The one way input structs are read: checks src by the rule above, then
 * copies the fields the caller has over *full, which holds the defaults (its
 * *_INIT value), and sets full's size to full_size. Afterwards only *full is
 * read, so no field is read past the caller's struct. LAL_OK or LAL_EINVAL. */
int lal__input_struct_load(void *full, size_t full_size, const void *src, size_t min);

/* The fields every caller's input struct has: the size, and the first field
 * after it. Later fields take their default when an older caller's struct
 * ends before them. */
#define LAL__INPUT_MIN(type, first_field) LAL__OFFSETOF_END(type, first_field)

/* 1 if the output struct at s has room for the fields up to min and a sane
 * size (a caller that skipped the *_INIT macro is caught here). */
int lal__output_struct_ok(const void *s, size_t min);

/* Exported from liblal.so for lal's own Linux module libraries alone
 * (liblal-uring, liblal-xdp: src/linux/modules.cmake), which share its error
 * state; not part of the API, and versioned with the library. The Linux
 * build defines it as default visibility (src/CMakeLists.txt); elsewhere it
 * is nothing. */
#ifndef LAL__MODULE_API
#  define LAL__MODULE_API
#endif

/* Records `native` as this thread's lal_last_os_error() and returns its
 * portable status. Every failed OS call inside lal ends here. */
LAL__MODULE_API int lal__fail_native(int native);

/* lal__fail_native(lal__os_native_error()): for calls that set errno /
 * GetLastError(). */
int lal__fail_os(void);

/* Hands a result struct back to a caller whose struct is dst_size bytes
 * (its `size` member): copies what both know, zeroes the caller's tail that this
 * library does not know, and keeps the caller's size member (the first field). */
void lal__copy_sized_result(void *dst, size_t dst_size, const void *src, size_t src_size);

/* Copies a NUL-terminated string into dst[size], truncating; always terminates. */
void lal__copy_string(char *dst, size_t size, const char *src);

/* Appends text to the "; "-separated list in dst[size] (a result's reason),
 * truncating; always terminates. */
void lal__append_note(char *dst, size_t size, const char *text);

/* 1 if s is a valid thread name: well-formed UTF-8, 1..255 bytes. */
int lal__thread_name_valid(const char *s);

#endif /* LAL_INTERNAL_H */
