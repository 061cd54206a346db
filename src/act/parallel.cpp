// Persistent worker pool: threads are created once and park on a condition
// variable, so a 2^20-element kernel call does not pay thread creation.
#include "actlab/act/parallel.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace actlab::act {
namespace {

thread_local bool t_inside_pool = false;

class Pool {
 public:
  ~Pool() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
  }

  void run(std::size_t chunks, int threads, const std::function<void(std::size_t)>& fn) {
    std::lock_guard<std::mutex> call_lock(call_mu_);  // one parallel region at a time
    grow(threads - 1);
    {
      std::lock_guard<std::mutex> lk(mu_);
      fn_ = &fn;
      chunks_ = chunks;
      next_.store(0);
      active_ = threads - 1;
      pending_ = threads - 1;
      ++generation_;
    }
    cv_.notify_all();
    work();
    std::unique_lock<std::mutex> lk(mu_);
    done_cv_.wait(lk, [&] { return pending_ == 0; });
    fn_ = nullptr;
  }

 private:
  void grow(int n) {
    while (static_cast<int>(workers_.size()) < n) {
      workers_.emplace_back([this, id = workers_.size()] { loop(static_cast<int>(id)); });
    }
  }

  void work() {
    t_inside_pool = true;
    for (;;) {
      std::size_t c = next_.fetch_add(1);
      if (c >= chunks_) break;
      (*fn_)(c);
    }
    t_inside_pool = false;
  }

  void loop(int id) {
    std::uint64_t seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lk(mu_);
        cv_.wait(lk, [&] { return stop_ || (generation_ != seen && id < active_); });
        if (stop_) return;
        seen = generation_;
      }
      work();
      std::lock_guard<std::mutex> lk(mu_);
      if (--pending_ == 0) done_cv_.notify_one();
    }
  }

  std::mutex call_mu_;
  std::mutex mu_;
  std::condition_variable cv_, done_cv_;
  std::vector<std::thread> workers_;
  const std::function<void(std::size_t)>* fn_ = nullptr;
  std::size_t chunks_ = 0;
  std::atomic<std::size_t> next_{0};
  int active_ = 0;
  int pending_ = 0;
  std::uint64_t generation_ = 0;
  bool stop_ = false;
};

Pool& pool() {
  static Pool p;
  return p;
}

}  // namespace

void parallel_for(std::size_t chunks, int threads, const std::function<void(std::size_t)>& fn) {
  if (threads > static_cast<int>(chunks)) threads = static_cast<int>(chunks);
  if (threads <= 1 || t_inside_pool) {
    for (std::size_t c = 0; c < chunks; ++c) fn(c);
    return;
  }
  pool().run(chunks, threads, fn);
}

}  // namespace actlab::act
