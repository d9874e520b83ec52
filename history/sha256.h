/* SPDX-License-Identifier: MIT */
/* SHA-256 (FIPS 180-4): the content hash that makes ingesting one result
 * twice store it once. */
#ifndef LAL_HISTORY_SHA256_H
#define LAL_HISTORY_SHA256_H

#include <stddef.h>

/* The hash of data as 64 lowercase hex digits and a NUL. */
void sha256_hex(const void *data, size_t len, char out[65]);

#endif
