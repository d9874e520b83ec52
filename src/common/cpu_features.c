/* SPDX-License-Identifier: MIT */
/* CPUID facts about the TSC (Intel SDM vol. 2A "CPUID"; AMD APM vol. 3). */
#include "cpu_features.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64) || defined(_M_IX86)
#  define LALI_X86 1
#  if defined(_MSC_VER) && !defined(__clang__)
#    include <intrin.h>
static void cpuid(uint32_t leaf, uint32_t r[4]) {
  int v[4];
  __cpuidex(v, (int)leaf, 0);
  for (int i = 0; i < 4; i++)
    r[i] = (uint32_t)v[i];
}
#  else
#    include <cpuid.h>
static void cpuid(uint32_t leaf, uint32_t r[4]) { __cpuid_count(leaf, 0, r[0], r[1], r[2], r[3]); }
#  endif
#endif

void lali_cpu_tsc_get(lali_cpu_tsc *out) {
  memset(out, 0, sizeof *out);
#ifdef LALI_X86
  uint32_t r[4];
  cpuid(0, r);
  uint32_t max_std = r[0];
  cpuid(0x80000000u, r);
  uint32_t max_ext = r[0];
  if (max_std >= 1) {
    cpuid(1, r);
    out->hypervisor = (r[2] >> 31) & 1;
  }
  if (max_ext >= 0x80000007u) {
    cpuid(0x80000007u, r);
    out->invariant = (r[3] >> 8) & 1;
  }
  if (max_ext >= 0x80000001u) {
    cpuid(0x80000001u, r);
    out->rdtscp = (r[3] >> 27) & 1;
  }
  /* Leaf 0x15: TSC = crystal * EBX / EAX; ECX is the crystal in Hz when the CPU
   * reports it. Leaf 0x16 EAX is the base frequency in MHz, which equals the TSC
   * rate on the parts that lack the crystal figure (SDM 18.7.3). */
  if (max_std >= 0x15) {
    cpuid(0x15, r);
    if (r[0] && r[1] && r[2])
      out->cpuid_hz = (uint64_t)r[2] * r[1] / r[0];
  }
  if (!out->cpuid_hz && max_std >= 0x16) {
    cpuid(0x16, r);
    out->cpuid_hz = (uint64_t)(r[0] & 0xffff) * 1000000u;
  }
  if (out->hypervisor) {
    cpuid(0x40000000u, r);
    memcpy(out->hypervisor_name + 0, &r[1], 4);
    memcpy(out->hypervisor_name + 4, &r[2], 4);
    memcpy(out->hypervisor_name + 8, &r[3], 4);
    out->hypervisor_name[12] = '\0';
    for (int i = 11; i >= 0 && (out->hypervisor_name[i] == ' ' || !out->hypervisor_name[i]); i--)
      out->hypervisor_name[i] = '\0'; /* "bhyve bhyve " */
    /* The VMware/KVM "timing information" leaf: EAX = TSC kHz. */
    if (r[0] >= 0x40000010u) {
      cpuid(0x40000010u, r);
      out->hypervisor_hz = (uint64_t)r[0] * 1000u;
    }
  }
#elif defined(__aarch64__)
  uint64_t hz;
  __asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(hz));
  out->invariant = 1; /* the generic timer is architecturally constant-rate */
  out->cpuid_hz = hz;
#endif
}

void lali_cpu_model(char *buf, size_t size) {
  if (size == 0)
    return;
  buf[0] = '\0';
#ifdef LALI_X86
  uint32_t r[4];
  cpuid(0x80000000u, r);
  if (r[0] < 0x80000004u)
    return;
  char brand[49];
  for (uint32_t leaf = 0; leaf < 3; leaf++) {
    cpuid(0x80000002u + leaf, r);
    memcpy(brand + 16 * leaf, r, 16);
  }
  brand[48] = '\0';
  const char *start = brand;
  while (*start == ' ')
    start++;
  size_t n = strlen(start);
  while (n > 0 && start[n - 1] == ' ')
    n--;
  if (n >= size)
    n = size - 1;
  memcpy(buf, start, n);
  buf[n] = '\0';
#endif
}
