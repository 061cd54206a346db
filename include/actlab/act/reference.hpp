// Scalar long double reference of every activation and its derivative.
//
// This is the ground truth the fast kernels are tested against (in ULPs).
// It is written for accuracy, not speed: stable forms (log1p, expm1,
// erfc for the lower tail, max-subtraction), the same piecewise conventions
// as PyTorch (value at breakpoints, softplus threshold), NaN in -> NaN out.
// Kept apart from the fast path on purpose: it shares no code with it.
#pragma once

#include <cstddef>

#include "actlab/act/catalogue.hpp"

namespace actlab::act::ref {

// f(x) for a pointwise activation. Rowwise entries are rejected (use the
// row functions); calling them here is a programming error.
long double forward(Act a, const Params& p, long double x);
// f'(x) for a pointwise activation (the one-sided convention PyTorch uses
// at breakpoints: e.g. relu'(0) = 0).
long double derivative(Act a, const Params& p, long double x);

// The same formulas in double: only for screening in the ULP sweep
// (src/act/ulp.cpp decides where the long double value must be computed),
// not a reference. Same conventions as forward / derivative.
double forward_d(Act a, const Params& p, double x);
double derivative_d(Act a, const Params& p, double x);

// Rowwise (softmax family) over one row of `cols` values.
void forward_row(Act a, const float* x, long double* y, std::size_t cols);
// dx = J^T dy for one row, given x and dy.
void backward_row(Act a, const float* x, const float* dy, long double* dx, std::size_t cols);

}  // namespace actlab::act::ref
