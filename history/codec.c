/* SPDX-License-Identifier: MIT */
#include "codec.h"

#include <stdlib.h>
#include <string.h>

static size_t put_varint(unsigned char *p, uint64_t v) {
  size_t n = 0;
  do {
    unsigned char b = v & 0x7f;
    v >>= 7;
    p[n++] = (unsigned char)(b | (v ? 0x80 : 0));
  } while (v);
  return n;
}

static int get_varint(const unsigned char *p, size_t len, size_t *at, uint64_t *v) {
  uint64_t x = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*at >= len)
      return -1;
    unsigned char b = p[(*at)++];
    x |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      *v = x;
      return 0;
    }
  }
  return -1;
}

int codec_encode_hist(const lal_hist *h, unsigned char **out, size_t *len) {
  size_t used = 0;
  for (unsigned i = 0; i < LAL_HIST_BUCKETS; i++)
    used += h->buckets[i] != 0;
  unsigned char *buf = malloc(used * 15 + 1); /* two varints of at most 10 and 5 bytes */
  if (!buf)
    return -1;
  size_t n = 0;
  unsigned prev = 0;
  for (unsigned i = 0; i < LAL_HIST_BUCKETS; i++) {
    if (!h->buckets[i])
      continue;
    n += put_varint(buf + n, i - prev);
    n += put_varint(buf + n, h->buckets[i]);
    prev = i;
  }
  *out = buf;
  *len = n;
  return 0;
}

int codec_decode_hist(const unsigned char *blob, size_t len, uint64_t min, uint64_t max,
                      lal_hist *h) {
  memset(h, 0, sizeof *h);
  size_t at = 0;
  uint64_t index = 0;
  double sum = 0;
  while (at < len) {
    uint64_t delta, count;
    if (get_varint(blob, len, &at, &delta) != 0 || get_varint(blob, len, &at, &count) != 0)
      return -1;
    index += delta;
    if (index >= LAL_HIST_BUCKETS || count == 0 || count > UINT32_MAX || h->buckets[index] != 0)
      return -1;
    h->buckets[index] = (uint32_t)count;
    h->count += count;
    sum += (double)count * (double)lal_hist_bucket_low((unsigned)index);
  }
  h->min = h->count ? min : 0;
  h->max = h->count ? max : 0;
  h->sum = sum; /* from the buckets' lower bounds: an estimate, not the recorded sum */
  return 0;
}

void codec_put_f32(unsigned char *p, float v) {
  uint32_t u;
  memcpy(&u, &v, 4);
  for (int i = 0; i < 4; i++)
    p[i] = (unsigned char)(u >> (8 * i));
}

float codec_get_f32(const unsigned char *p) {
  uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
  float v;
  memcpy(&v, &u, 4);
  return v;
}
