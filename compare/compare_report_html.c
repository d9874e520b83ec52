/* SPDX-License-Identifier: MIT */
/* lal-compare's HTML report, rendered from the result model with the pieces
 * of compare_html.c, in document order: the fingerprints side by side, the
 * run warnings, a section per series (core_to_core pairs as heatmaps), the
 * summary table and the gate (which the page shows at the top). */
#include <stdio.h>
#include <string.h>

#include "compare_model.h"

static void env_table(const cmp_model *m, FILE *html) {
  html_env_begin(html, m->env_differing - m->env_folded, m->env_total - m->env_folded);
  for (size_t i = 0; i < m->n_env; i++)
    if (!m->env[i].folded)
      html_env_row(html, m->env[i].key, m->env[i].a, m->env[i].b, m->env[i].differs);
  if (m->env_folded_line[0])
    html_env_row(html, "one OS only", m->env_folded_line, "", 0);
  html_env_end(html);
}

static void series_section(const cmp_model *m, const cmp_item *it, FILE *html) {
  html_series_begin(html, it->index, it->workload, it->series, cmp_verdict_names[it->worst]);
  for (int w = 0; w < 5; w++)
    if (it->warnings[w][0])
      html_warning(html, it->warnings[w]);
  html_table_begin(html);
  double pa[CMP_NPCT], pb[CMP_NPCT];
  for (int p = 0; p < CMP_NPCT; p++) {
    const cmp_pct *r = &it->pct[p];
    html_row(html, cmp_percentiles[p], r->a_text, r->b_text, r->ratio, r->lo, r->hi,
             cmp_verdict_names[r->verdict]);
    pa[p] = r->a, pb[p] = r->b;
  }
  html_table_end(html);
  char rounds[1100];
  const cmp_pct *g = &it->pct[m->gate];
  snprintf(rounds, sizeof rounds,
           "rounds at %s: A %zu [%s], B %zu [%s]; noise floor %.1f%%%s; smallest detectable "
           "change %.1f%%",
           cmp_percentiles[m->gate], it->a_rounds, it->a_rounds_text, it->b_rounds,
           it->b_rounds_text, 100.0 * g->floor,
           g->floor_measured ? " (A against A from the rounds)" : " (one round: the default)",
           100.0 * g->detectable);
  html_note(html, rounds);
  char title[200];
  snprintf(title, sizeof title, "%s: %s", it->workload, it->series);
  html_plot(html, title, it->unit, it->a_lo, it->a_cum, it->a_n, it->b_lo, it->b_cum, it->b_n, pa,
            pb);
  html_series_end(html);
}

/* sleep_cost's series grouped by request length and load (their names say
 * ", 4 ms" and ", changing load"; the 1 ms quiet ones neither), one CPU
 * against lateness chart each; the sustained blocks (", in a row") stay out. */
static void cpu_curves(const cmp_model *m, FILE *html) {
  static const unsigned lengths[] = {1, 2, 4, 8, 16};
  for (int load = 0; load < 2; load++)
    for (size_t l = 0; l < sizeof lengths / sizeof lengths[0]; l++) {
      cpu_point pts[16];
      char labels[16][128];
      size_t n = 0;
      for (size_t i = 0; i < m->n_items && n < 16; i++) {
        const cmp_item *it = &m->items[i];
        if (it->kind == CMP_ITEM_NOTE || strcmp(it->workload, "sleep_cost") != 0 ||
            (it->cpu_a < 0 && it->cpu_b < 0))
          continue;
        if (strstr(it->series, ", in a row")) /* a block of its own, not a mode's turn */
          continue;
        unsigned len = 1;
        for (size_t k = 1; k < sizeof lengths / sizeof lengths[0]; k++) {
          char pat[16];
          snprintf(pat, sizeof pat, ", %u ms", lengths[k]);
          if (strstr(it->series, pat))
            len = lengths[k];
        }
        int loaded = strstr(it->series, "changing load") != NULL;
        if (len != lengths[l] || loaded != load)
          continue;
        snprintf(labels[n], sizeof labels[n], "%.*s", (int)strcspn(it->series, ","), it->series);
        pts[n] = (cpu_point){labels[n], it->cpu_a, it->cpu_b, it->pct[2].a, it->pct[2].b};
        n++;
      }
      if (n == 0)
        continue;
      char title[96];
      snprintf(title, sizeof title, "sleep_cost: CPU against lateness, %u ms%s", lengths[l],
               load ? ", changing load" : "");
      html_cpu_curve(html, title, pts, n);
    }
}

void cmp_render_html(const cmp_model *m, FILE *html) {
  const compare_opts *opts = m->opts;
  html_begin(html, opts->a_name, opts->b_name);
  env_table(m, html);
  for (int i = 0; i < m->n_run_warnings; i++)
    html_warning(html, m->run_warnings[i]);
  for (size_t i = 0; i < m->n_items; i++) {
    const cmp_item *it = &m->items[i];
    if (it->kind == CMP_ITEM_NOTE)
      html_note(html, it->note);
    else if (!it->heat)
      series_section(m, it, html);
  }
  for (int i = 0; i < m->missing; i++)
    html_note(html, m->missing_lines[i]);
  if (m->single_line[0])
    html_note(html, m->single_line);
  html_heatmaps(html, m->heat, m->n_heat, m->heat_unit);
  cpu_curves(m, html);
  html_summary_begin(html, cmp_percentiles[m->gate]);
  for (size_t i = 0; i < m->summary.n; i++) {
    const summary_row *r = &m->summary.rows[i];
    html_summary_row(html, r->index, r->workload, r->series, r->ratio, r->lo, r->hi, r->verdict,
                     r->regressed);
  }
  html_summary_end(html);
  if (m->noise_line[0])
    html_note(html, m->noise_line);
  html_end(html, m->summary_line, m->status, m->verdicts[CMP_BETTER], m->verdicts[CMP_WORSE],
           m->verdicts[CMP_SAME], m->verdicts[CMP_INCONCLUSIVE], cmp_percentiles[m->gate]);
}
