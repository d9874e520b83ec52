/* SPDX-License-Identifier: MIT */
/* What the CPU itself says about its timestamp counter (CPUID / arm64 system
 * registers). Portable: compiler intrinsics only, no OS header. */
#ifndef LAL_SRC_COMMON_CPU_FEATURES_H
#define LAL_SRC_COMMON_CPU_FEATURES_H

#include <stddef.h>
#include <stdint.h>

typedef struct lali_cpu_tsc {
  int invariant;          /* CPUID 0x80000007 EDX[8]; arm64: always (architected timer) */
  int hypervisor;         /* CPUID 1 ECX[31] */
  int rdtscp;             /* CPUID 0x80000001 EDX[27] */
  uint64_t cpuid_hz;      /* from leaf 0x15 (or 0x16 base MHz); arm64 CNTFRQ_EL0; 0 if none */
  uint64_t hypervisor_hz; /* from leaf 0x40000010 EAX (kHz); 0 if none */
  char hypervisor_name[13];
} lali_cpu_tsc;

void lali_cpu_tsc_get(lali_cpu_tsc *out);

/* The CPU's brand string (CPUID 0x80000002..4, leading spaces dropped), "" if
 * the CPU has none. */
void lali_cpu_model(char *buf, size_t size);

#endif
