/* SPDX-License-Identifier: MIT */
/* lal-compare's terminal report, rendered from the result model: the
 * fingerprint and run warnings, one line per series and percentile, the
 * series not compared, and the gate's summary line last. */
#include <stdio.h>

#include "compare_model.h"

void cmp_render_text(const cmp_model *m, FILE *out) {
  for (size_t i = 0; i < m->n_env; i++) {
    const cmp_env_row *r = &m->env[i];
    if (r->differs && !r->folded)
      fprintf(out, "warning: fingerprint %s differs: A %s, B %s\n", r->key, r->a, r->b);
  }
  if (m->env_folded_line[0])
    fprintf(out, "note: %s\n", m->env_folded_line);
  for (int i = 0; i < m->n_run_warnings; i++)
    fprintf(out, "%s\n", m->run_warnings[i]);
  fprintf(out, "%-22s %-36s %-6s %12s %12s %7s %17s %7s %7s  %s\n", "workload", "series", "pct",
          "A", "B", "B/A", "95% CI", "floor", "detect", "verdict");
  for (size_t i = 0; i < m->n_items; i++) {
    const cmp_item *it = &m->items[i];
    if (it->kind == CMP_ITEM_NOTE) {
      fprintf(out, "%s\n", it->note);
      continue;
    }
    for (int w = 0; w < 5; w++)
      if (it->warnings[w][0])
        fprintf(out, "%s\n", it->warnings[w]);
    for (int p = 0; p < CMP_NPCT; p++) {
      const cmp_pct *r = &it->pct[p];
      fprintf(out, "%-22s %-36s %-6s %12s %12s %7.3f [%6.3f, %6.3f] %6.1f%%%s %6.1f%%  %s%s%s\n",
              it->workload, it->series, cmp_percentiles[p], r->a_text, r->b_text, r->ratio, r->lo,
              r->hi, 100.0 * r->floor,
              !r->floor_measured      ? "*"
              : r->floor_between_runs ? "^"
                                      : " ",
              100.0 * r->detectable, cmp_verdict_names[r->verdict], r->why,
              r->regressed ? " (GATE: beyond the threshold)" : "");
    }
    char rank[48] = "";
    if (it->pct[m->gate].rank_p >= 0)
      snprintf(rank, sizeof rank, "; rank test p=%.3f", it->pct[m->gate].rank_p);
    fprintf(out, "%-22s %-36s rounds at %s: A %zu [%s]%s | B %zu [%s]%s%s\n", "", "",
            cmp_percentiles[m->gate], it->a_rounds, it->a_rounds_text,
            it->a_empty_rounds ? " (+ empty)" : "", it->b_rounds, it->b_rounds_text,
            it->b_empty_rounds ? " (+ empty)" : "", rank);
  }
  for (int i = 0; i < m->missing; i++)
    fprintf(out, "%s\n", m->missing_lines[i]);
  if (m->single_line[0])
    fprintf(out, "%s\n", m->single_line);
  fprintf(out, "floor: what identical runs differ by (A against A from each side's rounds; * a "
               "side with too few rounds, ^ two separate runs: the default floor, since runs "
               "differ more than one run's rounds; one --experiment's sides need no such "
               "floor); detect: the smallest change this comparison could call\n");
  if (m->noise_line[0])
    fprintf(out, "%s\n", m->noise_line);
  fprintf(out, "%s\n", m->summary_line);
}
