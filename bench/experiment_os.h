/* SPDX-License-Identifier: MIT */
/*
 * What the experiment mode needs from the OS, one file per OS: running a
 * user's command from its argument vector (never a shell string) and a
 * journal file only its owner can have written.
 */
#ifndef LAL_BENCH_EXPERIMENT_OS_H
#define LAL_BENCH_EXPERIMENT_OS_H

#include <stddef.h>
#include <stdio.h>

/* Runs argv[0] (found on PATH) with argv, this process's environment and
 * privileges, standard streams inherited, and waits: its exit status
 * (0..255), or -1 when it could not be started or was killed by a signal
 * (why says which). */
int experiment_os_run(char *const argv[], char *why, size_t why_size);

/* Creates path for writing, failing if anything exists there (a file, a
 * symbolic link: nothing is followed), readable and writable by the caller
 * only. NULL with the reason in why. */
FILE *experiment_os_journal_create(const char *path, char *why, size_t why_size);
/* Opens an existing journal for reading and rewriting: a regular file, not
 * a symbolic link, owned by the caller, no access for anyone else. NULL
 * with the reason (another user's journal is refused). */
FILE *experiment_os_journal_open(const char *path, char *why, size_t why_size);
/* Replaces the file's whole content with text and flushes it to the disk
 * (a crash must find the state that was true). 0 or -1. */
int experiment_os_journal_rewrite(FILE *f, const char *text);

/* The calling thread's timer slack now, in ns (Linux PR_GET_TIMERSLACK), to
 * put back after B's --b-timer-slack: 0, or -1 where there is none to read
 * (Windows: lal's timer-resolution request cannot be withdrawn to what it was). */
int experiment_os_timer_slack_get(unsigned long long *ns);

/* This process's id, and whether process pid is alive. */
long experiment_os_pid(void);
int experiment_os_alive(long pid);

/* The default journal: $XDG_RUNTIME_DIR (Linux; else /tmp) or
 * %LOCALAPPDATA% (Windows; else %TEMP%), "lal-experiment.journal". */
void experiment_os_default_journal(char *buf, size_t size);

#endif
