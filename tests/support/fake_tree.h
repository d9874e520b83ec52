/* SPDX-License-Identifier: MIT */
/* Scratch /proc and /sys trees that a test writes itself, for the readers
 * that take a root prefix (lal doctor, lali_linux_set_root, the hwloc loader's
 * sysroot): a machine state this one does not have. */
#ifndef LAL_TESTS_SUPPORT_FAKE_TREE_H
#define LAL_TESTS_SUPPORT_FAKE_TREE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lal_test.h"

/* A new empty directory /tmp/lal-tree-XXXXXX into root[size]. */
static inline void fake_tree_make(char *root, size_t size) {
  snprintf(root, size, "/tmp/lal-tree-XXXXXX");
  assert_non_null(mkdtemp(root));
}

/* Writes len bytes to root + rel ("/sys/..."), making its directories. */
static inline void fake_tree_put(const char *root, const char *rel, const char *text, size_t len) {
  char path[1024];
  snprintf(path, sizeof path, "%s%s", root, rel);
  for (char *slash = strchr(path + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
    *slash = '\0';
    mkdir(path, 0755);
    *slash = '/';
  }
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, len, f), len);
  fclose(f);
}
#define FAKE_TREE_PUT(root, rel, text) fake_tree_put(root, rel, text, sizeof text - 1)

/* Removes the tree and everything in it; 0 on success. */
static inline int fake_tree_remove(const char *root) {
  char cmd[1100];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  return system(cmd);
}

#endif
