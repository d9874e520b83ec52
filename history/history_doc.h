/* SPDX-License-Identifier: MIT */
/*
 * A lal-bench result as the history keeps it: read, checked and reduced once
 * (history_doc.c), then stored (ingest.c) or compared against a machine's
 * history (baseline.c). Every format version lal-compare reads is read here,
 * through the format's one owner (support/format/result_format.h).
 */
#ifndef LAL_HISTORY_HISTORY_DOC_H
#define LAL_HISTORY_HISTORY_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "result_format.h"

typedef struct hist_series {
  char workload[64], name[160], unit[64];
  uint64_t count;
  double min, max, pct[RESULT_NPCT]; /* the recorded percentiles, result_pct_names order */
  double cpu_pct;                    /* sleep_cost's CPU %, or -1 */
  size_t rounds;
  unsigned char *round_pcts; /* rounds x RESULT_NPCT binary32 (codec.h) */
  unsigned char *buckets;    /* the pooled histogram (codec.h) */
  size_t buckets_len;
} hist_series;

/* The fields that name a machine: two results with the same ones come from
 * the same machine, whatever else (kernel, tuning, build) changed. */
typedef struct hist_machine {
  char fingerprint[17]; /* 16 hex digits of SHA-256 over the fields below */
  char host[128], os[32], cpu_model[128], hypervisor[64], topology[256];
  long cpu_count;
  int under_wine;
} hist_machine;

typedef struct hist_doc {
  char hash[65]; /* SHA-256 of the file's bytes */
  int version;   /* the format version: 1 or 2 */
  hist_machine machine;
  char start_utc[40], lal_version[32], os_release[128], build_type[32];
  char command_line[1024];
  int complete;
  char *env; /* "key\tvalue\n" lines, the whole fingerprint */
  hist_series *series;
  size_t n_series;
} hist_doc;

/* Reads a result from text (len bytes). 0, or -1 with the reason in why:
 * not JSON (a truncated file), not a lal-bench result, a format version this
 * lal-history does not know, a series whose histogram or rounds are
 * malformed, out of memory. */
int hist_doc_parse(const char *text, size_t len, hist_doc *d, char *why, size_t why_size);
/* The same from a file. */
int hist_doc_load(const char *path, hist_doc *d, char *why, size_t why_size);
void hist_doc_free(hist_doc *d);

#endif
