/* SPDX-License-Identifier: MIT */
/* lal-compare's summary rows: collected while comparing, sorted, rendered. */
#include "compare_summary.h"

#include <stdlib.h>
#include <string.h>

#include "time_units.h"

int summary_add(summary_table *s, const summary_row *row) {
  if (s->n == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 64;
    summary_row *grown = realloc(s->rows, cap * sizeof *grown);
    if (!grown)
      return -1;
    s->rows = grown;
    s->cap = cap;
  }
  s->rows[s->n++] = *row;
  return 0;
}

static int rank(const summary_row *r) {
  if (r->regressed)
    return 0;
  if (strcmp(r->verdict, "worse") == 0)
    return 1;
  if (strcmp(r->verdict, "inconclusive") == 0)
    return 2;
  if (strcmp(r->verdict, "better") == 0)
    return 4;
  return 3;
}

static int worst_first(const void *x, const void *y) {
  const summary_row *a = x, *b = y;
  int ra = rank(a), rb = rank(b);
  if (ra != rb)
    return ra - rb;
  if (a->ratio != b->ratio)
    return a->ratio > b->ratio ? -1 : 1;
  return a->index - b->index;
}

void summary_sort(summary_table *s) {
  if (s->n > 1)
    qsort(s->rows, s->n, sizeof *s->rows, worst_first);
}

void summary_free(summary_table *s) {
  free(s->rows);
  s->rows = NULL;
  s->n = s->cap = 0;
}

/* Markdown table cells may not hold '|' or a newline. */
static void cell(FILE *f, const char *text) {
  for (; *text; text++)
    if (*text == '|')
      fputs("\\|", f);
    else if (*text == '\n' || *text == '\r')
      fputc(' ', f);
    else
      fputc(*text, f);
}

void summary_markdown(FILE *f, const summary_table *s, const char *a_name, const char *b_name,
                      const char *gate, const char *gate_line, const char *noise_line) {
  fputs("### lal-compare: ", f);
  cell(f, b_name);
  fputs(" against ", f);
  cell(f, a_name);
  fputs("\n\n**", f);
  cell(f, gate_line);
  fputs("**\n\n", f);
  if (noise_line && noise_line[0]) {
    cell(f, noise_line);
    fputs("\n\n", f);
  }
  fprintf(f,
          "| workload | series | A %s | B %s | B/A | 95%% interval | noise floor | detectable | "
          "rounds (count: lowest-highest) | verdict |\n",
          gate, gate);
  fputs("|---|---|---:|---:|---:|---|---:|---:|---|---|\n", f);
  for (size_t i = 0; i < s->n; i++) {
    const summary_row *r = &s->rows[i];
    fputs("| ", f);
    cell(f, r->workload);
    fputs(" | ", f);
    cell(f, r->series);
    char a[24], b[24];
    time_format(a, sizeof a, r->a, r->unit);
    time_format(b, sizeof b, r->b, r->unit);
    fprintf(f, " | %s | %s | %.3f | [%.3f, %.3f] | %.1f%%%s | %.1f%% | ", a, b, r->ratio, r->lo,
            r->hi, r->floor_pct, r->floor_measured ? "" : " (1 round: default)", r->detectable_pct);
    cell(f, r->spread);
    fprintf(f, " | %s%s |\n", r->regressed ? "**GATE** " : "", r->verdict);
  }
}
