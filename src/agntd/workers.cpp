// SPDX-License-Identifier: MIT
#include "agntd/workers.h"

#include <string>

#include "common/error.h"

namespace agntd {

namespace {
agntos::Error too_many(size_t limit) {
  return agntos::Error(agntos::Errc::conflict,
                       "too many requests in progress (" + std::to_string(limit) + "); try again shortly");
}
}  // namespace

void Workers::require_room() {
  std::lock_guard lock(m_mutex);
  if (m_threads.size() >= m_limit) throw too_many(m_limit);
}

void Workers::spawn(std::function<void()> job) {
  auto done = std::make_shared<std::atomic<bool>>(false);
  std::lock_guard lock(m_mutex);
  if (m_threads.size() >= m_limit) throw too_many(m_limit);
  m_threads.push_back(Entry{std::thread([job = std::move(job), done] {
                              job();
                              *done = true;
                            }),
                            done});
}

void Workers::reap() {
  std::list<Entry> finished;
  {
    std::lock_guard lock(m_mutex);
    for (auto it = m_threads.begin(); it != m_threads.end();) {
      if (*it->done) finished.splice(finished.end(), m_threads, it++);
      else ++it;
    }
  }
  for (auto& entry : finished) entry.thread.join();
}

void Workers::join_all() {
  for (;;) {
    std::list<Entry> all;
    {
      std::lock_guard lock(m_mutex);
      all.swap(m_threads);
    }
    if (all.empty()) return;
    for (auto& entry : all) entry.thread.join();
  }
}

}  // namespace agntd
