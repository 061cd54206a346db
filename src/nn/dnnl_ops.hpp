// oneDNN wrappers used by the layers: row-major matmul and NCHW convolution,
// with one cached primitive per shape (creating a primitive costs far more
// than running a small one). Private to src/nn.
#pragma once

#include <cstdint>

namespace actlab::nn::dnn {

// Threads used by oneDNN (OpenMP runtime in Debian's build).
void set_threads(int n);

// C[M,N] = op(A) op(B) (+ bias[N] broadcast over rows), row-major float32.
// op(A) is A[M,K], or A stored as [K,M] when ta; op(B) is B[K,N], or B stored
// as [N,K] when tb. bias may be null. C is overwritten.
void matmul(const float* A, const float* B, const float* bias, float* C, std::int64_t M,
            std::int64_t K, std::int64_t N, bool ta, bool tb);

struct ConvShape {
  std::int64_t n, c, h, w;  // input NCHW
  std::int64_t o, kh, kw;   // weights OIHW (I = c)
  std::int64_t sh, sw, ph, pw;
  std::int64_t oh() const { return (h + 2 * ph - kh) / sh + 1; }
  std::int64_t ow() const { return (w + 2 * pw - kw) / sw + 1; }
};

void conv_forward(const ConvShape& s, const float* x, const float* w, const float* b, float* y);
void conv_backward_data(const ConvShape& s, const float* w, const float* dy, float* dx);
void conv_backward_weights(const ConvShape& s, const float* x, const float* dy, float* dw,
                           float* db);

}  // namespace actlab::nn::dnn
