// SPDX-License-Identifier: MIT
#pragma once
// Threads that run one job each: the daemon's turns and the requests that run agntctl.
// Finished threads are joined by reap() (called by the poll loop), the rest by join_all()
// and the destructor. At most `limit` run at once; spawn refuses more with Errc::conflict.

#include <atomic>
#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <thread>

namespace agntd {

class Workers {
public:
  explicit Workers(size_t limit) : m_limit(limit) {}
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;
  ~Workers() { join_all(); }

  // Runs `job` on a thread of its own; throws Error(conflict) when `limit` jobs are running.
  void spawn(std::function<void()> job);
  // Throws Error(conflict) when spawn would refuse (for a caller that must check first).
  void require_room();
  void reap();
  void join_all();

private:
  struct Entry {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  const size_t m_limit;
  std::mutex m_mutex;
  std::list<Entry> m_threads;
};

}  // namespace agntd
