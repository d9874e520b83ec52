/* SPDX-License-Identifier: MIT */
/* SHA-256 through OpenSSL's libcrypto (EVP_Digest, one shot): it uses the
 * CPU's SHA extensions where they exist, some ten times a portable C loop's
 * speed, and a result file is megabytes. */
#include "sha256.h"

#include <openssl/evp.h>
#include <stdio.h>

void sha256_hex(const void *data, size_t len, char out[65]) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(data, len, digest, &n, EVP_sha256(), NULL) != 1 || n != 32) {
    out[0] = 0; /* libcrypto without SHA-256 (a FIPS provider refusing it): no hash */
    return;
  }
  for (unsigned i = 0; i < 32; i++)
    snprintf(out + 2 * i, 3, "%02x", digest[i]);
}
