#include "src/nn/dnnl_ops.hpp"

#include <omp.h>

#include <map>
#include <oneapi/dnnl/dnnl.hpp>
#include <string>
#include <tuple>

namespace actlab::nn::dnn {
namespace {

using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;
using dims = dnnl::memory::dims;

dnnl::engine& eng() {
  static dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}
// Streams, primitives and their scratch buffers are per thread: the study
// runner trains several single-threaded runs side by side, and a shared
// stream (or a lock around it) would serialise every GEMM of every run.
// The engine is thread-safe and shared.
dnnl::stream& strm() {
  thread_local dnnl::stream s(eng());
  return s;
}

dnnl::memory::desc md2(std::int64_t r, std::int64_t c, bool transposed) {
  // A logical r x c matrix stored row-major, or stored as its transpose.
  return transposed ? dnnl::memory::desc({r, c}, dt::f32, dims{1, r})
                    : dnnl::memory::desc({r, c}, dt::f32, dims{c, 1});
}

struct MatmulPrim {
  dnnl::matmul::primitive_desc pd;
  dnnl::matmul prim;
};

using MatKey = std::tuple<std::int64_t, std::int64_t, std::int64_t, bool, bool, bool>;

}  // namespace

void set_threads(int n) { omp_set_num_threads(n < 1 ? 1 : n); }

void matmul(const float* A, const float* B, const float* bias, float* C, std::int64_t M,
            std::int64_t K, std::int64_t N, bool ta, bool tb) {
  thread_local std::map<MatKey, MatmulPrim> cache;
  const MatKey key{M, K, N, ta, tb, bias != nullptr};
  auto it = cache.find(key);
  if (it == cache.end()) {
    auto a = md2(M, K, ta), b = md2(K, N, tb), c = md2(M, N, false);
    dnnl::matmul::primitive_desc pd;
    if (bias) {
      dnnl::memory::desc bm({1, N}, dt::f32, dims{N, 1});
      pd = dnnl::matmul::primitive_desc(dnnl::matmul::desc(a, b, bm, c), eng());
    } else {
      pd = dnnl::matmul::primitive_desc(dnnl::matmul::desc(a, b, c), eng());
    }
    it = cache.emplace(key, MatmulPrim{pd, dnnl::matmul(pd)}).first;
  }
  auto& p = it->second;
  dnnl::memory ma(p.pd.src_desc(), eng(), const_cast<float*>(A));
  dnnl::memory mb(p.pd.weights_desc(), eng(), const_cast<float*>(B));
  dnnl::memory mc(p.pd.dst_desc(), eng(), C);
  std::unordered_map<int, dnnl::memory> args{
      {DNNL_ARG_SRC, ma}, {DNNL_ARG_WEIGHTS, mb}, {DNNL_ARG_DST, mc}};
  if (bias) args.emplace(DNNL_ARG_BIAS, dnnl::memory(p.pd.bias_desc(), eng(), const_cast<float*>(bias)));
  p.prim.execute(strm(), args);
  strm().wait();
}

namespace {

using ConvKey = std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t, std::int64_t,
                           std::int64_t, std::int64_t, std::int64_t, std::int64_t, std::int64_t,
                           std::int64_t>;
ConvKey key_of(const ConvShape& s) {
  return {s.n, s.c, s.h, s.w, s.o, s.kh, s.kw, s.sh, s.sw, s.ph, s.pw};
}

// Convolutions run in the layouts oneDNN prefers for this CPU (blocked,
// e.g. nChw16c, for its direct JIT kernels: 3-8x faster than im2col on the
// plain layout); the layers keep plain NCHW/OIHW, so inputs and outputs are
// reordered at the boundary into scratch buffers kept with the primitives.
struct ConvPrims {
  dnnl::memory::desc src, wts, bia, dst;  // plain user layouts
  dnnl::convolution_forward::primitive_desc fpd;
  dnnl::convolution_forward fwd;
  dnnl::convolution_backward_data::primitive_desc dpd;
  dnnl::convolution_backward_data bwd_data;
  dnnl::convolution_backward_weights::primitive_desc wpd;
  dnnl::convolution_backward_weights bwd_w;
  std::map<std::string, dnnl::memory> scratch;
};

ConvPrims& conv_prims(const ConvShape& s) {
  thread_local std::map<ConvKey, ConvPrims> cache;
  auto it = cache.find(key_of(s));
  if (it != cache.end()) return it->second;
  dnnl::memory::desc src({s.n, s.c, s.h, s.w}, dt::f32, tag::nchw);
  dnnl::memory::desc wts({s.o, s.c, s.kh, s.kw}, dt::f32, tag::oihw);
  dnnl::memory::desc bia({s.o}, dt::f32, tag::x);
  dnnl::memory::desc dst({s.n, s.o, s.oh(), s.ow()}, dt::f32, tag::nchw);
  dnnl::memory::desc src_a({s.n, s.c, s.h, s.w}, dt::f32, tag::any);
  dnnl::memory::desc wts_a({s.o, s.c, s.kh, s.kw}, dt::f32, tag::any);
  dnnl::memory::desc dst_a({s.n, s.o, s.oh(), s.ow()}, dt::f32, tag::any);
  const dims st{s.sh, s.sw}, pad{s.ph, s.pw};
  const auto algo = dnnl::algorithm::convolution_direct;
  dnnl::convolution_forward::primitive_desc fpd(
      dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, algo, src_a, wts_a, bia,
                                      dst_a, st, pad, pad),
      eng());
  dnnl::convolution_backward_data::primitive_desc dpd(
      dnnl::convolution_backward_data::desc(algo, src_a, wts_a, dst_a, st, pad, pad), eng(), fpd);
  dnnl::convolution_backward_weights::primitive_desc wpd(
      dnnl::convolution_backward_weights::desc(algo, src_a, wts_a, bia, dst_a, st, pad, pad), eng(),
      fpd);
  ConvPrims p{src, wts, bia, dst, fpd, dnnl::convolution_forward(fpd), dpd,
              dnnl::convolution_backward_data(dpd), wpd, dnnl::convolution_backward_weights(wpd), {}};
  return cache.emplace(key_of(s), std::move(p)).first->second;
}

dnnl::memory mem(const dnnl::memory::desc& d, const float* p) {
  return dnnl::memory(d, eng(), const_cast<float*>(p));
}

// The user's buffer in layout `want`: the buffer itself when the layouts
// agree, else a reorder into the scratch buffer `slot`.
dnnl::memory in(ConvPrims& p, const std::string& slot, const dnnl::memory::desc& user,
                const float* ptr, const dnnl::memory::desc& want) {
  dnnl::memory u = mem(user, ptr);
  if (user == want) return u;
  auto it = p.scratch.find(slot);
  if (it == p.scratch.end()) it = p.scratch.emplace(slot, dnnl::memory(want, eng())).first;
  dnnl::reorder(u, it->second).execute(strm(), u, it->second);
  return it->second;
}

// Memory in layout `have` to compute into; out_done() copies it to the user.
dnnl::memory out(ConvPrims& p, const std::string& slot, const dnnl::memory::desc& user, float* ptr,
                 const dnnl::memory::desc& have) {
  if (user == have) return mem(user, ptr);
  auto it = p.scratch.find(slot);
  if (it == p.scratch.end()) it = p.scratch.emplace(slot, dnnl::memory(have, eng())).first;
  return it->second;
}

void out_done(const dnnl::memory& m, const dnnl::memory::desc& user, float* ptr) {
  if (m.get_desc() == user) return;
  dnnl::memory u = mem(user, ptr);
  dnnl::reorder(m, u).execute(strm(), const_cast<dnnl::memory&>(m), u);
}

}  // namespace

void conv_forward(const ConvShape& s, const float* x, const float* w, const float* b, float* y) {
  auto& p = conv_prims(s);
  auto mx = in(p, "f.src", p.src, x, p.fpd.src_desc());
  auto mw = in(p, "f.wts", p.wts, w, p.fpd.weights_desc());
  auto my = out(p, "f.dst", p.dst, y, p.fpd.dst_desc());
  p.fwd.execute(strm(), {{DNNL_ARG_SRC, mx}, {DNNL_ARG_WEIGHTS, mw},
                         {DNNL_ARG_BIAS, mem(p.bia, b)}, {DNNL_ARG_DST, my}});
  out_done(my, p.dst, y);
  strm().wait();
}

void conv_backward_data(const ConvShape& s, const float* w, const float* dy, float* dx) {
  auto& p = conv_prims(s);
  auto mdy = in(p, "d.dst", p.dst, dy, p.dpd.diff_dst_desc());
  auto mw = in(p, "d.wts", p.wts, w, p.dpd.weights_desc());
  auto mdx = out(p, "d.src", p.src, dx, p.dpd.diff_src_desc());
  p.bwd_data.execute(strm(), {{DNNL_ARG_DIFF_DST, mdy}, {DNNL_ARG_WEIGHTS, mw},
                              {DNNL_ARG_DIFF_SRC, mdx}});
  out_done(mdx, p.src, dx);
  strm().wait();
}

void conv_backward_weights(const ConvShape& s, const float* x, const float* dy, float* dw,
                           float* db) {
  auto& p = conv_prims(s);
  auto mx = in(p, "w.src", p.src, x, p.wpd.src_desc());
  auto mdy = in(p, "w.dst", p.dst, dy, p.wpd.diff_dst_desc());
  auto mdw = out(p, "w.wts", p.wts, dw, p.wpd.diff_weights_desc());
  p.bwd_w.execute(strm(), {{DNNL_ARG_SRC, mx}, {DNNL_ARG_DIFF_DST, mdy},
                           {DNNL_ARG_DIFF_WEIGHTS, mdw}, {DNNL_ARG_DIFF_BIAS, mem(p.bia, db)}});
  out_done(mdw, p.wts, dw);
  strm().wait();
}

}  // namespace actlab::nn::dnn
