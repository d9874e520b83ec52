#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Records the /proc and /sys files `lal doctor` reads into DIR, so its checks
# can be replayed on another machine (tests/linux/test_doctor.c):
#   bash tests/data/machines/capture.sh DIR
# then writes what the doctor must say of it beside it (expected-doctor.json,
# checked by ctest doctor_recorded_machines; review before committing):
#   python3 tests/programs/recorded_machines.py build/linux/tools/lal tests/data/machines --record
# Only the files below are copied; nothing identifying (host names, users)
# is among them. IRQ affinities are kept for the first 16 IRQs.
set -euo pipefail
out=${1:?usage: capture.sh DIR}
copy() {
  local f
  for f in "$@"; do
    [[ -r $f && -f $f ]] || continue
    mkdir -p "$out$(dirname "$f")"
    cat "$f" > "$out$f" 2>/dev/null || rm -f "$out$f"
  done
}
copy /proc/cmdline /proc/meminfo /proc/swaps /proc/sys/kernel/sched_rt_runtime_us \
     /proc/sys/kernel/io_uring_disabled /.flatpak-info \
     /proc/sys/kernel/version /proc/pressure/cpu /proc/pressure/memory /proc/pressure/io \
     /proc/self/limits /proc/self/status /proc/self/timerslack_ns /proc/self/mountinfo \
     /proc/self/cgroup
grep -m1 '^flags' /proc/cpuinfo > /tmp/lal-cpuinfo.$$ && mkdir -p "$out/proc" &&
  mv /tmp/lal-cpuinfo.$$ "$out/proc/cpuinfo"
for irq in $(ls /proc/irq 2>/dev/null | grep -E '^[0-9]+$' | sort -n | head -16); do
  copy "/proc/irq/$irq/smp_affinity_list"
done
for p in /proc/[0-9]*; do
  [[ $(cat "$p/comm" 2>/dev/null) == irqbalance ]] && copy "$p/comm"
done
c=/sys/devices/system/cpu
copy $c/online $c/possible $c/isolated $c/nohz_full $c/smt/control $c/cpuidle/current_driver
copy /sys/module/haltpoll/parameters/guest_halt_poll_ns
for cpu in $c/cpu[0-9]*; do
  copy "$cpu/cpufreq/scaling_governor"
done
for s in $c/cpu0/cpuidle/state*; do
  copy "$s/name" "$s/latency" "$s/disable"
done
copy $c/vulnerabilities/*
[[ -e /.dockerenv ]] && : > "$out/.dockerenv"
# what the rtkit check looks for: the system bus socket (recorded as an empty
# file) and rtkit's D-Bus service file
[[ -S /run/dbus/system_bus_socket ]] && mkdir -p "$out/run/dbus" && : > "$out/run/dbus/system_bus_socket"
copy /usr/share/dbus-1/system-services/org.freedesktop.RealtimeKit1.service
copy /sys/kernel/mm/transparent_hugepage/enabled /sys/kernel/mm/transparent_hugepage/defrag
copy /sys/devices/system/clocksource/clocksource0/current_clocksource /sys/kernel/realtime
# the calling process's cgroup files (v2 and the v1 cpu controller)
mnt=$(awk '$(NF-2)=="cgroup2"{print $5; exit}' /proc/self/mountinfo)
grp=$(sed -n 's/^0:://p' /proc/self/cgroup)
[[ -n $mnt ]] && copy "$mnt/cgroup.controllers" "$mnt${grp%/}/cpu.max" "$mnt${grp%/}/cpu.stat" \
  "$mnt${grp%/}/cpu.pressure"
v1=$(awk '$(NF-2)=="cgroup" && $NF ~ /(^|,)cpu(,|$)/ {print $5; exit}' /proc/self/mountinfo)
g1=$(sed -n 's/^[0-9]*:[^:]*\bcpu\b[^:]*://p' /proc/self/cgroup | head -n1)
[[ -n $v1 ]] && copy "$v1${g1%/}/cpu.cfs_quota_us" "$v1${g1%/}/cpu.cfs_period_us" "$v1${g1%/}/cpu.stat" \
  "$v1${g1%/}/cpu.rt_runtime_us"
echo "recorded into $out"
