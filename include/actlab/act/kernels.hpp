// Fast float32 activation kernels: vectorised with run-time dispatch
// (Google Highway: SSE4 / AVX2 / AVX-512 from one binary) and split across
// threads above a size threshold.
//
// Contracts (per entry, in the catalogue: ActInfo::ulp_fwd / ulp_bwd):
//   - forward(x) is within ulp_fwd ULP of the long double reference for every
//     finite float32 x; backward with dy = 1 within ulp_bwd of ref f'(x).
//   - NaN propagates; +-inf, +-0 and denormals give the reference's answer.
//   - Any length and alignment; in place allowed (y == x, dx == dy or dx == x).
//   - Parameters must be valid (catalogue validate()); kernels do not check.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "actlab/act/catalogue.hpp"

namespace actlab::act {

// y[i] = f(x[i]) for i < n. For rowwise entries the n values are one row.
void forward(Act a, const Params& p, const float* x, float* y, std::size_t n);

// dx[i] = dy[i] * f'(x[i]). Both x and y = f(x) are given (every call, so
// that each kernel may use whichever is cheaper); for rowwise entries the n
// values are one row and dx = J^T dy.
void backward(Act a, const Params& p, const float* x, const float* y, const float* dy, float* dx,
              std::size_t n);

// Backward from the output ("use_dst"): dx[i] = dy[i] * f'(x[i]) computed
// from y = f(x) alone, for the entries whose derivative is cheaper from y
// (relu family, hardtanh, relu6, shrinks, sigmoid, tanh, softsign, elu,
// celu, selu, squareplus, exponential; see src/act/ops_dst-inl.h for each
// contract). Saturating entries are accurate to a few ULP away from the
// saturation and to an absolute 2^-22 |dy| in it. has_backward_from_y says
// whether `a` with parameters `p` has this form (e.g. leaky_relu needs
// negative_slope >= 0); without `p`, for the default parameters. Calling
// backward_from_y where it is false fills dx with NaN. In place allowed.
bool has_backward_from_y(Act a);
bool has_backward_from_y(Act a, const Params& p);
void backward_from_y(Act a, const Params& p, const float* y, const float* dy, float* dx,
                     std::size_t n);

// Rowwise entries over a row-major rows x cols matrix (pointwise entries
// accept it too and treat it as rows * cols values).
void forward_rows(Act a, const Params& p, const float* x, float* y, std::size_t rows,
                  std::size_t cols);
void backward_rows(Act a, const Params& p, const float* x, const float* y, const float* dy,
                   float* dx, std::size_t rows, std::size_t cols);

// Threads used by the kernels above the size threshold (default: hardware
// concurrency). 1 disables threading.
void set_num_threads(int n);
int num_threads();
// Minimum elements per thread before a call is split.
inline constexpr std::size_t kMinPerThread = std::size_t{1} << 15;

// SIMD targets: the ones this CPU supports and this binary was compiled for,
// best first (e.g. "AVX3", "AVX2", "SSE4", "SSSE3", "EMU128"/"SCALAR").
std::vector<std::string> supported_targets();
// The target the next call will use.
std::string current_target();
// Restricts dispatch to one target (tests, benchmarks); "" restores the
// default (best supported). Returns false if the target is not supported.
bool force_target(const std::string& name);

}  // namespace actlab::act
