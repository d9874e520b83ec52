/* SPDX-License-Identifier: MIT */
/* lal-bench --experiment and --recover: see experiment.h. */
#include "experiment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "experiment_os.h"
#include "lal.h"

char experiment_journal_hint[4096];

#define JOURNAL_MAGIC "lal-experiment-journal 1"
#define JOURNAL_MAX (64 * 1024)

/* ---- the journal: what is applied, and the command that reverts it */

/* "lal-experiment-journal 1\npid P\nstate S\nargs N\n<arg>\n..." */
static int journal_write(FILE *f, const char *state, char *const revert[]) {
  static char text[JOURNAL_MAX];
  size_t used = 0;
  int n = 0;
  while (revert[n])
    n++;
  used += (size_t)snprintf(text, sizeof text, "%s\npid %ld\nstate %s\nargs %d\n", JOURNAL_MAGIC,
                           experiment_os_pid(), state, n);
  for (int i = 0; i < n && used < sizeof text; i++)
    used += (size_t)snprintf(text + used, sizeof text - used, "%s\n", revert[i]);
  if (used >= sizeof text)
    return -1;
  return experiment_os_journal_rewrite(f, text);
}

typedef struct journal {
  long pid;
  int applied;
  char *argv[256];
  char text[JOURNAL_MAX];
} journal;

/* Parses a journal; 0, or -1 when it is not one lal wrote. */
static int journal_parse(FILE *f, journal *j) {
  memset(j, 0, sizeof *j);
  size_t n = fread(j->text, 1, sizeof j->text - 1, f);
  j->text[n] = '\0';
  char *line[300];
  int lines = 0;
  for (char *p = j->text; *p && lines < 300;) {
    line[lines++] = p;
    char *eol = strchr(p, '\n');
    if (!eol)
      return -1; /* every line ends: a cut journal is not trusted */
    *eol = '\0';
    p = eol + 1;
  }
  int args = -1;
  if (lines < 4 || strcmp(line[0], JOURNAL_MAGIC) != 0 ||
      sscanf(line[1], "pid %ld", &j->pid) != 1 || sscanf(line[3], "args %d", &args) != 1 ||
      args < 1 || args > 255 || lines != 4 + args)
    return -1;
  if (strcmp(line[2], "state applied") == 0)
    j->applied = 1;
  else if (strcmp(line[2], "state idle") != 0)
    return -1;
  for (int i = 0; i < args; i++)
    j->argv[i] = line[4 + i];
  j->argv[args] = NULL;
  return 0;
}

/* Runs a user command, saying what happened. */
static int run_command(const char *what, char *const argv[]) {
  char why[160];
  printf("experiment: %s: %s", what, argv[0]);
  for (int i = 1; argv[i]; i++)
    printf(" %s", argv[i]);
  printf("\n");
  fflush(stdout);
  int rc = experiment_os_run(argv, why, sizeof why);
  if (rc != 0)
    fprintf(stderr, "lal-bench: %s command failed: %s\n", what, why);
  return rc;
}

int experiment_recover(const char *path) {
  char why[160];
  FILE *f = experiment_os_journal_open(path, why, sizeof why);
  if (!f) {
    fprintf(stderr, "lal-bench: --recover %s: refused: %s\n", path, why);
    return 2;
  }
  static journal j;
  if (journal_parse(f, &j) != 0) {
    fclose(f);
    fprintf(stderr, "lal-bench: --recover %s: not an experiment journal (nothing run)\n", path);
    return 2;
  }
  if (j.pid != experiment_os_pid() && experiment_os_alive(j.pid)) {
    fclose(f);
    fprintf(stderr,
            "lal-bench: --recover %s: the experiment (process %ld) is still running; it reverts "
            "by itself\n",
            path, j.pid);
    return 2;
  }
  if (j.applied && run_command("revert", j.argv) != 0) {
    fclose(f);
    fprintf(stderr,
            "lal-bench: the revert command failed: the machine may still be changed. Revert it "
            "by hand, then remove %s\n",
            path);
    return EXPERIMENT_REVERT_FAILED;
  }
  fclose(f);
  remove(path);
  printf("experiment: %s: %s; journal removed\n", path,
         j.applied ? "reverted" : "nothing was applied");
  return 0;
}

/* ---- the experiment */

static char *read_all(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 1 << 16, n = 0;
  char *s = malloc(cap);
  while (s) {
    n += fread(s + n, 1, cap - n - 1, f);
    if (n < cap - 1)
      break;
    char *grown = realloc(s, cap *= 2);
    if (!grown)
      free(s);
    s = grown;
  }
  fclose(f);
  if (s)
    s[n] = '\0';
  return s;
}

/* B's in-process change: the harness options given for B, on the measuring
 * thread for the length of a B round. */
typedef struct b_change {
  bench_harness harness;
  lal_thread_state saved;
  int saved_ok;
  long long timer_slack; /* -1: unchanged */
  unsigned long long slack_before;
  int slack_set; /* this round changed it: put slack_before back */
  char slack_got[96];
} b_change;

static int b_apply(b_change *b) {
  b->saved_ok = lal_thread_state_save(&b->saved) == LAL_OK;
  if (b->timer_slack >= 0) {
    /* Only where the old value can be put back (Linux). */
    if (experiment_os_timer_slack_get(&b->slack_before) != 0) {
      fprintf(stderr, "lal-bench: --b-timer-slack: this OS's timer setting cannot be read back "
                      "and restored: not applied\n");
      return 2;
    }
    uint64_t applied = 0;
    int rc = lal_timer_slack_set((uint64_t)b->timer_slack, &applied);
    b->slack_set = rc == LAL_OK;
    snprintf(b->slack_got, sizeof b->slack_got, "%s %llu ns", rc == LAL_OK ? "" : lal_err_name(rc),
             (unsigned long long)applied);
  }
  return bench_harness_apply(&b->harness);
}

static void b_revert(b_change *b) {
  if (b->saved_ok)
    lal_thread_state_restore(&b->saved);
  if (b->slack_set) {
    uint64_t applied;
    lal_timer_slack_set(b->slack_before, &applied);
    b->slack_set = 0;
  }
  if (b->harness.lock)
    lal_mem_unlock_all();
  bench_harness_release(&b->harness);
}

static void describe(const experiment_opts *x, const b_change *b, char *buf, size_t size) {
  size_t used = 0;
  buf[0] = '\0';
#define ADD(...)                                                                                   \
  do {                                                                                             \
    int w_ = snprintf(buf + used, size - used, __VA_ARGS__);                                       \
    if (w_ > 0 && (size_t)w_ < size - used)                                                        \
      used += (size_t)w_;                                                                          \
  } while (0)
  if (x->b_priority > 0)
    ADD("%spriority %s", used ? "; " : "", b->harness.priority_got);
  if (x->b_cpu >= 0)
    ADD("%scpu %s", used ? "; " : "", b->harness.cpu_got);
  if (x->b_lock)
    ADD("%smemory %s", used ? "; " : "", b->harness.lock_got);
  if (x->b_pm_qos >= 0)
    ADD("%spm qos %s", used ? "; " : "", b->harness.pm_qos_got);
  if (x->b_synthetic >= 0)
    ADD("%ssynthetic slowdown %g%%", used ? "; " : "", x->b_synthetic);
  if (x->b_timer_slack >= 0)
    ADD("%stimer slack%s", used ? "; " : "", b->slack_got);
  if (x->apply) {
    ADD("%sapply:", used ? "; " : "");
    for (int i = 0; x->apply[i]; i++)
      ADD(" %s", x->apply[i]);
  }
#undef ADD
}

int experiment_run(const experiment_opts *x, const rounds_plan *plan, const bench_opts *opts,
                   experiment_write_fn write, void *ctx) {
  char path[4096], why[160];
  FILE *jf = NULL;
  if (x->apply) {
    if (x->journal)
      snprintf(path, sizeof path, "%s", x->journal);
    else
      experiment_os_default_journal(path, sizeof path);
    if (!(jf = experiment_os_journal_create(path, why, sizeof why))) {
      fprintf(stderr,
              "lal-bench: journal %s: %s: another experiment is running on it, or one stopped "
              "without reverting (lal-bench --recover %s)\n",
              path, why, path);
      return 2;
    }
    if (journal_write(jf, "idle", x->revert) != 0) {
      fprintf(stderr, "lal-bench: journal %s cannot be written: nothing applied\n", path);
      fclose(jf);
      remove(path);
      return 2;
    }
    snprintf(experiment_journal_hint, sizeof experiment_journal_hint, "%s", path);
    printf("experiment: journal %s (lal-bench --recover %s reverts after a crash)\n", path, path);
  }
  rounds_collector *ca = rounds_collector_new(plan->workloads, plan->count, plan->rounds);
  rounds_collector *cb = rounds_collector_new(plan->workloads, plan->count, plan->rounds);
  b_change b;
  memset(&b, 0, sizeof b);
  b.harness =
      (bench_harness){x->b_cpu, x->b_priority, x->b_lock, x->b_pm_qos, NULL, "", "", "", ""};
  b.timer_slack = x->b_timer_slack;
  int status = ca && cb ? 0 : 2, failed = 0, done[2] = {0, 0};
  bench_opts opts_b = *opts;
  if (x->b_synthetic >= 0)
    opts_b.synthetic_slowdown_pct = x->b_synthetic;
  uint64_t seed = plan->seed ? plan->seed : 1;
  /* A B B A, A B B A, ...: each side leads and trails equally often. */
  for (int slot = 0; slot < 2 * plan->rounds && status == 0 && !*plan->stop; slot++) {
    int is_b = slot % 4 == 1 || slot % 4 == 2;
    int round = done[is_b];
    if (!is_b) {
      int rc = rounds_collector_run(ca, round, "A, ", opts, &seed, plan->stop, &failed);
      if (rc == 2)
        status = 2;
      else if (rc == 0)
        done[0]++;
      continue;
    }
    if (jf && journal_write(jf, "applied", x->revert) != 0) { /* before: a crash inside apply */
      fprintf(stderr, "lal-bench: journal %s cannot be written: B not applied\n", path);
      status = 2;
      break;
    }
    int apply_rc = jf ? run_command("apply", x->apply) : 0;
    int builtin_rc = apply_rc == 0 ? b_apply(&b) : 0;
    int rc = 1;
    if (apply_rc == 0 && builtin_rc == 0)
      rc = rounds_collector_run(cb, round, "B, ", &opts_b, &seed, plan->stop, &failed);
    if (apply_rc == 0)
      b_revert(&b);
    if (rc == 0)
      done[1]++;
    if (jf && run_command("revert", x->revert) != 0) {
      fprintf(stderr,
              "lal-bench: the revert command failed: the machine may still be changed. Fix it, "
              "then run: lal-bench --recover %s\n",
              path);
      status = EXPERIMENT_REVERT_FAILED;
      break;
    }
    if (jf && journal_write(jf, "idle", x->revert) != 0)
      fprintf(stderr, "lal-bench: journal %s cannot be written (reverted all the same)\n", path);
    if (apply_rc != 0) {
      fprintf(stderr, "lal-bench: the apply command failed: B was reverted; no comparison\n");
      status = EXPERIMENT_APPLY_FAILED;
    } else if (builtin_rc != 0) {
      status = 2;
    } else if (rc == 2) {
      status = 2;
    }
  }
  if (jf) {
    fclose(jf);
    if (status != EXPERIMENT_REVERT_FAILED) {
      remove(path);
      experiment_journal_hint[0] = '\0';
    }
  }
  char change[1024];
  describe(x, &b, change, sizeof change);
  if (ca && cb && status != 2) {
    int wa = write(ctx, x->json_a, ca, "A", change, done[0]);
    int wb = write(ctx, x->json_b, cb, "B", change, done[1]);
    if ((wa || wb) && status == 0)
      status = 2;
  }
  rounds_collector_free(ca);
  rounds_collector_free(cb);
  if (status != 0)
    return status;
  if (*plan->stop)
    return 130;
  /* Both sides measured: the comparison, as lal-compare prints it. */
  printf("=== experiment: B (%s) against A (unchanged), %d rounds each, A B B A order\n", change,
         done[0]);
  char *ta = read_all(x->json_a), *tb = read_all(x->json_b);
  compare_opts co = COMPARE_OPTS_DEFAULT;
  co.a_name = x->json_a;
  co.b_name = x->json_b;
  int cmp = ta && tb ? compare_texts(ta, tb, &co, stdout, stderr) : 2;
  free(ta), free(tb);
  return failed && cmp == 0 ? 1 : cmp;
}
