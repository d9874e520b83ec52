/* SPDX-License-Identifier: MIT */
/*
 * The Linux cpulist text form of a lal_cpuset: "0-3,8,10-11".
 * The grammar follows the kernel's bitmap_parselist() (lib/bitmap.c), including
 * the "N-M:USED/GROUP" stride form, minus its "N" (= last CPU) shorthand, whose
 * meaning depends on the machine and so has no place in a portable value.
 */
#include <string.h>

#include "lal_internal.h"

/* Large enough for any CPU id or group size, small enough that the
 * accumulation below can never overflow an int. */
#define NUMBER_LIMIT 1000000

/* Reads a decimal number at *p; advances *p. -1 if there are no digits or the
 * number exceeds NUMBER_LIMIT. */
static int read_number(const char **p) {
  const char *s = *p;
  int value = 0;
  if (*s < '0' || *s > '9')
    return -1;
  while (*s >= '0' && *s <= '9') {
    value = value * 10 + (*s - '0');
    if (value > NUMBER_LIMIT)
      return -1;
    s++;
  }
  *p = s;
  return value;
}

/* One item: N | N-M | N-M:USED/GROUP. Adds it to *set, advances *p. */
static int parse_item(const char **p, lal_cpuset *set) {
  int first = read_number(p);
  if (first < 0 || first >= LAL_CPUSET_MAX)
    return LAL_EINVAL;
  int last = first, used = 1, group = 1;
  if (**p == '-') {
    (*p)++;
    last = read_number(p);
    if (last < first || last >= LAL_CPUSET_MAX)
      return LAL_EINVAL;
    if (**p == ':') {
      (*p)++;
      used = read_number(p);
      if (used <= 0 || **p != '/')
        return LAL_EINVAL;
      (*p)++;
      group = read_number(p);
      if (group <= 0 || used > group)
        return LAL_EINVAL;
    }
  }
  for (int cpu = first; cpu <= last; cpu++)
    if ((cpu - first) % group < used)
      set->bits[cpu / 64] |= UINT64_C(1) << (cpu % 64);
  return LAL_OK;
}

int lal_cpuset_parse(lal_cpuset *out, const char *text) {
  if (!out || !text)
    return LAL_EINVAL;
  lal_cpuset set;
  memset(&set, 0, sizeof set);

  size_t len = strlen(text);
  if (len > 0 && text[len - 1] == '\n')
    len--; /* a sysfs file as read */
  const char *p = text, *end = text + len;
  while (p < end) {
    if (parse_item(&p, &set) != LAL_OK)
      return LAL_EINVAL;
    if (p == end)
      break;
    if (*p != ',' || p + 1 == end) /* a stray character, or a trailing comma */
      return LAL_EINVAL;
    p++;
  }
  if (p != end)
    return LAL_EINVAL;
  *out = set;
  return LAL_OK;
}

/* Appends the decimal form of v (0 <= v < 10^6) at buf[n]; returns the new n. */
static size_t append_number(char *buf, size_t n, int v) {
  char digits[8];
  int k = 0;
  do {
    digits[k++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (k)
    buf[n++] = digits[--k];
  return n;
}

int lal_cpuset_format(const lal_cpuset *set, char *buf, size_t size) {
  if (!set || !buf)
    return LAL_EINVAL;
  char text[LAL_CPUSET_FORMAT_MAX];
  size_t n = 0;
  int cpu = lal_cpuset_first(set);
  while (cpu >= 0) {
    int last = cpu;
    while (last + 1 < LAL_CPUSET_MAX && lal_cpuset_isset(set, last + 1) == 1)
      last++;
    if (n)
      text[n++] = ',';
    n = append_number(text, n, cpu);
    if (last > cpu) {
      text[n++] = '-';
      n = append_number(text, n, last);
    }
    cpu = lal_cpuset_next(set, last);
  }
  if (n + 1 > size)
    return LAL_ERANGE;
  memcpy(buf, text, n);
  buf[n] = '\0';
  return LAL_OK;
}
