// Google Benchmark micro-benchmarks of the activation kernels, registered
// from the catalogue list: forward, backward from x, backward from y (where
// the entry has it) and in-place forward, at a few sizes, on the default
// thread count. Run: build/bench/actlab_microbench [--benchmark_filter=gelu]
// (items_per_second = elements/s). For side-by-side numbers with oneDNN and
// PyTorch use `actlab bench`.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "actlab/act/catalogue.hpp"
#include "actlab/act/kernels.hpp"
#include "actlab/lab/kernel_bench.hpp"

namespace {

using actlab::act::Act;

struct Entry {
  Act act;
  const char* name;
};

// Generated from the one list: a new activation is benchmarked without edits here.
const Entry kEntries[] = {
#define ACTLAB_X_BENCH(id, ...) {Act::id, #id},
    ACTLAB_ACTIVATIONS(ACTLAB_X_BENCH)
#undef ACTLAB_X_BENCH
};

struct Buffers {
  std::vector<float> x, y, dy, dx;
  Buffers(Act a, std::size_t n) : x(n), y(n), dy(n), dx(n) {
    actlab::lab::fill_inputs(actlab::lab::InputDist::normal, 1, x.data(), n);
    actlab::lab::fill_inputs(actlab::lab::InputDist::normal, 2, dy.data(), n);
    actlab::act::forward(a, actlab::act::defaults(a), x.data(), y.data(), n);
  }
};

void finish(benchmark::State& s, std::size_t n, int streams) {
  s.SetItemsProcessed(static_cast<int64_t>(s.iterations()) * static_cast<int64_t>(n));
  s.SetBytesProcessed(static_cast<int64_t>(s.iterations()) * static_cast<int64_t>(n) * streams * 4);
}

void Forward(benchmark::State& s, Act a) {
  const std::size_t n = static_cast<std::size_t>(s.range(0));
  Buffers b(a, n);
  const auto p = actlab::act::defaults(a);
  for (auto _ : s) {
    actlab::act::forward(a, p, b.x.data(), b.y.data(), n);
    benchmark::ClobberMemory();
  }
  finish(s, n, 2);
}

// In place: y overwrites x. Each iteration applies f to the previous output;
// the values drift, which is fine for a throughput figure of the loop.
void ForwardInPlace(benchmark::State& s, Act a) {
  const std::size_t n = static_cast<std::size_t>(s.range(0));
  Buffers b(a, n);
  const auto p = actlab::act::defaults(a);
  for (auto _ : s) {
    actlab::act::forward(a, p, b.x.data(), b.x.data(), n);
    benchmark::ClobberMemory();
  }
  finish(s, n, 2);
}

void Backward(benchmark::State& s, Act a) {
  const std::size_t n = static_cast<std::size_t>(s.range(0));
  Buffers b(a, n);
  const auto p = actlab::act::defaults(a);
  for (auto _ : s) {
    actlab::act::backward(a, p, b.x.data(), b.y.data(), b.dy.data(), b.dx.data(), n);
    benchmark::ClobberMemory();
  }
  finish(s, n, 3);
}

void BackwardFromY(benchmark::State& s, Act a) {
  const std::size_t n = static_cast<std::size_t>(s.range(0));
  Buffers b(a, n);
  const auto p = actlab::act::defaults(a);
  for (auto _ : s) {
    actlab::act::backward_from_y(a, p, b.y.data(), b.dy.data(), b.dx.data(), n);
    benchmark::ClobberMemory();
  }
  finish(s, n, 3);
}

void RegisterAll() {
  for (const Entry& e : kEntries) {
    if (actlab::act::is_rowwise(e.act)) continue;  // pointwise kernels only
    const std::string n = e.name;
    auto add = [](benchmark::internal::Benchmark* b) { b->Arg(1 << 10)->Arg(1 << 14)->Arg(1 << 20)->UseRealTime(); };
    add(benchmark::RegisterBenchmark(("fwd/" + n).c_str(), Forward, e.act));
    add(benchmark::RegisterBenchmark(("fwd_inplace/" + n).c_str(), ForwardInPlace, e.act));
    add(benchmark::RegisterBenchmark(("bwd/" + n).c_str(), Backward, e.act));
    if (actlab::act::has_backward_from_y(e.act))
      add(benchmark::RegisterBenchmark(("bwd_y/" + n).c_str(), BackwardFromY, e.act));
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RegisterAll();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
