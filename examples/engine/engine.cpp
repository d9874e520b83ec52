// SPDX-License-Identifier: MIT
// A small C++17 engine as docs/engine-guide.md walks through it:
//   - a render thread: a frame loop at 240 Hz on lal's pacer with precise
//     sleep, the INTERACTIVE profile, a core of its own;
//   - an audio thread: a 1 ms pacer, the AUDIO profile, a ring buffer that is
//     locked where the OS allows it and prefaulted either way;
//   - a job system: std::thread workers placed one per core by lal_place,
//     each applying its own placement and priority (lal's setters act on the
//     calling thread only), fed through a std::mutex / std::condition_variable
//     queue;
//   - every result printed: on a player's machine most of this is refused,
//     and the engine runs anyway.
// Usage: engine [frames]   (default 480: two seconds at 240 Hz)
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "lal.h"

namespace {

constexpr uint64_t kFrameNs = 1000000000ull / 240; // 4.17 ms
constexpr uint64_t kAudioNs = 1000000;             // 1 ms: 48 frames at 48 kHz
constexpr size_t kRingBytes = 2u << 20;

// ---- placement: who runs where, decided once, applied by each thread itself

struct Plan {
  lal_cpuset render{};
  lal_cpuset audio{};
  std::vector<lal_cpuset> workers;
  bool main_placed = false;    // render and audio have a core each
  bool workers_placed = false; // workers[i] is worker i's CPU
};

// Render and audio first, one fast core each; workers on the cores left, one
// per core, or, where none are left (a 2-core laptop), on all of them.
// LAL_PLACE_BEST_EFFORT relaxes what cannot be met and says so.
Plan make_plan(int want_workers) {
  Plan plan;
  lal_topology *topo = nullptr;
  int rc = lal_topology_load(&topo);
  if (rc != LAL_OK) {
    std::printf("topology: %s: every thread runs where the OS puts it\n", lal_err_name(rc));
    return plan;
  }
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  lal_topology_get_info(topo, &info);
  lal_cpuset main_two[2];
  lal_place_req req = LAL_PLACE_REQ_INIT;
  req.threads = 2;
  req.flags = LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_FAST | LAL_PLACE_BEST_EFFORT;
  lal_place_result why = LAL_PLACE_RESULT_INIT;
  rc = lal_place(topo, &req, main_two, &why);
  plan.main_placed = rc == LAL_OK;
  if (why.reason[0])
    std::printf("render/audio: %s\n", why.reason);
  lal_cpuset taken;
  lal_cpuset_zero(&taken);
  if (plan.main_placed) {
    plan.render = main_two[0];
    plan.audio = main_two[1];
    lal_cpuset_or(&taken, &main_two[0], &main_two[1]);
  }
  plan.workers.resize(static_cast<size_t>(want_workers));
  lal_place_req jobs = LAL_PLACE_REQ_INIT;
  jobs.threads = want_workers;
  jobs.flags = LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_FAST | LAL_PLACE_BEST_EFFORT;
  jobs.exclude = &taken;
  lal_place_result jwhy = LAL_PLACE_RESULT_INIT;
  rc = lal_place(topo, &jobs, plan.workers.data(), &jwhy);
  if (rc != LAL_OK) { // no core left beside render and audio: share them
    std::printf("workers: %s; sharing the render and audio cores\n", jwhy.reason);
    jobs.exclude = nullptr;
    jwhy = LAL_PLACE_RESULT_INIT;
    rc = lal_place(topo, &jobs, plan.workers.data(), &jwhy);
  }
  plan.workers_placed = rc == LAL_OK;
  if (jwhy.reason[0])
    std::printf("workers: %s\n", jwhy.reason);
  std::printf("topology: %d CPUs, %d cores, %d kinds (from %s)\n", info.pus, info.cores,
              info.kinds, info.source);
  lal_topology_free(topo);
  return plan;
}

// What a thread does first: its own placement and priority. Either may be
// refused; the thread runs regardless and says what it got.
void apply(const char *name, const lal_cpuset *where, lal_priority_profile profile) {
  lal_thread_set_name(name);
  char cpus[64] = "anywhere";
  if (where && lal_cpuset_count(where) > 0) {
    int rc = lal_thread_set_affinity(where);
    if (rc == LAL_OK)
      lal_cpuset_format(where, cpus, sizeof cpus);
    else
      std::snprintf(cpus, sizeof cpus, "anywhere (%s)", lal_err_name(rc));
  }
  lal_priority_req req = LAL_PRIORITY_REQ_INIT;
  req.profile = profile;
  req.flags = LAL_PRIORITY_FALLBACK; // degrade, never fail, on a player's machine
  lal_priority_result got = LAL_PRIORITY_RESULT_INIT;
  int rc = lal_thread_set_priority(&req, &got);
  std::printf("%s: CPU %s; priority %s%s%s\n", name, cpus, rc == LAL_OK ? "set" : lal_err_name(rc),
              (got.flags & LAL_PRIORITY_DEGRADED) ? ", degraded: " : "",
              (got.flags & LAL_PRIORITY_DEGRADED) ? got.reason : "");
}

// ---- the job system

class JobSystem {
public:
  // places: one CPU set per worker (kept: each worker reads its own at
  // start), or empty for two unplaced workers.
  explicit JobSystem(std::vector<lal_cpuset> places) : places_(std::move(places)) {
    size_t n = places_.empty() ? 2 : places_.size();
    for (size_t i = 0; i < n; i++) {
      const lal_cpuset *where = i < places_.size() ? &places_[i] : nullptr;
      threads_.emplace_back([this, i, where] {
        char name[16];
        std::snprintf(name, sizeof name, "worker %zu", i);
        apply(name, where, LAL_PRIORITY_NORMAL);
        run();
      });
    }
  }
  ~JobSystem() {
    {
      std::lock_guard<std::mutex> hold(lock_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread &t : threads_)
      t.join();
  }
  void submit(std::function<void()> job) {
    {
      std::lock_guard<std::mutex> hold(lock_);
      queue_.push_back(std::move(job));
      pending_++;
    }
    wake_.notify_one();
  }
  void wait_idle() {
    std::unique_lock<std::mutex> hold(lock_);
    idle_.wait(hold, [this] { return pending_ == 0; });
  }

private:
  void run() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> hold(lock_);
        wake_.wait(hold, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty())
          return;
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      job();
      std::lock_guard<std::mutex> hold(lock_);
      if (--pending_ == 0)
        idle_.notify_all();
    }
  }
  std::vector<lal_cpuset> places_;
  std::mutex lock_;
  std::condition_variable wake_, idle_;
  std::deque<std::function<void()>> queue_;
  size_t pending_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// ---- audio

struct Audio {
  float *ring = nullptr;
  size_t frames = 0;
  unsigned long periods = 0;
  lal_pacer_stats stats = LAL_PACER_STATS_INIT;
  int status = LAL_OK;
};

void audio_thread(Audio *a, const lal_cpuset *where) {
  apply("audio", where, LAL_PRIORITY_AUDIO);
  lal_pacer pacer;
  a->status = lal_pacer_init(&pacer, kAudioNs, LAL_PACER_PRECISE);
  lal_hist *hist = nullptr; // exact percentiles, not power-of-two bounds
  if (a->status == LAL_OK && lal_hist_create(&hist) == LAL_OK)
    lal_pacer_set_hist(&pacer, hist);
  for (unsigned long n = 0; a->status == LAL_OK && n < a->periods; n++) {
    a->status = lal_pacer_wait(&pacer, nullptr);
    for (size_t i = 0; i < 48; i++) // one period of a 440 Hz square wave
      a->ring[(n * 48 + i) % a->frames] = ((n * 48 + i) / 55) % 2 ? 0.25f : -0.25f;
  }
  if (a->status == LAL_OK)
    a->status = lal_pacer_get_stats(&pacer, &a->stats);
  lal_hist_free(hist);
}

void print_lateness(const char *what, const lal_pacer_stats &s) {
  std::printf("%s: %llu waits, %llu missed; lateness p50 %.1f us, p99 %.1f us, max %.1f us\n", what,
              static_cast<unsigned long long>(s.waits), static_cast<unsigned long long>(s.missed),
              s.late_p50_ns / 1e3, s.late_p99_ns / 1e3, s.late_max_ns / 1e3);
}

} // namespace

int main(int argc, char **argv) {
  unsigned long frames = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 480;
  if (frames == 0 || frames > 24000) {
    std::fprintf(stderr, "usage: engine [frames 1..24000]\n");
    return 2;
  }
  unsigned hw = std::thread::hardware_concurrency();
  int want_workers = hw > 2 ? static_cast<int>(hw) - 2 : 1;
  Plan plan = make_plan(want_workers);

  // The audio ring: large pages where there are any, locked where the OS lets
  // this process lock, prefaulted always (LAL_MEM_FALLBACK covers both).
  lal_mem_opts mo = LAL_MEM_OPTS_INIT;
  mo.page_kind = LAL_PAGE_LARGE;
  mo.flags = LAL_MEM_FALLBACK | LAL_MEM_LOCK | LAL_MEM_PREFAULT;
  lal_mem_info mi = LAL_MEM_INFO_INIT;
  void *ring = nullptr;
  int rc = lal_mem_alloc(kRingBytes, &mo, &ring, &mi);
  if (rc != LAL_OK) {
    std::fprintf(stderr, "ring buffer: %s\n", lal_strerror(rc));
    return 1;
  }
  std::printf("ring: %llu KiB pages, %s, %llu of %llu bytes resident%s%s\n",
              static_cast<unsigned long long>(mi.page_bytes >> 10),
              mi.locked ? "locked" : "not locked", static_cast<unsigned long long>(mi.resident_bytes),
              static_cast<unsigned long long>(mi.mapped_bytes), mi.degraded ? "; fallback: " : "",
              mi.degraded ? mi.reason : "");

  Audio audio;
  audio.ring = static_cast<float *>(ring);
  audio.frames = kRingBytes / sizeof(float);
  audio.periods = frames * kFrameNs / kAudioNs;
  std::thread audio_worker(audio_thread, &audio, plan.main_placed ? &plan.audio : nullptr);

  lal_pacer_stats render_stats = LAL_PACER_STATS_INIT;
  int render_status = LAL_OK;
  unsigned long jobs_done = 0;
  {
    JobSystem jobs(plan.workers_placed ? plan.workers : std::vector<lal_cpuset>{});
    std::mutex done_lock;
    std::thread render([&] {
      apply("render", plan.main_placed ? &plan.render : nullptr, LAL_PRIORITY_INTERACTIVE);
      lal_pacer pacer;
      render_status = lal_pacer_init(&pacer, kFrameNs, LAL_PACER_PRECISE);
      lal_hist *hist = nullptr;
      if (render_status == LAL_OK && lal_hist_create(&hist) == LAL_OK)
        lal_pacer_set_hist(&pacer, hist);
      for (unsigned long f = 0; render_status == LAL_OK && f < frames; f++) {
        render_status = lal_pacer_wait(&pacer, nullptr);
        for (int j = 0; j < 8; j++) // a frame's worth of jobs: simulate, cull, ...
          jobs.submit([&] {
            volatile uint64_t x = 0;
            for (int k = 0; k < 2000; k++)
              x = x + static_cast<uint64_t>(k);
            std::lock_guard<std::mutex> hold(done_lock);
            jobs_done++;
          });
        jobs.wait_idle();
      }
      if (render_status == LAL_OK)
        render_status = lal_pacer_get_stats(&pacer, &render_stats);
      lal_hist_free(hist);
    });
    render.join();
  }
  audio_worker.join();
  lal_mem_free(ring, kRingBytes);

  if (render_status != LAL_OK || audio.status != LAL_OK) {
    std::fprintf(stderr, "pacing failed: render %s, audio %s\n", lal_err_name(render_status),
                 lal_err_name(audio.status));
    return 1;
  }
  print_lateness("render 240 Hz", render_stats);
  print_lateness("audio 1 ms", audio.stats);
  std::printf("engine: %lu frames at 240 Hz, %lu jobs\n", frames, jobs_done);
  return jobs_done == frames * 8 ? 0 : 1;
}
