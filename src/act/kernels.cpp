// Loop driver and dispatch for the activation kernels.
//
// The math of each activation lives in ops-inl.h; this file owns what is
// common to all of them: whole vectors plus a padded tail, the per-target
// switch generated from the catalogue list, the row loop of the softmax
// family (its math in softmax-inl.h), run-time target selection and
// threading.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <thread>
#include <vector>

#include "actlab/act/kernels.hpp"
#include "actlab/act/parallel.hpp"
#include "actlab/act/reference.hpp"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/act/kernels.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/cache_control.h"   // FlushStream (bench branch: streaming stores)
#include "hwy/highway.h"
#include "src/act/ops-inl.h"
#include "src/act/ops_dst-inl.h"  // backward from y (bench branch)
#include "src/act/softmax-inl.h"

HWY_BEFORE_NAMESPACE();
namespace actlab::act::HWY_NAMESPACE {

// y = Op::fwd(x) over n floats. Whole vectors first, then the tail through
// a padded buffer, so any length and alignment work; in place is safe
// because each vector is loaded before it is stored.
template <class Op>
HWY_INLINE void ForwardLoop(const Params& params, const float* x, float* y, size_t n) {
  // A local copy: the stores through y cannot alias it, so per-call work on
  // the parameters (rrelu's slope, beta = 1 tests) hoists out of the loop.
  const Params p = params;
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  size_t i = 0;
  for (; i + N <= n; i += N) hn::StoreU(Op::fwd(d, hn::LoadU(d, x + i), p), d, y + i);
  if (i < n) {
    HWY_ALIGN float bx[hn::MaxLanes(d)] = {};
    std::memcpy(bx, x + i, (n - i) * sizeof(float));
    hn::Store(Op::fwd(d, hn::Load(d, bx), p), d, bx);
    std::memcpy(y + i, bx, (n - i) * sizeof(float));
  }
}

// dx = Op::bwd(x, y, dy) over n floats; same tail handling.
template <class Op>
HWY_INLINE void BackwardLoop(const Params& params, const float* x, const float* y, const float* dy,
                             float* dx, size_t n) {
  const Params p = params;
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  size_t i = 0;
  for (; i + N <= n; i += N) {
    const auto v = Op::bwd(d, hn::LoadU(d, x + i), hn::LoadU(d, y + i), hn::LoadU(d, dy + i), p);
    hn::StoreU(v, d, dx + i);
  }
  if (i < n) {
    HWY_ALIGN float bx[hn::MaxLanes(d)] = {};
    HWY_ALIGN float by[hn::MaxLanes(d)] = {};
    HWY_ALIGN float bg[hn::MaxLanes(d)] = {};
    std::memcpy(bx, x + i, (n - i) * sizeof(float));
    std::memcpy(by, y + i, (n - i) * sizeof(float));
    std::memcpy(bg, dy + i, (n - i) * sizeof(float));
    hn::Store(Op::bwd(d, hn::Load(d, bx), hn::Load(d, by), hn::Load(d, bg), p), d, bx);
    std::memcpy(dx + i, bx, (n - i) * sizeof(float));
  }
}

// An Op may name a cheaper Op for some parameter values (`using Special =
// ...; static bool UseSpecial(const Params&)`: swish with beta = 1 is silu,
// softplus with its defaults has a table kernel). The choice is made once
// per call, so each loop body holds one kernel: a per-vector branch between
// two kernels made GCC spill the table registers of both.
template <class Op, class Run>
HWY_INLINE void WithSpecial(const Params& p, Run run) {
  if constexpr (requires { typename Op::Special; }) {
    if (Op::UseSpecial(p)) return run.template operator()<typename Op::Special>();
  }
  run.template operator()<Op>();
}

void ForwardImpl(Act a, const Params& p, const float* x, float* y, size_t n) {
  switch (a) {
#define ACTLAB_X_FWD(id, ...) \
  case Act::id:               \
    return WithSpecial<Op<Act::id>>(p, [&]<class O>() { ForwardLoop<O>(p, x, y, n); });
    ACTLAB_ACTIVATIONS(ACTLAB_X_FWD)
#undef ACTLAB_X_FWD
  }
}

void BackwardImpl(Act a, const Params& p, const float* x, const float* y, const float* dy,
                  float* dx, size_t n) {
  switch (a) {
#define ACTLAB_X_BWD(id, ...) \
  case Act::id:               \
    return WithSpecial<Op<Act::id>>(p, [&]<class O>() { BackwardLoop<O>(p, x, y, dy, dx, n); });
    ACTLAB_ACTIVATIONS(ACTLAB_X_BWD)
#undef ACTLAB_X_BWD
  }
}

// --- backward from y (use_dst), bench branch: OpDst<> in ops_dst-inl.h -----
// dx = OpDst::bwd_y(y, dy); same tail handling as BackwardLoop.
template <class Op>
HWY_INLINE void BackwardFromYLoop(const Params& params, const float* y, const float* dy, float* dx,
                                  size_t n) {
  const Params p = params;
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  size_t i = 0;
  for (; i + N <= n; i += N)
    hn::StoreU(Op::bwd_y(d, hn::LoadU(d, y + i), hn::LoadU(d, dy + i), p), d, dx + i);
  if (i < n) {
    HWY_ALIGN float by[hn::MaxLanes(d)] = {};
    HWY_ALIGN float bg[hn::MaxLanes(d)] = {};
    std::memcpy(by, y + i, (n - i) * sizeof(float));
    std::memcpy(bg, dy + i, (n - i) * sizeof(float));
    hn::Store(Op::bwd_y(d, hn::Load(d, by), hn::Load(d, bg), p), d, by);
    std::memcpy(dx + i, by, (n - i) * sizeof(float));
  }
}

bool HasBackwardFromYImpl(Act a, const Params& p) {
  switch (a) {
#define ACTLAB_X_HASDST(id, ...) \
  case Act::id:                  \
    return OpDst<Act::id>::ok(p);
    ACTLAB_ACTIVATIONS(ACTLAB_X_HASDST)
#undef ACTLAB_X_HASDST
  }
  return false;
}

// A template, so that entries without OpDst::bwd_y are never instantiated.
template <Act A>
HWY_INLINE void BackwardFromYEntry(const Params& p, const float* y, const float* dy, float* dx,
                                   size_t n) {
  if constexpr (OpDst<A>::kHas) BackwardFromYLoop<OpDst<A>>(p, y, dy, dx, n);
}

void BackwardFromYImpl(Act a, const Params& p, const float* y, const float* dy, float* dx,
                       size_t n) {
  switch (a) {
#define ACTLAB_X_BWDY(id, ...) \
  case Act::id:                \
    return BackwardFromYEntry<Act::id>(p, y, dy, dx, n);
    ACTLAB_ACTIVATIONS(ACTLAB_X_BWDY)
#undef ACTLAB_X_BWDY
  }
}
// --- end backward from y ----------------------------------------------------

// --- streaming stores for large out-of-place calls (bench branch) ----------
// Above kStreamMin elements the output does not stay in cache, and a normal
// store first reads the destination line (read-for-ownership): 3 memory
// streams for a copy-like forward instead of 2. Non-temporal stores skip
// that read (glibc's memcpy does the same for large copies), so large calls
// reach the copy bandwidth. Same math (Op::fwd / bwd / bwd_y), same results;
// the unaligned head and the tail go through the ordinary loops.
template <class D>
HWY_INLINE size_t StreamHead(D d, const float* out, size_t n) {
  const size_t N = hn::Lanes(d);
  const size_t mis = (reinterpret_cast<uintptr_t>(out) / sizeof(float)) % N;
  return mis ? std::min(n, N - mis) : 0;
}

template <class Op>
HWY_INLINE void ForwardStreamLoop(const Params& params, const float* x, float* y, size_t n) {
  const Params p = params;
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  const size_t head = StreamHead(d, y, n);
  ForwardLoop<Op>(p, x, y, head);
  size_t i = head;
  for (; i + N <= n; i += N) hn::Stream(Op::fwd(d, hn::LoadU(d, x + i), p), d, y + i);
  ForwardLoop<Op>(p, x + i, y + i, n - i);
  hwy::FlushStream();
}

template <class Op>
HWY_INLINE void BackwardStreamLoop(const Params& params, const float* x, const float* y, const float* dy,
                                   float* dx, size_t n) {
  const Params p = params;
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  const size_t head = StreamHead(d, dx, n);
  BackwardLoop<Op>(p, x, y, dy, dx, head);
  size_t i = head;
  for (; i + N <= n; i += N)
    hn::Stream(Op::bwd(d, hn::LoadU(d, x + i), hn::LoadU(d, y + i), hn::LoadU(d, dy + i), p), d, dx + i);
  BackwardLoop<Op>(p, x + i, y + i, dy + i, dx + i, n - i);
  hwy::FlushStream();
}

template <class Op>
HWY_INLINE void BackwardFromYStreamLoop(const Params& params, const float* y, const float* dy, float* dx,
                                        size_t n) {
  const Params p = params;
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  const size_t head = StreamHead(d, dx, n);
  BackwardFromYLoop<Op>(p, y, dy, dx, head);
  size_t i = head;
  for (; i + N <= n; i += N)
    hn::Stream(Op::bwd_y(d, hn::LoadU(d, y + i), hn::LoadU(d, dy + i), p), d, dx + i);
  BackwardFromYLoop<Op>(p, y + i, dy + i, dx + i, n - i);
  hwy::FlushStream();
}

template <Act A>
HWY_INLINE void BackwardFromYStreamEntry(const Params& p, const float* y, const float* dy, float* dx,
                                         size_t n) {
  if constexpr (OpDst<A>::kHas) BackwardFromYStreamLoop<OpDst<A>>(p, y, dy, dx, n);
}

void ForwardStreamImpl(Act a, const Params& p, const float* x, float* y, size_t n) {
  switch (a) {
#define ACTLAB_X_FWDS(id, ...) \
  case Act::id:                \
    return WithSpecial<Op<Act::id>>(p, [&]<class O>() { ForwardStreamLoop<O>(p, x, y, n); });
    ACTLAB_ACTIVATIONS(ACTLAB_X_FWDS)
#undef ACTLAB_X_FWDS
  }
}

void BackwardStreamImpl(Act a, const Params& p, const float* x, const float* y, const float* dy,
                        float* dx, size_t n) {
  switch (a) {
#define ACTLAB_X_BWDS(id, ...) \
  case Act::id:                \
    return WithSpecial<Op<Act::id>>(p, [&]<class O>() { BackwardStreamLoop<O>(p, x, y, dy, dx, n); });
    ACTLAB_ACTIVATIONS(ACTLAB_X_BWDS)
#undef ACTLAB_X_BWDS
  }
}

void BackwardFromYStreamImpl(Act a, const Params& p, const float* y, const float* dy, float* dx,
                             size_t n) {
  switch (a) {
#define ACTLAB_X_BWDYS(id, ...) \
  case Act::id:                 \
    return BackwardFromYStreamEntry<Act::id>(p, y, dy, dx, n);
    ACTLAB_ACTIVATIONS(ACTLAB_X_BWDYS)
#undef ACTLAB_X_BWDYS
  }
}
// --- end streaming stores ---------------------------------------------------

void SoftmaxRowsImpl(Act a, const float* x, float* y, size_t rows, size_t cols) {
  for (size_t r = 0; r < rows; ++r) smx::RowForward(a, x + r * cols, y + r * cols, cols);
}

void SoftmaxRowsBackwardImpl(Act a, const float* x, const float* dy, float* dx, size_t rows, size_t cols) {
  for (size_t r = 0; r < rows; ++r) smx::RowBackward(a, x + r * cols, dy + r * cols, dx + r * cols, cols);
}

}  // namespace actlab::act::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace actlab::act {

HWY_EXPORT(ForwardImpl);
HWY_EXPORT(BackwardImpl);
HWY_EXPORT(HasBackwardFromYImpl);  // bench branch: backward from y
HWY_EXPORT(BackwardFromYImpl);
HWY_EXPORT(ForwardStreamImpl);  // bench branch: streaming stores for large calls
HWY_EXPORT(BackwardStreamImpl);
HWY_EXPORT(BackwardFromYStreamImpl);
HWY_EXPORT(SoftmaxRowsImpl);
HWY_EXPORT(SoftmaxRowsBackwardImpl);

namespace {

std::atomic<int> g_threads{0};  // 0: not set, use hardware concurrency

// bench branch: large out-of-place calls use non-temporal stores (see
// ForwardStreamLoop). 2^22 floats = 16 MiB per array: beyond what stays in
// this class of machine's share of L2/L3 between two calls.
constexpr size_t kStreamMin = size_t{1} << 22;
bool use_stream(size_t n, const void* out, const void* in1, const void* in2 = nullptr) {
  return n >= kStreamMin && out != in1 && out != in2;
}

// Splits [0, n) into chunks of whole cache lines when n is large enough.
template <class F>
void split(size_t n, F&& f) {
  const int t = num_threads();
  if (t <= 1 || n < 2 * kMinPerThread) {
    f(size_t{0}, n);
    return;
  }
  const size_t parts = std::min<size_t>(static_cast<size_t>(t), n / kMinPerThread);
  size_t chunk = (n + parts - 1) / parts;
  chunk = (chunk + 15) / 16 * 16;  // 64-byte multiples: no false sharing
  const size_t chunks = (n + chunk - 1) / chunk;
  parallel_for(chunks, t, [&](size_t c) {
    const size_t b = c * chunk;
    f(b, std::min(n, b + chunk) - b);
  });
}

}  // namespace

void forward(Act a, const Params& p, const float* x, float* y, size_t n) {
  if (is_rowwise(a)) return forward_rows(a, p, x, y, 1, n);
  if (use_stream(n, y, x))  // bench branch: streaming stores
    return split(n, [&](size_t b, size_t len) { HWY_DYNAMIC_DISPATCH(ForwardStreamImpl)(a, p, x + b, y + b, len); });
  split(n, [&](size_t b, size_t len) { HWY_DYNAMIC_DISPATCH(ForwardImpl)(a, p, x + b, y + b, len); });
}

void backward(Act a, const Params& p, const float* x, const float* y, const float* dy, float* dx,
              size_t n) {
  if (is_rowwise(a)) return backward_rows(a, p, x, y, dy, dx, 1, n);
  if (use_stream(n, dx, dy, x))  // bench branch: streaming stores
    return split(n, [&](size_t b, size_t len) {
      HWY_DYNAMIC_DISPATCH(BackwardStreamImpl)(a, p, x + b, y + b, dy + b, dx + b, len);
    });
  split(n, [&](size_t b, size_t len) {
    HWY_DYNAMIC_DISPATCH(BackwardImpl)(a, p, x + b, y + b, dy + b, dx + b, len);
  });
}

void forward_rows(Act a, const Params& p, const float* x, float* y, size_t rows, size_t cols) {
  if (!is_rowwise(a)) return forward(a, p, x, y, rows * cols);
  if (cols == 0) return;
  const size_t per = std::max<size_t>(1, kMinPerThread / cols);
  const int t = num_threads();
  const size_t chunks = (rows + per - 1) / per;
  parallel_for(chunks, rows * cols >= 2 * kMinPerThread ? t : 1, [&](size_t c) {
    const size_t r0 = c * per, r1 = std::min(rows, (c + 1) * per);
    HWY_DYNAMIC_DISPATCH(SoftmaxRowsImpl)(a, x + r0 * cols, y + r0 * cols, r1 - r0, cols);
  });
}

void backward_rows(Act a, const Params& p, const float* x, const float* y, const float* dy,
                   float* dx, size_t rows, size_t cols) {
  if (!is_rowwise(a)) return backward(a, p, x, y, dy, dx, rows * cols);
  if (cols == 0) return;
  const size_t per = std::max<size_t>(1, kMinPerThread / cols);
  const int t = num_threads();
  const size_t chunks = (rows + per - 1) / per;
  parallel_for(chunks, rows * cols >= 2 * kMinPerThread ? t : 1, [&](size_t c) {
    const size_t r0 = c * per, r1 = std::min(rows, (c + 1) * per);
    HWY_DYNAMIC_DISPATCH(SoftmaxRowsBackwardImpl)(a, x + r0 * cols, dy + r0 * cols, dx + r0 * cols, r1 - r0,
                                                  cols);
  });
}

void set_num_threads(int n) { g_threads.store(n < 1 ? 1 : n); }

int num_threads() {
  int t = g_threads.load();
  if (t > 0) return t;
  const unsigned hc = std::thread::hardware_concurrency();
  return hc ? static_cast<int>(hc) : 1;
}

std::vector<std::string> supported_targets() {
  std::vector<std::string> out;
  const int64_t all = hwy::SupportedTargets() & HWY_TARGETS;
  for (int64_t t = all; t != 0; t &= t - 1) out.emplace_back(hwy::TargetName(t & ~(t - 1)));
  return out;  // lowest bit first == best target first on x86
}

std::string current_target() {
  const int64_t all = hwy::SupportedTargets() & HWY_TARGETS;
  return hwy::TargetName(all & ~(all - 1));
}

bool force_target(const std::string& name) {
  if (name.empty()) {
    hwy::SetSupportedTargetsForTest(0);
    hwy::GetChosenTarget().Update(hwy::SupportedTargets());
    return true;
  }
  hwy::SetSupportedTargetsForTest(0);
  const int64_t all = hwy::SupportedTargets() & HWY_TARGETS;
  for (int64_t t = all; t != 0; t &= t - 1) {
    const int64_t bit = t & ~(t - 1);
    if (name == hwy::TargetName(bit)) {
      hwy::SetSupportedTargetsForTest(bit);
      hwy::GetChosenTarget().Update(hwy::SupportedTargets());
      return true;
    }
  }
  hwy::GetChosenTarget().Update(hwy::SupportedTargets());
  return false;
}

// --- backward from y (use_dst), bench branch -------------------------------
bool has_backward_from_y(Act a, const Params& p) {
  return !is_rowwise(a) && HWY_DYNAMIC_DISPATCH(HasBackwardFromYImpl)(a, p);
}
bool has_backward_from_y(Act a) { return has_backward_from_y(a, defaults(a)); }

void backward_from_y(Act a, const Params& p, const float* y, const float* dy, float* dx,
                     size_t n) {
  if (!has_backward_from_y(a, p)) {
    // Programming error (callers check has_backward_from_y): fail loudly
    // with NaN rather than return a plausible wrong gradient.
    std::fill(dx, dx + n, std::numeric_limits<float>::quiet_NaN());
    return;
  }
  if (use_stream(n, dx, dy))
    return split(n, [&](size_t b, size_t len) {
      HWY_DYNAMIC_DISPATCH(BackwardFromYStreamImpl)(a, p, y + b, dy + b, dx + b, len);
    });
  split(n, [&](size_t b, size_t len) {
    HWY_DYNAMIC_DISPATCH(BackwardFromYImpl)(a, p, y + b, dy + b, dx + b, len);
  });
}
// --- end backward from y ----------------------------------------------------

}  // namespace actlab::act
#endif  // HWY_ONCE
