// SPDX-License-Identifier: MIT
// An installed lal used as a C++17 engine uses it: a pool of std::thread
// workers, each applying its own placement (lal's setters act on the calling
// thread only), a std::mutex-guarded tally, a short precise sleep. A toolchain
// whose C++ library has no std::thread or std::mutex (mingw-w64's win32 thread
// model) fails to build this, and so fails CI.
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

#include "lal.h"

int main() {
  lal_topology *topo = nullptr;
  if (lal_topology_load(&topo) != LAL_OK)
    return 1;
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  if (lal_topology_get_info(topo, &info) != LAL_OK)
    return 1;
  const int workers = info.pus < 4 ? info.pus : 4;
  std::vector<lal_cpuset> where(static_cast<size_t>(workers));
  lal_place_req req = LAL_PLACE_REQ_INIT;
  req.threads = workers;
  req.flags = LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_FAST | LAL_PLACE_BEST_EFFORT;
  lal_place_result placed = LAL_PLACE_RESULT_INIT;
  if (lal_place(topo, &req, where.data(), &placed) != LAL_OK)
    return 1;

  std::mutex tally_lock;
  int ran = 0, pinned = 0;
  std::vector<std::thread> pool;
  for (int i = 0; i < workers; i++)
    pool.emplace_back([&, i] {
      const lal_cpuset &mine = where[static_cast<size_t>(i)];
      int rc = lal_thread_set_affinity(&mine);
      lal_cpuset now;
      bool there = rc == LAL_OK && lal_thread_get_affinity(&now) == LAL_OK &&
                   lal_cpuset_equal(&now, &mine);
      lal_sleep_ns(200000, 0); // 0.2 ms
      std::lock_guard<std::mutex> hold(tally_lock);
      ran++;
      pinned += there ? 1 : 0;
    });
  for (std::thread &t : pool)
    t.join();
  lal_topology_free(topo);
  std::printf("consumer_threads: %d workers on std::thread, %d placed where lal_place said (%s)\n",
              ran, pinned, info.source);
  return ran == workers && pinned == workers ? 0 : 1;
}
