/* SPDX-License-Identifier: MIT */
/*
 * The affinity rules of affinity_groups.h. Every CPU is checked against the
 * active processors before any call, so a refused set changes nothing.
 */
#include "affinity_groups.h"

#include "lal_internal.h"

/* The group of every CPU in set, or -1 if they span several. */
static int single_group(const lal_cpuset *set) {
  int first = lal_cpuset_first(set), group = first / 64;
  for (int cpu = first; cpu >= 0; cpu = lal_cpuset_next(set, cpu))
    if (cpu / 64 != group)
      return -1;
  return group;
}

static KAFFINITY group_mask(const lal_cpuset *set, int group) {
  KAFFINITY mask = 0;
  for (int bit = 0; bit < 64; bit++)
    if (lal_cpuset_isset(set, group * 64 + bit))
      mask |= (KAFFINITY)1 << bit;
  return mask;
}

static void add_mask(lal_cpuset *out, int group, KAFFINITY mask) {
  for (int bit = 0; bit < 64; bit++)
    if (mask >> bit & 1)
      lal_cpuset_set(out, group * 64 + bit);
}

static KAFFINITY active_mask(const lali_win_affinity_os *os, int group) {
  return group >= 0 && group < os->group_count ? os->active[group] : 0;
}

/* 1 if every CPU of set is an active processor. */
static int all_active(const lali_win_affinity_os *os, const lal_cpuset *set) {
  for (int cpu = lal_cpuset_first(set); cpu >= 0; cpu = lal_cpuset_next(set, cpu))
    if (!(active_mask(os, cpu / 64) >> (cpu % 64) & 1))
      return 0;
  return 1;
}

static int subset(const lal_cpuset *a, const lal_cpuset *b) {
  lal_cpuset rest;
  lal_cpuset_andnot(&rest, a, b);
  return lal_cpuset_count(&rest) == 0;
}

static int groups_of_process(const lali_win_affinity_os *os, USHORT groups[LALI_WIN_MAX_GROUPS],
                             USHORT *count) {
  *count = LALI_WIN_MAX_GROUPS;
  if (!os->process_groups(os->ctx, count, groups))
    return lali_fail_os();
  return *count > 0 ? LAL_OK : LAL_EIO;
}

/* The CPUs the process's threads may use: the process mask of a one-group
 * process; for one spanning groups, each group's active processors cut by
 * the job's limit for that group (a job that lists groups excludes the
 * others). */
static int process_hard(const lali_win_affinity_os *os, lal_cpuset *out, USHORT *group_count) {
  USHORT groups[LALI_WIN_MAX_GROUPS], count;
  int rc = groups_of_process(os, groups, &count);
  if (rc != LAL_OK)
    return rc;
  lal_cpuset_zero(out);
  if (group_count)
    *group_count = count;
  if (count == 1) {
    DWORD_PTR mask;
    if (!os->process_mask_get(os->ctx, &mask))
      return lali_fail_os();
    add_mask(out, groups[0], (KAFFINITY)mask & active_mask(os, groups[0]));
    return LAL_OK;
  }
  GROUP_AFFINITY job[LALI_WIN_MAX_GROUPS];
  int jobs = os->job_group_masks(os->ctx, job);
  for (USHORT i = 0; i < count; i++) {
    KAFFINITY mask = active_mask(os, groups[i]);
    if (jobs > 0) {
      KAFFINITY limit = 0;
      for (int j = 0; j < jobs; j++)
        if (job[j].Group == groups[i])
          limit |= job[j].Mask;
      mask &= limit;
    }
    add_mask(out, groups[i], mask);
  }
  return LAL_OK;
}

/* Where the calling thread may run regardless of CPU sets; *spans = 1 when
 * that is every group of its process (Windows 11, not confined). */
static int thread_hard(const lali_win_affinity_os *os, lal_cpuset *out, int *spans) {
  GROUP_AFFINITY ga;
  if (!os->thread_group_get(os->ctx, &ga))
    return lali_fail_os();
  *spans = 0;
  if (os->spans_groups_by_default && !os->thread_confined(os->ctx)) {
    lal_cpuset process;
    USHORT count = 0;
    int rc = process_hard(os, &process, &count);
    if (rc != LAL_OK)
      return rc;
    /* A primary-group mask narrower than the process's own there can only
     * come from a call that confined the thread. */
    if (count > 1 && (KAFFINITY)ga.Mask == group_mask(&process, ga.Group)) {
      *spans = 1;
      *out = process;
      return LAL_OK;
    }
  }
  lal_cpuset_zero(out);
  add_mask(out, ga.Group, ga.Mask);
  return LAL_OK;
}

/* The selection in force: the thread's, else the process default; empty
 * when there is none or the OS has no CPU sets. */
static void selection_in_force(const lali_win_affinity_os *os, int process, lal_cpuset *out) {
  if (!process && os->selection_get(os->ctx, 0, out) == LAL_OK && lal_cpuset_count(out) > 0)
    return;
  if (os->selection_get(os->ctx, 1, out) != LAL_OK)
    lal_cpuset_zero(out);
}

/* hard & selection, or hard when the selection is ignored entirely. */
static void effective(const lal_cpuset *hard, const lal_cpuset *selection, lal_cpuset *out) {
  lal_cpuset both;
  lal_cpuset_and(&both, hard, selection);
  *out = lal_cpuset_count(&both) > 0 ? both : *hard;
}

int lali_win_thread_affinity_get(const lali_win_affinity_os *os, lal_cpuset *out) {
  lal_cpuset hard, selection;
  int spans;
  int rc = thread_hard(os, &hard, &spans);
  if (rc != LAL_OK)
    return rc;
  selection_in_force(os, 0, &selection);
  effective(&hard, &selection, out);
  return LAL_OK;
}

int lali_win_thread_affinity_set(const lali_win_affinity_os *os, const lal_cpuset *set) {
  if (!all_active(os, set))
    return LAL_EINVAL; /* absent or inactive processors */
  int group = single_group(set);
  if (group >= 0) {
    GROUP_AFFINITY ga;
    ZeroMemory(&ga, sizeof ga);
    ga.Group = (WORD)group;
    ga.Mask = group_mask(set, group);
    /* A CPU-set selection made earlier would still steer the thread, and a
     * process default CPU set steers every thread without its own: the
     * thread would run on set & default. A thread selection overrides the
     * process default ("SetThreadSelectedCpuSets"), so with a default the
     * thread selects exactly set; without one its selection is cleared.
     * The selection goes first because it can be put back: confining the
     * thread cannot be undone on Windows 11. */
    lal_cpuset process_default, own;
    int has_default = os->selection_get(os->ctx, 1, &process_default) == LAL_OK &&
                      lal_cpuset_count(&process_default) > 0;
    int has_own = os->selection_get(os->ctx, 0, &own) == LAL_OK && lal_cpuset_count(&own) > 0;
    if (has_default) {
      int rc = os->selection_set(os->ctx, 0, set);
      if (rc != LAL_OK)
        return rc;
    }
    /* Fails with ERROR_INVALID_PARAMETER, changing nothing, outside the
     * process's affinity ("SetThreadGroupAffinity"). */
    if (!os->thread_group_set(os->ctx, &ga)) {
      int rc = lali_fail_os();
      if (has_default)
        os->selection_set(os->ctx, 0, has_own ? &own : NULL);
      return rc;
    }
    os->thread_confine_mark(os->ctx);
    if (!has_default && has_own)
      os->selection_set(os->ctx, 0, NULL);
    return LAL_OK;
  }
  /* Spanning groups takes a thread that spans them (Windows 11, never
   * confined); before Windows 11, or once confined, the selection's other
   * groups would be ignored: say so rather than apply a part. */
  if (!os->spans_groups_by_default)
    return LAL_ENOTSUP;
  lal_cpuset hard, process_default;
  int spans;
  int rc = thread_hard(os, &hard, &spans);
  if (rc != LAL_OK)
    return rc;
  if (!spans)
    return LAL_ENOTSUP;
  if (!subset(set, &hard))
    return LAL_EINVAL; /* outside the process's groups or its job */
  /* All of it is no selection at all, unless a process default would then
   * narrow the thread (a restore must give back exactly what was saved). */
  if (os->selection_get(os->ctx, 1, &process_default) != LAL_OK)
    lal_cpuset_zero(&process_default);
  if (lal_cpuset_equal(set, &hard) == 1 && lal_cpuset_count(&process_default) == 0) {
    rc = os->selection_set(os->ctx, 0, NULL);
    return rc == LAL_ENOTSUP ? LAL_OK : rc; /* no CPU sets: none to clear */
  }
  return os->selection_set(os->ctx, 0, set);
}

int lali_win_process_affinity_get(const lali_win_affinity_os *os, lal_cpuset *out) {
  lal_cpuset hard, selection;
  int rc = process_hard(os, &hard, NULL);
  if (rc != LAL_OK)
    return rc;
  selection_in_force(os, 1, &selection);
  effective(&hard, &selection, out);
  return LAL_OK;
}

int lali_win_process_affinity_set(const lali_win_affinity_os *os, const lal_cpuset *set) {
  if (!all_active(os, set))
    return LAL_EINVAL;
  USHORT groups[LALI_WIN_MAX_GROUPS], count;
  int rc = groups_of_process(os, groups, &count);
  if (rc != LAL_OK)
    return rc;
  if (count == 1) {
    /* SetProcessAffinityMask sets the mask of the process's one group; no
     * call moves a whole process to another group, and a default CPU-set
     * selection there would be ignored by every thread. */
    if (single_group(set) != groups[0])
      return LAL_ENOTSUP;
    if (!os->process_mask_set(os->ctx, (DWORD_PTR)group_mask(set, groups[0])))
      return lali_fail_os();
    os->selection_set(os->ctx, 1, NULL);
    return LAL_OK;
  }
  /* Threads in several groups: only the default CPU sets reach them all
   * (SetProcessAffinityMask fails with ERROR_INVALID_PARAMETER). A thread
   * confined to one group uses the part in its group. */
  lal_cpuset hard;
  rc = process_hard(os, &hard, NULL);
  if (rc != LAL_OK)
    return rc;
  if (!subset(set, &hard))
    return LAL_EINVAL;
  int all = lal_cpuset_equal(set, &hard) == 1;
  rc = os->selection_set(os->ctx, 1, all ? NULL : set);
  return rc == LAL_ENOTSUP && all ? LAL_OK : rc; /* no CPU sets: none to clear */
}
