#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Writes the three machines of tests/data/machines that this project cannot
# record itself, file by file, in the format `capture.sh` records:
#   rt-box     a tuned realtime box: PREEMPT_RT, CPUs 2-7 isolated with
#              nohz_full/rcu_nocbs, IRQs on 0-1, performance governor, C1 only,
#              SMT off, hugepages reserved, RT throttling off, generous rlimits
#   laptop     a stock desktop distribution on a laptop: powersave, deep
#              C-states, SMT on, THP always, swap in use, irqbalance running,
#              an unprivileged user with default rlimits
#   container  a container on a cloud VM with a CPU quota that is throttling
#              and high CPU pressure, under Docker's default seccomp filter
#   flatpak    a game in a Flatpak sandbox on a desktop whose kernel has
#              RT_GROUP_SCHED (the user slice's RT budget is 0), io_uring
#              switched off by sysctl, RLIMIT_RTTIME 200 ms, no system bus
# Run from this directory: bash make-variants.sh
set -euo pipefail
cd "$(dirname "$0")"

w() { # w MACHINE PATH CONTENT
  mkdir -p "$1$(dirname "$2")"
  printf '%s\n' "$3" > "$1$2"
}
limits() { # limits MACHINE RTPRIO MEMLOCK_BYTES_OR_unlimited [RTTIME_US_OR_unlimited]
  w "$1" /proc/self/limits "Limit                     Soft Limit           Hard Limit           Units
Max locked memory         $3                   $3                   bytes
Max realtime priority     $2                   $2
Max realtime timeout      ${4:-unlimited}            ${4:-unlimited}            us"
}
cpus() { # cpus MACHINE N GOVERNOR
  local i
  for ((i = 0; i < $2; i++)); do
    w "$1" "/sys/devices/system/cpu/cpu$i/cpufreq/scaling_governor" "$3"
  done
  w "$1" /sys/devices/system/cpu/online "0-$(($2 - 1))"
}
cstate() { # cstate MACHINE INDEX NAME LATENCY_US
  w "$1" "/sys/devices/system/cpu/cpu0/cpuidle/state$2/name" "$3"
  w "$1" "/sys/devices/system/cpu/cpu0/cpuidle/state$2/latency" "$4"
  w "$1" "/sys/devices/system/cpu/cpu0/cpuidle/state$2/disable" "0"
}
psi() { # psi MACHINE RESOURCE SOME_AVG60
  w "$1" "/proc/pressure/$2" "some avg10=$3 avg60=$3 avg300=$3 total=123456789
full avg10=0.00 avg60=0.00 avg300=0.00 total=0"
}
common_v2() { # common_v2 MACHINE GROUP CPU_MAX CPU_STAT
  w "$1" /proc/self/mountinfo "25 1 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate"
  w "$1" /proc/self/cgroup "0::$2"
  w "$1" /sys/fs/cgroup/cgroup.controllers "cpuset cpu io memory hugetlb pids rdma misc"
  w "$1" "/sys/fs/cgroup${2%/}/cpu.max" "$3"
  w "$1" "/sys/fs/cgroup${2%/}/cpu.stat" "$4"
}
vulns() { # vulns MACHINE TEXT
  local v
  for v in meltdown spectre_v1 spectre_v2 spec_store_bypass mds retbleed; do
    w "$1" "/sys/devices/system/cpu/vulnerabilities/$v" "$2"
  done
}

rm -rf rt-box laptop container flatpak

m=rt-box
w $m /proc/cmdline "BOOT_IMAGE=/vmlinuz-6.6.15-rt isolcpus=managed_irq,domain,2-7 nohz_full=2-7 rcu_nocbs=2-7 intel_idle.max_cstate=1 processor.max_cstate=1 clocksource=tsc tsc=reliable mitigations=off quiet"
w $m /proc/sys/kernel/version "#1 SMP PREEMPT_RT Thu Feb  1 10:00:00 UTC 2024"
w $m /sys/kernel/realtime 1
cpus $m 8 performance
w $m /sys/devices/system/cpu/isolated 2-7
w $m /sys/devices/system/cpu/nohz_full 2-7
w $m /sys/devices/system/cpu/smt/control off
w $m /sys/devices/system/cpu/cpuidle/current_driver intel_idle
cstate $m 0 POLL 0
cstate $m 1 C1 2
for irq in 0 1 8 9 24 25 26 27; do w $m "/proc/irq/$irq/smp_affinity_list" 0-1; done
w $m /sys/kernel/mm/transparent_hugepage/enabled "always madvise [never]"
w $m /sys/kernel/mm/transparent_hugepage/defrag "always defer defer+madvise [madvise] never"
w $m /proc/meminfo "MemTotal:       32768000 kB
SwapTotal:             0 kB
SwapFree:              0 kB
HugePages_Total:     512
HugePages_Free:      500
Hugepagesize:       2048 kB"
w $m /proc/swaps "Filename				Type		Size		Used		Priority"
w $m /proc/sys/kernel/sched_rt_runtime_us -1
limits $m 95 unlimited
w $m /proc/self/status "Name:	app
CapEff:	0000000000000000
Seccomp:	0"
w $m /proc/sys/kernel/io_uring_disabled 0
w $m /proc/self/timerslack_ns 1
w $m /sys/devices/system/clocksource/clocksource0/current_clocksource tsc
vulns $m "Vulnerable"
common_v2 $m /rt.slice/app.service "max 100000" "usage_usec 500000
user_usec 400000
system_usec 100000
nr_periods 0
nr_throttled 0
throttled_usec 0"
psi $m cpu 0.10
psi $m memory 0.00
psi $m io 0.00
w $m /proc/cpuinfo "flags		: fpu vme de pse tsc msr pae mce cx8 apic sep constant_tsc nonstop_tsc"

m=laptop
w $m /proc/cmdline "BOOT_IMAGE=/boot/vmlinuz-6.5.0-21-generic root=UUID=0000 ro quiet splash"
w $m /proc/sys/kernel/version "#21~22.04.1-Ubuntu SMP PREEMPT_DYNAMIC Fri Feb  9 13:32:52 UTC 2"
cpus $m 8 powersave
w $m /sys/devices/system/cpu/isolated ""
w $m /sys/devices/system/cpu/smt/control on
w $m /sys/devices/system/cpu/cpuidle/current_driver intel_idle
cstate $m 0 POLL 0
cstate $m 1 C1E 2
cstate $m 2 C6 170
cstate $m 3 C10 890
w $m /proc/4242/comm irqbalance
w $m /sys/kernel/mm/transparent_hugepage/enabled "[always] madvise never"
w $m /sys/kernel/mm/transparent_hugepage/defrag "always defer defer+madvise [madvise] never"
w $m /proc/meminfo "MemTotal:       16384000 kB
SwapTotal:       2097148 kB
SwapFree:        1048576 kB
HugePages_Total:       0
HugePages_Free:        0
Hugepagesize:       2048 kB"
w $m /proc/swaps "Filename				Type		Size		Used		Priority
/swapfile                               file		2097148		1048572		-2"
w $m /proc/sys/kernel/sched_rt_runtime_us 950000
limits $m 0 8388608
w $m /proc/self/status "Name:	app
CapEff:	0000000000000000
Seccomp:	0"
w $m /proc/sys/kernel/io_uring_disabled 0
w $m /run/dbus/system_bus_socket ""
w $m /usr/share/dbus-1/system-services/org.freedesktop.RealtimeKit1.service "[D-BUS Service]
Name=org.freedesktop.RealtimeKit1
Exec=/usr/libexec/rtkit-daemon
User=root
SystemdService=rtkit-daemon.service"
w $m /proc/self/timerslack_ns 50000
w $m /sys/devices/system/clocksource/clocksource0/current_clocksource tsc
vulns $m "Mitigation: Enhanced / Automatic IBRS"
common_v2 $m /user.slice/user-1000.slice/session-2.scope "max 100000" "usage_usec 9000000
user_usec 8000000
system_usec 1000000
nr_periods 0
nr_throttled 0
throttled_usec 0"
psi $m cpu 6.50
psi $m memory 0.20
psi $m io 1.00
w $m /proc/cpuinfo "flags		: fpu vme de pse tsc msr pae mce cx8 apic sep constant_tsc nonstop_tsc hwp"

m=container
w $m /.dockerenv ""
w $m /proc/cmdline "BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-cloud-amd64 root=/dev/nvme0n1p1 ro console=ttyS0"
w $m /proc/sys/kernel/version "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)"
w $m /sys/devices/system/cpu/online 0-3
w $m /sys/devices/system/cpu/smt/control on
w $m /sys/devices/system/cpu/cpuidle/current_driver none
w $m /sys/kernel/mm/transparent_hugepage/enabled "always [madvise] never"
w $m /sys/kernel/mm/transparent_hugepage/defrag "always defer defer+madvise [madvise] never"
w $m /proc/meminfo "MemTotal:        8000000 kB
SwapTotal:             0 kB
SwapFree:              0 kB
HugePages_Total:       0
HugePages_Free:        0
Hugepagesize:       2048 kB"
w $m /proc/swaps "Filename				Type		Size		Used		Priority"
w $m /proc/sys/kernel/sched_rt_runtime_us 950000
limits $m 0 65536
w $m /proc/self/status "Name:	app
CapEff:	00000000a80425fb
Seccomp:	2
Seccomp_filters:	1"
w $m /proc/self/timerslack_ns 50000
w $m /sys/devices/system/clocksource/clocksource0/current_clocksource kvm-clock
vulns $m "Mitigation: PTI"
common_v2 $m / "50000 100000" "usage_usec 3600000000
user_usec 3000000000
system_usec 600000000
nr_periods 36000
nr_throttled 8280
throttled_usec 912000000"
psi $m cpu 31.20
psi $m memory 0.00
psi $m io 0.40
w $m /proc/cpuinfo "flags		: fpu vme de pse tsc msr pae mce cx8 apic sep hypervisor constant_tsc"
m=flatpak
w $m /.flatpak-info "[Application]
name=org.example.Game
runtime=runtime/org.freedesktop.Platform/x86_64/23.08"
limits $m 0 8388608 200000
w $m /proc/self/status "Name:	game
CapEff:	0000000000000000
Seccomp:	2
Seccomp_filters:	2"
w $m /proc/sys/kernel/io_uring_disabled 2
w $m /proc/self/mountinfo "25 1 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
35 25 0:30 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,cpu,cpuacct"
w $m /proc/self/cgroup "3:cpu,cpuacct:/user.slice/user-1000.slice/session-2.scope
0::/user.slice/user-1000.slice/session-2.scope"
w $m /sys/fs/cgroup/cpu,cpuacct/user.slice/user-1000.slice/session-2.scope/cpu.rt_runtime_us 0
echo "wrote rt-box laptop container flatpak"
