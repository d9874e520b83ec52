/* SPDX-License-Identifier: MIT */
/*
 * Force-included by cmake/toolchains/clang-cl-x86_64.cmake after the mingw
 * prelude. That build compiles against mingw-w64's headers, which deprecate
 * nothing; the Windows SDK's UCRT headers mark these functions deprecated
 * (C4996), which /W4 /WX turns into errors for a studio building lal with
 * MSVC. Here each name becomes a deprecated inline wrapper of the real
 * function (mingw-w64 defines some inline or dllimport, so they cannot simply
 * be redeclared), under the SDK's own conditions, so this build fails where
 * the SDK's would:
 *  - "unsafe" CRT functions (_CRT_INSECURE_DEPRECATE), silenced by
 *    _CRT_SECURE_NO_WARNINGS;
 *  - POSIX names (_CRT_NONSTDC_DEPRECATE), silenced by
 *    _CRT_NONSTDC_NO_WARNINGS or _CRT_NONSTDC_NO_DEPRECATE.
 * lal defines neither: its code uses what the SDK accepts. Generated list;
 * the SDK's corecrt*.h headers are the reference.
 */
#ifndef LAL_CMAKE_TOOLCHAINS_CLANG_CL_UCRT_DEPRECATIONS_H
#define LAL_CMAKE_TOOLCHAINS_CLANG_CL_UCRT_DEPRECATIONS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#define LALI_UCRT_DEPRECATED(why) __attribute__((__deprecated__("UCRT C4996: " why)))

#ifndef _CRT_SECURE_NO_WARNINGS
LALI_UCRT_DEPRECATED("use fopen_s")
static __inline FILE *lali_ucrt_fopen(const char *a, const char *b) { return fopen(a, b); }
LALI_UCRT_DEPRECATED("use _wfopen_s")
static __inline FILE *lali_ucrt__wfopen(const wchar_t *a, const wchar_t *b) {
  return _wfopen(a, b);
}
LALI_UCRT_DEPRECATED("use freopen_s")
static __inline FILE *lali_ucrt_freopen(const char *a, const char *b, FILE *c) {
  return freopen(a, b, c);
}
LALI_UCRT_DEPRECATED("use strcpy_s")
static __inline char *lali_ucrt_strcpy(char *a, const char *b) { return strcpy(a, b); }
LALI_UCRT_DEPRECATED("use strcat_s")
static __inline char *lali_ucrt_strcat(char *a, const char *b) { return strcat(a, b); }
LALI_UCRT_DEPRECATED("use strncpy_s")
static __inline char *lali_ucrt_strncpy(char *a, const char *b, size_t c) {
  return strncpy(a, b, c);
}
LALI_UCRT_DEPRECATED("use strncat_s")
static __inline char *lali_ucrt_strncat(char *a, const char *b, size_t c) {
  return strncat(a, b, c);
}
LALI_UCRT_DEPRECATED("use strtok_s")
static __inline char *lali_ucrt_strtok(char *a, const char *b) { return strtok(a, b); }
LALI_UCRT_DEPRECATED("use strerror_s") static __inline char *lali_ucrt_strerror(int a) {
  return strerror(a);
}
LALI_UCRT_DEPRECATED("use wcscpy_s")
static __inline wchar_t *lali_ucrt_wcscpy(wchar_t *a, const wchar_t *b) { return wcscpy(a, b); }
LALI_UCRT_DEPRECATED("use wcscat_s")
static __inline wchar_t *lali_ucrt_wcscat(wchar_t *a, const wchar_t *b) { return wcscat(a, b); }
LALI_UCRT_DEPRECATED("use wcsncpy_s")
static __inline wchar_t *lali_ucrt_wcsncpy(wchar_t *a, const wchar_t *b, size_t c) {
  return wcsncpy(a, b, c);
}
LALI_UCRT_DEPRECATED("use _dupenv_s") static __inline char *lali_ucrt_getenv(const char *a) {
  return getenv(a);
}
LALI_UCRT_DEPRECATED("use _wdupenv_s")
static __inline wchar_t *lali_ucrt__wgetenv(const wchar_t *a) { return _wgetenv(a); }
LALI_UCRT_DEPRECATED("use vsnprintf")
static __inline int lali_ucrt_vsprintf(char *a, const char *b, va_list c) {
  return vsprintf(a, b, c);
}
LALI_UCRT_DEPRECATED("use vsnprintf")
static __inline int lali_ucrt__vsnprintf(char *a, size_t b, const char *c, va_list d) {
  return _vsnprintf(a, b, c, d);
}
LALI_UCRT_DEPRECATED("use _vsnwprintf_s")
static __inline int lali_ucrt__vsnwprintf(wchar_t *a, size_t b, const wchar_t *c, va_list d) {
  return _vsnwprintf(a, b, c, d);
}
LALI_UCRT_DEPRECATED("use tmpnam_s") static __inline char *lali_ucrt_tmpnam(char *a) {
  return tmpnam(a);
}
LALI_UCRT_DEPRECATED("use localtime_s")
static __inline struct tm *lali_ucrt_localtime(const time_t *a) { return localtime(a); }
LALI_UCRT_DEPRECATED("use gmtime_s") static __inline struct tm *lali_ucrt_gmtime(const time_t *a) {
  return gmtime(a);
}
LALI_UCRT_DEPRECATED("use ctime_s") static __inline char *lali_ucrt_ctime(const time_t *a) {
  return ctime(a);
}
LALI_UCRT_DEPRECATED("use asctime_s") static __inline char *lali_ucrt_asctime(const struct tm *a) {
  return asctime(a);
}
LALI_UCRT_DEPRECATED("use mbstowcs_s")
static __inline size_t lali_ucrt_mbstowcs(wchar_t *a, const char *b, size_t c) {
  return mbstowcs(a, b, c);
}
LALI_UCRT_DEPRECATED("use wcstombs_s")
static __inline size_t lali_ucrt_wcstombs(char *a, const wchar_t *b, size_t c) {
  return wcstombs(a, b, c);
}
LALI_UCRT_DEPRECATED("use snprintf")
static __inline int lali_ucrt_sprintf(char *a, const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  int r = vsprintf(a, f, ap);
  va_end(ap);
  return r;
}
LALI_UCRT_DEPRECATED("use snprintf")
static __inline int lali_ucrt__snprintf(char *a, size_t n, const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  int r = _vsnprintf(a, n, f, ap);
  va_end(ap);
  return r;
}
LALI_UCRT_DEPRECATED("use _snwprintf_s")
static __inline int lali_ucrt__snwprintf(wchar_t *a, size_t n, const wchar_t *f, ...) {
  va_list ap;
  va_start(ap, f);
  int r = _vsnwprintf(a, n, f, ap);
  va_end(ap);
  return r;
}
LALI_UCRT_DEPRECATED("use sscanf_s")
static __inline int lali_ucrt_sscanf(const char *a, const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  int r = vsscanf(a, f, ap);
  va_end(ap);
  return r;
}
LALI_UCRT_DEPRECATED("use fscanf_s")
static __inline int lali_ucrt_fscanf(FILE *a, const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  int r = vfscanf(a, f, ap);
  va_end(ap);
  return r;
}
LALI_UCRT_DEPRECATED("use scanf_s") static __inline int lali_ucrt_scanf(const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  int r = vscanf(f, ap);
  va_end(ap);
  return r;
}
#  define fopen lali_ucrt_fopen
#  define _wfopen lali_ucrt__wfopen
#  define freopen lali_ucrt_freopen
#  define strcpy lali_ucrt_strcpy
#  define strcat lali_ucrt_strcat
#  define strncpy lali_ucrt_strncpy
#  define strncat lali_ucrt_strncat
#  define strtok lali_ucrt_strtok
#  define strerror lali_ucrt_strerror
#  define wcscpy lali_ucrt_wcscpy
#  define wcscat lali_ucrt_wcscat
#  define wcsncpy lali_ucrt_wcsncpy
#  define getenv lali_ucrt_getenv
#  define _wgetenv lali_ucrt__wgetenv
#  define vsprintf lali_ucrt_vsprintf
#  define _vsnprintf lali_ucrt__vsnprintf
#  define _vsnwprintf lali_ucrt__vsnwprintf
#  define tmpnam lali_ucrt_tmpnam
#  define localtime lali_ucrt_localtime
#  define gmtime lali_ucrt_gmtime
#  define ctime lali_ucrt_ctime
#  define asctime lali_ucrt_asctime
#  define mbstowcs lali_ucrt_mbstowcs
#  define wcstombs lali_ucrt_wcstombs
#  define sprintf lali_ucrt_sprintf
#  define _snprintf lali_ucrt__snprintf
#  define _snwprintf lali_ucrt__snwprintf
#  define sscanf lali_ucrt_sscanf
#  define fscanf lali_ucrt_fscanf
#  define scanf lali_ucrt_scanf
#endif

#if !defined(_CRT_NONSTDC_NO_WARNINGS) && !defined(_CRT_NONSTDC_NO_DEPRECATE)
LALI_UCRT_DEPRECATED("POSIX name, use _strdup")
static __inline char *lali_ucrt_strdup(const char *a) { return _strdup(a); }
LALI_UCRT_DEPRECATED("POSIX name, use _wcsdup")
static __inline wchar_t *lali_ucrt_wcsdup(const wchar_t *a) { return _wcsdup(a); }
LALI_UCRT_DEPRECATED("POSIX name, use _fileno") static __inline int lali_ucrt_fileno(FILE *a) {
  return _fileno(a);
}
LALI_UCRT_DEPRECATED("POSIX name, use _fdopen")
static __inline FILE *lali_ucrt_fdopen(int a, const char *b) { return _fdopen(a, b); }
LALI_UCRT_DEPRECATED("POSIX name, use _stricmp")
static __inline int lali_ucrt_stricmp(const char *a, const char *b) { return _stricmp(a, b); }
LALI_UCRT_DEPRECATED("POSIX name, use _strnicmp")
static __inline int lali_ucrt_strnicmp(const char *a, const char *b, size_t c) {
  return _strnicmp(a, b, c);
}
LALI_UCRT_DEPRECATED("POSIX name, use _putenv")
static __inline int lali_ucrt_putenv(const char *a) { return _putenv(a); }
LALI_UCRT_DEPRECATED("POSIX name, use _tempnam")
static __inline char *lali_ucrt_tempnam(const char *a, const char *b) { return _tempnam(a, b); }
#  define strdup lali_ucrt_strdup
#  define wcsdup lali_ucrt_wcsdup
#  define fileno lali_ucrt_fileno
#  define fdopen lali_ucrt_fdopen
#  define stricmp lali_ucrt_stricmp
#  define strnicmp lali_ucrt_strnicmp
#  define putenv lali_ucrt_putenv
#  define tempnam lali_ucrt_tempnam
#endif

#endif
