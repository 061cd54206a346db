// The oneDNN side of actlab bench: catalogue -> oneDNN 2.6 eltwise mapping,
// primitives over caller buffers, and OpenMP thread pinning.
#include <dlfcn.h>

#include <vector>

#include <oneapi/dnnl/dnnl.hpp>
#include <oneapi/dnnl/dnnl_version.h>

#include "src/lab/kernel_bench_internal.hpp"

namespace actlab::lab::detail {
namespace {

OnednnMapping make(dnnl_alg_kind_t fwd, dnnl_alg_kind_t dst, float alpha, float beta, std::string text) {
  OnednnMapping m;
  m.fwd_alg = fwd;
  m.dst_alg = dst == dnnl_alg_kind_undef ? -1 : static_cast<int>(dst);
  m.alpha = alpha;
  m.beta = beta;
  m.text = std::move(text);
  return m;
}

}  // namespace

// oneDNN 2.6 eltwise algorithms (dnnl_types.h): relu(alpha = negative
// slope), tanh, elu(alpha), logistic, exp, gelu_tanh, gelu_erf, swish(alpha =
// sigmoid scale), soft_relu (alpha ignored in 2.6: beta = 1 only), clip_v2,
// logsigmoid, mish, hardswish (alpha/beta ignored in 2.6), linear, plus
// *_use_dst_for_bwd for relu (alpha >= 0), tanh, elu (alpha >= 0),
// logistic, exp, clip_v2. No selu, celu, hardsigmoid, softsign, shrinks,
// threshold, squareplus, snake, tanhshrink, step.
std::optional<OnednnMapping> onednn_mapping(act::Act a, const act::Params& p, std::string& why) {
  const float p0 = p.v[0], p1 = p.v[1];
  const auto none = dnnl_alg_kind_undef;
  switch (a) {
    case act::Act::identity: return make(dnnl_eltwise_linear, none, 1.f, 0.f, "eltwise_linear(1, 0)");
    case act::Act::relu: return make(dnnl_eltwise_relu, dnnl_eltwise_relu_use_dst_for_bwd, 0.f, 0.f, "eltwise_relu");
    case act::Act::leaky_relu:
    case act::Act::prelu:
    case act::Act::rrelu: {
      const float s = a == act::Act::rrelu ? (p0 + p1) * 0.5f : p0;
      return make(dnnl_eltwise_relu, s >= 0 ? dnnl_eltwise_relu_use_dst_for_bwd : none, s, 0.f,
                  "eltwise_relu(alpha=" + std::to_string(s) + ")");
    }
    case act::Act::relu6:
      return make(dnnl_eltwise_clip_v2, dnnl_eltwise_clip_v2_use_dst_for_bwd, 0.f, 6.f, "eltwise_clip_v2(0, 6)");
    case act::Act::hardtanh:
      return make(dnnl_eltwise_clip_v2, dnnl_eltwise_clip_v2_use_dst_for_bwd, p0, p1, "eltwise_clip_v2(min, max)");
    case act::Act::sigmoid:
      return make(dnnl_eltwise_logistic, dnnl_eltwise_logistic_use_dst_for_bwd, 0.f, 0.f, "eltwise_logistic");
    case act::Act::tanh: return make(dnnl_eltwise_tanh, dnnl_eltwise_tanh_use_dst_for_bwd, 0.f, 0.f, "eltwise_tanh");
    case act::Act::elu:
      return make(dnnl_eltwise_elu, p0 >= 0 ? dnnl_eltwise_elu_use_dst_for_bwd : none, p0, 0.f, "eltwise_elu(alpha)");
    case act::Act::exponential: return make(dnnl_eltwise_exp, dnnl_eltwise_exp_use_dst_for_bwd, 0.f, 0.f, "eltwise_exp");
    case act::Act::gelu: return make(dnnl_eltwise_gelu_erf, none, 0.f, 0.f, "eltwise_gelu_erf");
    case act::Act::gelu_tanh: return make(dnnl_eltwise_gelu_tanh, none, 0.f, 0.f, "eltwise_gelu_tanh");
    case act::Act::silu: return make(dnnl_eltwise_swish, none, 1.f, 0.f, "eltwise_swish(alpha=1)");
    case act::Act::swish: return make(dnnl_eltwise_swish, none, p0, 0.f, "eltwise_swish(alpha=beta)");
    case act::Act::mish: return make(dnnl_eltwise_mish, none, 0.f, 0.f, "eltwise_mish");
    case act::Act::logsigmoid: return make(dnnl_eltwise_logsigmoid, none, 0.f, 0.f, "eltwise_logsigmoid");
    case act::Act::hardswish: return make(dnnl_eltwise_hardswish, none, 0.f, 0.f, "eltwise_hardswish");
    case act::Act::softplus:
      // soft_relu is log1p(exp(x)); PyTorch's threshold (x above it -> x)
      // changes nothing in float for the default threshold 20.
      if (p0 != 1.f) {
        why = "oneDNN 2.6 soft_relu has no beta (only beta = 1)";
        return std::nullopt;
      }
      return make(dnnl_eltwise_soft_relu, none, 0.f, 0.f, "eltwise_soft_relu");
    case act::Act::selu:
      // oneDNN 2.6 has no selu: elu(alpha) times scale would need a post-op,
      // which is no longer the same single-pass eltwise.
      why = "oneDNN 2.6 has no eltwise algorithm for selu";
      return std::nullopt;
    default:
      why = std::string("oneDNN 2.6 has no eltwise algorithm for ") + act::name(a);
      return std::nullopt;
  }
}

struct OnednnEltwise::Impl {
  dnnl::engine eng{dnnl::engine::kind::cpu, 0};
  dnnl::stream strm{eng};
  dnnl::memory::desc md;
  dnnl::memory mx, my, mdy, mdx;
  dnnl::eltwise_forward fwd;
  dnnl::eltwise_backward bwd, bwd_y;
  bool has_y = false;
};

OnednnEltwise::OnednnEltwise(const OnednnMapping& m, std::size_t n, const float* x, float* y,
                             const float* dy, float* dx)
    : impl_(std::make_unique<Impl>()) {
  auto& I = *impl_;
  using dnnl::memory;
  I.md = memory::desc({static_cast<memory::dim>(n)}, memory::data_type::f32, memory::format_tag::a);
  I.mx = memory(I.md, I.eng, const_cast<float*>(x));
  I.my = memory(I.md, I.eng, y);
  I.mdy = memory(I.md, I.eng, const_cast<float*>(dy));
  I.mdx = memory(I.md, I.eng, dx);
  const auto alg = static_cast<dnnl::algorithm>(m.fwd_alg);
  const dnnl::eltwise_forward::primitive_desc fpd(
      {dnnl::prop_kind::forward_training, alg, I.md, m.alpha, m.beta}, I.eng);
  I.fwd = dnnl::eltwise_forward(fpd);
  const dnnl::eltwise_backward::primitive_desc bpd({alg, I.md, I.md, m.alpha, m.beta}, I.eng, fpd);
  I.bwd = dnnl::eltwise_backward(bpd);
  if (m.dst_alg >= 0) {
    const auto dalg = static_cast<dnnl::algorithm>(m.dst_alg);
    const dnnl::eltwise_forward::primitive_desc dfpd(
        {dnnl::prop_kind::forward_training, dalg, I.md, m.alpha, m.beta}, I.eng);
    const dnnl::eltwise_backward::primitive_desc dbpd({dalg, I.md, I.md, m.alpha, m.beta}, I.eng, dfpd);
    I.bwd_y = dnnl::eltwise_backward(dbpd);
    I.has_y = true;
  }
}

OnednnEltwise::~OnednnEltwise() = default;

void OnednnEltwise::forward() {
  auto& I = *impl_;
  I.fwd.execute(I.strm, {{DNNL_ARG_SRC, I.mx}, {DNNL_ARG_DST, I.my}});
  I.strm.wait();
}
void OnednnEltwise::backward() {
  auto& I = *impl_;
  I.bwd.execute(I.strm, {{DNNL_ARG_SRC, I.mx}, {DNNL_ARG_DIFF_DST, I.mdy}, {DNNL_ARG_DIFF_SRC, I.mdx}});
  I.strm.wait();
}
bool OnednnEltwise::has_backward_y() const { return impl_->has_y; }
void OnednnEltwise::backward_y() {
  auto& I = *impl_;
  I.bwd_y.execute(I.strm, {{DNNL_ARG_DST, I.my}, {DNNL_ARG_DIFF_DST, I.mdy}, {DNNL_ARG_DIFF_SRC, I.mdx}});
  I.strm.wait();
}

bool onednn_set_threads(int threads, std::string& why) {
  // oneDNN 2.6 (Debian) runs on OpenMP (DNNL_CPU_RUNTIME == OMP, libgomp).
  // Its team size is the calling thread's nthreads-var, set with
  // omp_set_num_threads from the libgomp oneDNN loaded; looked up at run time
  // so actlab itself does not link OpenMP.
#if DNNL_CPU_RUNTIME == DNNL_RUNTIME_OMP
  using Fn = void (*)(int);
  static const auto fn = reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, "omp_set_num_threads"));
  if (!fn) {
    why = "omp_set_num_threads not found in the process (oneDNN's OpenMP runtime not loaded): cannot pin oneDNN threads";
    return false;
  }
  fn(threads);
  return true;
#else
  why = "this oneDNN is not built on OpenMP (DNNL_CPU_RUNTIME): its thread count cannot be pinned";
  return false;
#endif
}

std::string onednn_version() {
  const dnnl_version_t* v = dnnl_version();
  return std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
}

}  // namespace actlab::lab::detail

namespace actlab::lab {

std::optional<OnednnEltwiseFn> onednn_eltwise_fn(act::Act a, const act::Params& p, std::string& why) {
  const auto m = detail::onednn_mapping(a, p, why);
  if (!m) return std::nullopt;
  OnednnEltwiseFn r;
  r.algorithm = m->text;
  r.version = detail::onednn_version();
  r.fn = [m = *m](const float* x, float* out, std::size_t n, bool backward) {
    std::string ignored;
    detail::onednn_set_threads(1, ignored);  // the caller (the sweep) runs the threads
    std::vector<float> scratch(n), ones(n, 1.f);
    // backward: y is not read (from-src algorithm); forward: dx is not written.
    detail::OnednnEltwise e(m, n, x, backward ? scratch.data() : out, ones.data(),
                            backward ? out : scratch.data());
    if (backward)
      e.backward();
    else
      e.forward();
  };
  return r;
}

}  // namespace actlab::lab
