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
#ifndef LAL_CLANG_CL_UCRT_DEPRECATIONS_H
#define LAL_CLANG_CL_UCRT_DEPRECATIONS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#define LAL__UCRT_DEPRECATED(why) __attribute__((__deprecated__("UCRT C4996: " why)))

#ifndef _CRT_SECURE_NO_WARNINGS
LAL__UCRT_DEPRECATED("use fopen_s")
static __inline FILE *lal__ucrt_fopen(const char *a, const char *b) { return fopen(a, b); }
LAL__UCRT_DEPRECATED("use _wfopen_s")
static __inline FILE *lal__ucrt__wfopen(const wchar_t *a, const wchar_t *b) {
  return _wfopen(a, b);
}
LAL__UCRT_DEPRECATED("use freopen_s")
static __inline FILE *lal__ucrt_freopen(const char *a, const char *b, FILE *c) {
  return freopen(a, b, c);
}
LAL__UCRT_DEPRECATED("use strcpy_s")
static __inline char *lal__ucrt_strcpy(char *a, const char *b) { return strcpy(a, b); }
LAL__UCRT_DEPRECATED("use strcat_s")
static __inline char *lal__ucrt_strcat(char *a, const char *b) { return strcat(a, b); }
LAL__UCRT_DEPRECATED("use strncpy_s")
static __inline char *lal__ucrt_strncpy(char *a, const char *b, size_t c) {
  return strncpy(a, b, c);
}
LAL__UCRT_DEPRECATED("use strncat_s")
static __inline char *lal__ucrt_strncat(char *a, const char *b, size_t c) {
  return strncat(a, b, c);
}
LAL__UCRT_DEPRECATED("use strtok_s")
static __inline char *lal__ucrt_strtok(char *a, const char *b) { return strtok(a, b); }
LAL__UCRT_DEPRECATED("use strerror_s") static __inline char *lal__ucrt_strerror(int a) {
  return strerror(a);
}
LAL__UCRT_DEPRECATED("use wcscpy_s")
static __inline wchar_t *lal__ucrt_wcscpy(wchar_t *a, const wchar_t *b) { return wcscpy(a, b); }
LAL__UCRT_DEPRECATED("use wcscat_s")
static __inline wchar_t *lal__ucrt_wcscat(wchar_t *a, const wchar_t *b) { return wcscat(a, b); }
LAL__UCRT_DEPRECATED("use wcsncpy_s")
static __inline wchar_t *lal__ucrt_wcsncpy(wchar_t *a, const wchar_t *b, size_t c) {
  return wcsncpy(a, b, c);
}
LAL__UCRT_DEPRECATED("use _dupenv_s") static __inline char *lal__ucrt_getenv(const char *a) {
  return getenv(a);
}
LAL__UCRT_DEPRECATED("use _wdupenv_s")
static __inline wchar_t *lal__ucrt__wgetenv(const wchar_t *a) { return _wgetenv(a); }
LAL__UCRT_DEPRECATED("use vsnprintf")
static __inline int lal__ucrt_vsprintf(char *a, const char *b, va_list c) {
  return vsprintf(a, b, c);
}
LAL__UCRT_DEPRECATED("use vsnprintf")
static __inline int lal__ucrt__vsnprintf(char *a, size_t b, const char *c, va_list d) {
  return _vsnprintf(a, b, c, d);
}
LAL__UCRT_DEPRECATED("use _vsnwprintf_s")
static __inline int lal__ucrt__vsnwprintf(wchar_t *a, size_t b, const wchar_t *c, va_list d) {
  return _vsnwprintf(a, b, c, d);
}
LAL__UCRT_DEPRECATED("use tmpnam_s") static __inline char *lal__ucrt_tmpnam(char *a) {
  return tmpnam(a);
}
LAL__UCRT_DEPRECATED("use localtime_s")
static __inline struct tm *lal__ucrt_localtime(const time_t *a) { return localtime(a); }
LAL__UCRT_DEPRECATED("use gmtime_s") static __inline struct tm *lal__ucrt_gmtime(const time_t *a) {
  return gmtime(a);
}
LAL__UCRT_DEPRECATED("use ctime_s") static __inline char *lal__ucrt_ctime(const time_t *a) {
  return ctime(a);
}
LAL__UCRT_DEPRECATED("use asctime_s") static __inline char *lal__ucrt_asctime(const struct tm *a) {
  return asctime(a);
}
LAL__UCRT_DEPRECATED("use mbstowcs_s")
static __inline size_t lal__ucrt_mbstowcs(wchar_t *a, const char *b, size_t c) {
  return mbstowcs(a, b, c);
}
LAL__UCRT_DEPRECATED("use wcstombs_s")
static __inline size_t lal__ucrt_wcstombs(char *a, const wchar_t *b, size_t c) {
  return wcstombs(a, b, c);
}
LAL__UCRT_DEPRECATED("use snprintf")
static __inline int lal__ucrt_sprintf(char *a, const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  int r = vsprintf(a, f, ap);
  va_end(ap);
  return r;
}
LAL__UCRT_DEPRECATED("use snprintf")
static __inline int lal__ucrt__snprintf(char *a, size_t n, const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  int r = _vsnprintf(a, n, f, ap);
  va_end(ap);
  return r;
}
LAL__UCRT_DEPRECATED("use _snwprintf_s")
static __inline int lal__ucrt__snwprintf(wchar_t *a, size_t n, const wchar_t *f, ...) {
  va_list ap;
  va_start(ap, f);
  int r = _vsnwprintf(a, n, f, ap);
  va_end(ap);
  return r;
}
LAL__UCRT_DEPRECATED("use sscanf_s")
static __inline int lal__ucrt_sscanf(const char *a, const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  int r = vsscanf(a, f, ap);
  va_end(ap);
  return r;
}
LAL__UCRT_DEPRECATED("use fscanf_s")
static __inline int lal__ucrt_fscanf(FILE *a, const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  int r = vfscanf(a, f, ap);
  va_end(ap);
  return r;
}
LAL__UCRT_DEPRECATED("use scanf_s") static __inline int lal__ucrt_scanf(const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  int r = vscanf(f, ap);
  va_end(ap);
  return r;
}
#  define fopen lal__ucrt_fopen
#  define _wfopen lal__ucrt__wfopen
#  define freopen lal__ucrt_freopen
#  define strcpy lal__ucrt_strcpy
#  define strcat lal__ucrt_strcat
#  define strncpy lal__ucrt_strncpy
#  define strncat lal__ucrt_strncat
#  define strtok lal__ucrt_strtok
#  define strerror lal__ucrt_strerror
#  define wcscpy lal__ucrt_wcscpy
#  define wcscat lal__ucrt_wcscat
#  define wcsncpy lal__ucrt_wcsncpy
#  define getenv lal__ucrt_getenv
#  define _wgetenv lal__ucrt__wgetenv
#  define vsprintf lal__ucrt_vsprintf
#  define _vsnprintf lal__ucrt__vsnprintf
#  define _vsnwprintf lal__ucrt__vsnwprintf
#  define tmpnam lal__ucrt_tmpnam
#  define localtime lal__ucrt_localtime
#  define gmtime lal__ucrt_gmtime
#  define ctime lal__ucrt_ctime
#  define asctime lal__ucrt_asctime
#  define mbstowcs lal__ucrt_mbstowcs
#  define wcstombs lal__ucrt_wcstombs
#  define sprintf lal__ucrt_sprintf
#  define _snprintf lal__ucrt__snprintf
#  define _snwprintf lal__ucrt__snwprintf
#  define sscanf lal__ucrt_sscanf
#  define fscanf lal__ucrt_fscanf
#  define scanf lal__ucrt_scanf
#endif

#if !defined(_CRT_NONSTDC_NO_WARNINGS) && !defined(_CRT_NONSTDC_NO_DEPRECATE)
LAL__UCRT_DEPRECATED("POSIX name, use _strdup")
static __inline char *lal__ucrt_strdup(const char *a) { return _strdup(a); }
LAL__UCRT_DEPRECATED("POSIX name, use _wcsdup")
static __inline wchar_t *lal__ucrt_wcsdup(const wchar_t *a) { return _wcsdup(a); }
LAL__UCRT_DEPRECATED("POSIX name, use _fileno") static __inline int lal__ucrt_fileno(FILE *a) {
  return _fileno(a);
}
LAL__UCRT_DEPRECATED("POSIX name, use _fdopen")
static __inline FILE *lal__ucrt_fdopen(int a, const char *b) { return _fdopen(a, b); }
LAL__UCRT_DEPRECATED("POSIX name, use _stricmp")
static __inline int lal__ucrt_stricmp(const char *a, const char *b) { return _stricmp(a, b); }
LAL__UCRT_DEPRECATED("POSIX name, use _strnicmp")
static __inline int lal__ucrt_strnicmp(const char *a, const char *b, size_t c) {
  return _strnicmp(a, b, c);
}
LAL__UCRT_DEPRECATED("POSIX name, use _putenv")
static __inline int lal__ucrt_putenv(const char *a) { return _putenv(a); }
LAL__UCRT_DEPRECATED("POSIX name, use _tempnam")
static __inline char *lal__ucrt_tempnam(const char *a, const char *b) { return _tempnam(a, b); }
#  define strdup lal__ucrt_strdup
#  define wcsdup lal__ucrt_wcsdup
#  define fileno lal__ucrt_fileno
#  define fdopen lal__ucrt_fdopen
#  define stricmp lal__ucrt_stricmp
#  define strnicmp lal__ucrt_strnicmp
#  define putenv lal__ucrt_putenv
#  define tempnam lal__ucrt_tempnam
#endif

#endif
