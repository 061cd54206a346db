// The activation catalogue: the one list that names every activation.
//
// ACTLAB_ACTIVATIONS(X) below is the single source of truth. The enum, the
// name table, the CLI's parsing, the kernel dispatch, the tests and the
// benchmarks are all generated from it. Adding an activation means adding one
// entry here, its reference math (src/act/reference.cpp) and its kernel
// (src/act/ops-inl.h); the compiler points at anything else that is missing.
//
// Entry fields, in order:
//   id        C++ identifier and the user-facing name (PyTorch's spelling)
//   kind      pointwise, or rowwise (softmax family, along the last axis)
//   nparams   number of parameters (0..kMaxParams)
//   params    {name, default, lo, hi, lo_open, hi_open} per parameter,
//             names and defaults as in torch.nn.functional
//   range     output range as text, for the default parameters
//   props     Prop bit set, for the default parameters
//   init      recommended weight initializer for the layer feeding it
//   ulp_fwd   contract: max ULP of forward vs the long double reference over
//             all finite float32 inputs (default parameters)
//   ulp_bwd   contract: max ULP of f'(x) (backward with dy = 1)
//   formula   plain text; latex; derivative (plain text)
//   note      one line: when to use / known problem, from the literature
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include <string_view>

namespace actlab::act {

enum class Kind : std::uint8_t { pointwise, rowwise };
enum class Init : std::uint8_t { xavier, he, lecun };

enum Prop : std::uint32_t {
  kZeroCentred = 1u << 0,      // output mean near 0 for zero-mean input
  kMonotonic = 1u << 1,        // non-decreasing
  kSmooth = 1u << 2,           // differentiable everywhere (at least C1)
  kBoundedBelow = 1u << 3,
  kBoundedAbove = 1u << 4,
  kSaturating = 1u << 5,       // f'(x) -> 0 on at least one side
  kSelfNormalising = 1u << 6,  // keeps mean 0 / var 1 (SELU)
  kPiecewiseLinear = 1u << 7,  // made of linear pieces (cheap, exact)
  kNoGradient = 1u << 8,       // f' = 0 almost everywhere: not trainable
  kLearnable = 1u << 9,        // has a parameter the engine can learn
};

inline constexpr int kMaxParams = 3;

struct ParamInfo {
  const char* name = nullptr;
  float def = 0.f;
  float lo = 0.f;
  float hi = 0.f;
  bool lo_open = false;  // domain excludes lo
  bool hi_open = false;  // domain excludes hi
};

struct ActInfo {
  const char* name;
  Kind kind;
  int nparams;
  ParamInfo params[kMaxParams];
  const char* range;
  std::uint32_t props;
  Init init;
  int ulp_fwd;
  int ulp_bwd;
  const char* formula;
  const char* latex;
  const char* derivative;
  const char* note;
};

#define ACTLAB_INF __builtin_huge_valf()

// clang-format off
#define ACTLAB_ACTIVATIONS(X)                                                         \
  X(identity, Kind::pointwise, 0, {}, "(-inf, inf)",                                  \
    kZeroCentred | kMonotonic | kSmooth | kPiecewiseLinear, Init::xavier, 0, 0,       \
    "f(x) = x", "f(x) = x", "f'(x) = 1",                                              \
    "No non-linearity: a deep stack of identity layers is one linear map.")           \
  X(step, Kind::pointwise, 1, {{"threshold", 0.f, -ACTLAB_INF, ACTLAB_INF}}, "{0, 1}", \
    kMonotonic | kBoundedBelow | kBoundedAbove | kSaturating | kPiecewiseLinear | kNoGradient, \
    Init::xavier, 0, 0,                                                               \
    "f(x) = 1 if x > threshold else 0",                                               \
    "f(x) = \\mathbb{1}[x > \\theta]", "f'(x) = 0 (almost everywhere)",               \
    "Heaviside (perceptron) unit: its derivative is 0 almost everywhere, so gradient descent cannot train through it.") \
  X(sigmoid, Kind::pointwise, 0, {}, "(0, 1)",                                        \
    kMonotonic | kSmooth | kBoundedBelow | kBoundedAbove | kSaturating, Init::xavier, 2, 1, \
    "f(x) = 1 / (1 + exp(-x))", "f(x) = \\frac{1}{1 + e^{-x}}", "f'(x) = f(x) (1 - f(x))", \
    "Output layer for binary and multi-label targets; in hidden layers it saturates (f' <= 1/4, vanishing gradients) and is not zero-centred.") \
  X(hardsigmoid, Kind::pointwise, 0, {}, "[0, 1]",                                    \
    kMonotonic | kBoundedBelow | kBoundedAbove | kSaturating | kPiecewiseLinear, Init::xavier, 1, 0, \
    "f(x) = min(max(x + 3, 0), 6) / 6", "f(x) = \\frac{\\mathrm{ReLU6}(x + 3)}{6}",    \
    "f'(x) = 1/6 if -3 < x < 3 else 0",                                               \
    "Cheap piecewise-linear sigmoid for mobile nets (MobileNetV3); saturates hard outside [-3, 3].") \
  X(logsigmoid, Kind::pointwise, 0, {}, "(-inf, 0)",                                  \
    kMonotonic | kSmooth | kBoundedAbove | kSaturating, Init::xavier, 2, 2,           \
    "f(x) = log(1 / (1 + exp(-x))) = min(x, 0) - log1p(exp(-|x|))",                   \
    "f(x) = -\\log(1 + e^{-x})", "f'(x) = 1 - sigmoid(x) = sigmoid(-x)",              \
    "Log of the sigmoid, computed stably; used inside binary cross-entropy with logits.") \
  X(tanh, Kind::pointwise, 0, {}, "(-1, 1)",                                          \
    kZeroCentred | kMonotonic | kSmooth | kBoundedBelow | kBoundedAbove | kSaturating, \
    Init::xavier, 1, 1, "f(x) = tanh(x)", "f(x) = \\tanh x", "f'(x) = 1 - f(x)^2",     \
    "Zero-centred, which eases optimisation over sigmoid, but still saturates: gradients vanish in deep stacks (LeCun 1998, Glorot 2010).") \
  X(hardtanh, Kind::pointwise, 2,                                                     \
    {{"min_val", -1.f, -ACTLAB_INF, ACTLAB_INF}, {"max_val", 1.f, -ACTLAB_INF, ACTLAB_INF}}, \
    "[min_val, max_val]",                                                             \
    kZeroCentred | kMonotonic | kBoundedBelow | kBoundedAbove | kSaturating | kPiecewiseLinear, \
    Init::xavier, 0, 0, "f(x) = min(max(x, min_val), max_val)",                       \
    "f(x) = \\min(\\max(x, a), b)", "f'(x) = 1 if min_val < x < max_val else 0",      \
    "Cheap piecewise-linear tanh; units stuck outside [min_val, max_val] get no gradient.") \
  X(softsign, Kind::pointwise, 0, {}, "(-1, 1)",                                      \
    kZeroCentred | kMonotonic | kSmooth | kBoundedBelow | kBoundedAbove | kSaturating, \
    Init::xavier, 1, 1, "f(x) = x / (1 + |x|)", "f(x) = \\frac{x}{1 + |x|}",           \
    "f'(x) = 1 / (1 + |x|)^2",                                                        \
    "tanh-like but saturates polynomially, not exponentially, so gradients vanish more slowly (Glorot & Bengio 2010).") \
  X(tanhshrink, Kind::pointwise, 0, {}, "(-inf, inf)",                                \
    kZeroCentred | kMonotonic | kSmooth, Init::xavier, 1, 1,                          \
    "f(x) = x - tanh(x)", "f(x) = x - \\tanh x", "f'(x) = tanh(x)^2",                  \
    "Flat near 0 (f ~ x^3/3), linear far out; used in sparse coding. Gradient vanishes near 0.") \
  X(relu, Kind::pointwise, 0, {}, "[0, inf)",                                         \
    kMonotonic | kBoundedBelow | kPiecewiseLinear, Init::he, 0, 0,                    \
    "f(x) = max(x, 0)", "f(x) = \\max(x, 0)", "f'(x) = 1 if x > 0 else 0",            \
    "Default hidden activation: cheap, no saturation for x > 0, fast convergence (Krizhevsky 2012); units whose input stays negative die (gradient 0 forever).") \
  X(relu6, Kind::pointwise, 0, {}, "[0, 6]",                                          \
    kMonotonic | kBoundedBelow | kBoundedAbove | kPiecewiseLinear, Init::he, 0, 0,    \
    "f(x) = min(max(x, 0), 6)", "f(x) = \\min(\\max(x, 0), 6)",                       \
    "f'(x) = 1 if 0 < x < 6 else 0",                                                  \
    "ReLU capped at 6 for low-precision inference (MobileNet); can both die and saturate.") \
  X(leaky_relu, Kind::pointwise, 1, {{"negative_slope", 0.01f, -ACTLAB_INF, ACTLAB_INF}}, \
    "(-inf, inf)", kMonotonic | kPiecewiseLinear, Init::he, 0, 0,                     \
    "f(x) = x if x >= 0 else negative_slope * x",                                     \
    "f(x) = \\max(x, 0) + a \\min(x, 0)", "f'(x) = 1 if x > 0 else negative_slope",   \
    "Small negative slope keeps a gradient for x < 0, preventing dead units (Maas 2013).") \
  X(prelu, Kind::pointwise, 1, {{"weight", 0.25f, -ACTLAB_INF, ACTLAB_INF}},         \
    "(-inf, inf)", kMonotonic | kPiecewiseLinear | kLearnable, Init::he, 0, 0,        \
    "f(x) = x if x >= 0 else weight * x",                                             \
    "f(x) = \\max(x, 0) + a \\min(x, 0)", "f'(x) = 1 if x > 0 else weight",           \
    "Leaky ReLU whose slope is learned, per layer or per channel (He 2015); prevents dead units.") \
  X(rrelu, Kind::pointwise, 2,                                                        \
    {{"lower", 0.125f, 0.f, 1.f}, {"upper", 0.33333334f, 0.f, 1.f}}, "(-inf, inf)",    \
    kMonotonic | kPiecewiseLinear, Init::he, 0, 0,                                    \
    "f(x) = x if x >= 0 else a * x; a ~ U(lower, upper) in training, (lower + upper) / 2 otherwise", \
    "f(x) = \\max(x, 0) + a \\min(x, 0),\\ a = \\tfrac{l + u}{2}",                     \
    "f'(x) = 1 if x > 0 else a",                                                      \
    "Randomised leaky ReLU: random negative slopes act as a regulariser (Xu 2015); deterministic mean slope here.") \
  X(elu, Kind::pointwise, 1, {{"alpha", 1.f, 0.f, ACTLAB_INF}}, "(-alpha, inf)",      \
    kZeroCentred | kMonotonic | kSmooth | kBoundedBelow | kSaturating, Init::he, 2, 1, \
    "f(x) = x if x > 0 else alpha * (exp(x) - 1)",                                    \
    "f(x) = x \\ (x > 0),\\ \\alpha (e^x - 1) \\ (x \\le 0)",                          \
    "f'(x) = 1 if x > 0 else alpha * exp(x)",                                         \
    "Negative outputs push mean activations toward 0 and avoid dead units (Clevert 2015); costs an exp.") \
  X(celu, Kind::pointwise, 1, {{"alpha", 1.f, 0.f, ACTLAB_INF, true}}, "(-alpha, inf)", \
    kZeroCentred | kMonotonic | kSmooth | kBoundedBelow | kSaturating, Init::he, 2, 1, \
    "f(x) = max(0, x) + min(0, alpha * (exp(x / alpha) - 1))",                        \
    "f(x) = \\max(0, x) + \\min(0, \\alpha (e^{x/\\alpha} - 1))",                      \
    "f'(x) = 1 if x > 0 else exp(x / alpha)",                                         \
    "ELU made continuously differentiable for every alpha (Barron 2017).")            \
  X(selu, Kind::pointwise, 0, {}, "(-1.7581, inf)",                                   \
    kZeroCentred | kMonotonic | kBoundedBelow | kSaturating | kSelfNormalising, Init::lecun, 2, 1, \
    "f(x) = scale * (max(0, x) + min(0, alpha * (exp(x) - 1))), alpha = 1.6732632, scale = 1.0507010", \
    "f(x) = \\lambda (x \\ (x > 0),\\ \\alpha (e^x - 1) \\ (x \\le 0))",              \
    "f'(x) = scale if x > 0 else scale * alpha * exp(x)",                             \
    "Self-normalising: with LeCun-normal init, activations keep mean 0 / variance 1 through depth without batch norm (Klambauer 2017).") \
  X(gelu, Kind::pointwise, 0, {}, "[-0.170, inf)", kSmooth | kBoundedBelow, Init::he, 2, 2, \
    "f(x) = x * Phi(x) = x / 2 * (1 + erf(x / sqrt(2)))",                             \
    "f(x) = x \\Phi(x) = \\tfrac{x}{2}\\left(1 + \\mathrm{erf}(x / \\sqrt{2})\\right)", \
    "f'(x) = Phi(x) + x * phi(x)",                                                    \
    "Smooth, non-monotonic ReLU weighted by the Gaussian CDF; default in Transformers (Hendrycks & Gimpel 2016).") \
  X(gelu_tanh, Kind::pointwise, 0, {}, "[-0.170, inf)", kSmooth | kBoundedBelow, Init::he, 2, 2, \
    "f(x) = x / 2 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 x^3)))",                   \
    "f(x) = \\tfrac{x}{2}\\left(1 + \\tanh\\left(\\sqrt{2/\\pi}(x + 0.044715 x^3)\\right)\\right)", \
    "f'(x) = (1 + t) / 2 + x / 2 * (1 - t^2) * sqrt(2 / pi) * (1 + 3 * 0.044715 x^2)", \
    "tanh approximation of GELU (BERT, GPT-2); PyTorch's gelu(approximate='tanh').")  \
  X(silu, Kind::pointwise, 0, {}, "[-0.2785, inf)", kSmooth | kBoundedBelow, Init::he, 2, 2, \
    "f(x) = x * sigmoid(x)", "f(x) = \\frac{x}{1 + e^{-x}}",                          \
    "f'(x) = s(x) * (1 + x * (1 - s(x)))",                                            \
    "Sigmoid-weighted linear unit (swish with beta = 1): smooth, non-monotonic, no dead units (Elfwing 2017, Ramachandran 2017).") \
  X(swish, Kind::pointwise, 1, {{"beta", 1.f, -ACTLAB_INF, ACTLAB_INF}}, "[-0.2785, inf)", \
    kSmooth | kBoundedBelow, Init::he, 2, 2,                                          \
    "f(x) = x * sigmoid(beta * x)", "f(x) = \\frac{x}{1 + e^{-\\beta x}}",            \
    "f'(x) = s(beta x) * (1 + beta * x * (1 - s(beta x)))",                           \
    "Swish with a slope parameter: beta -> 0 gives x / 2, beta -> inf gives ReLU (Ramachandran 2017).") \
  X(mish, Kind::pointwise, 0, {}, "[-0.3088, inf)", kSmooth | kBoundedBelow, Init::he, 2, 2, \
    "f(x) = x * tanh(softplus(x))", "f(x) = x \\tanh(\\ln(1 + e^x))",                 \
    "f'(x) = tanh(sp) + x * sigmoid(x) * (1 - tanh(sp)^2), sp = softplus(x)",         \
    "Smooth, non-monotonic, self-regularised (Misra 2019); used in YOLOv4. Slower than ReLU.") \
  X(softplus, Kind::pointwise, 2,                                                     \
    {{"beta", 1.f, 0.f, ACTLAB_INF, true}, {"threshold", 20.f, 0.f, ACTLAB_INF, true}}, \
    "(0, inf)", kMonotonic | kSmooth | kBoundedBelow | kSaturating, Init::he, 2, 2,   \
    "f(x) = log(1 + exp(beta * x)) / beta, or x where beta * x > threshold",          \
    "f(x) = \\tfrac{1}{\\beta}\\log(1 + e^{\\beta x})",                                \
    "f'(x) = sigmoid(beta * x), or 1 where beta * x > threshold",                     \
    "Smooth ReLU; never exactly zero so no dead units, but slower and saturates for x << 0 (Dugas 2001).") \
  X(hardswish, Kind::pointwise, 0, {}, "[-0.375, inf)", kBoundedBelow, Init::he, 1, 1, \
    "f(x) = x * min(max(x + 3, 0), 6) / 6", "f(x) = x \\frac{\\mathrm{ReLU6}(x + 3)}{6}", \
    "f'(x) = 0 if x < -3, 1 if x > 3, else (2x + 3) / 6",                             \
    "Piecewise-quadratic swish for mobile nets (MobileNetV3): cheap, no exp.")        \
  X(hardshrink, Kind::pointwise, 1, {{"lambd", 0.5f, 0.f, ACTLAB_INF}}, "{0} or |y| > lambd", \
    kZeroCentred | kMonotonic | kPiecewiseLinear, Init::xavier, 0, 0,                 \
    "f(x) = x if |x| > lambd else 0", "f(x) = x \\, \\mathbb{1}[|x| > \\lambda]",      \
    "f'(x) = 1 if |x| > lambd else 0",                                                \
    "Hard thresholding (sparse coding, wavelet denoising); discontinuous at +-lambd.") \
  X(softshrink, Kind::pointwise, 1, {{"lambd", 0.5f, 0.f, ACTLAB_INF}}, "(-inf, inf)", \
    kZeroCentred | kMonotonic | kPiecewiseLinear, Init::xavier, 0, 0,                 \
    "f(x) = x - lambd if x > lambd, x + lambd if x < -lambd, else 0",                 \
    "f(x) = \\mathrm{sign}(x) \\max(|x| - \\lambda, 0)",                               \
    "f'(x) = 1 if |x| > lambd else 0",                                                \
    "Soft thresholding, the proximal operator of the L1 norm (ISTA, LISTA).")         \
  X(threshold, Kind::pointwise, 2,                                                    \
    {{"threshold", 0.f, -ACTLAB_INF, ACTLAB_INF}, {"value", 0.f, -ACTLAB_INF, ACTLAB_INF}}, \
    "{value} or (threshold, inf)", kPiecewiseLinear, Init::he, 0, 0,                  \
    "f(x) = x if x > threshold else value", "f(x) = x \\ (x > t),\\ v \\ (x \\le t)",  \
    "f'(x) = 1 if x > threshold else 0",                                              \
    "Generalised ReLU (threshold = value = 0 is ReLU); units below the threshold get no gradient.") \
  X(squareplus, Kind::pointwise, 1, {{"b", 4.f, 0.f, ACTLAB_INF}}, "(0, inf)",        \
    kMonotonic | kSmooth | kBoundedBelow | kSaturating, Init::he, 1, 1,               \
    "f(x) = (x + sqrt(x^2 + b)) / 2", "f(x) = \\tfrac{1}{2}\\left(x + \\sqrt{x^2 + b}\\right)", \
    "f'(x) = (1 + x / sqrt(x^2 + b)) / 2",                                            \
    "Algebraic softplus without exp or log (Barron 2021); b = 0 gives ReLU.")         \
  X(snake, Kind::pointwise, 1, {{"alpha", 1.f, 0.f, ACTLAB_INF, true}}, "(-inf, inf)", \
    kMonotonic | kSmooth, Init::he, 1, 1,                                             \
    "f(x) = x + sin(alpha * x)^2 / alpha", "f(x) = x + \\frac{\\sin^2(\\alpha x)}{\\alpha}", \
    "f'(x) = 1 + sin(2 * alpha * x)",                                                 \
    "Periodic inductive bias for extrapolating periodic signals (Ziyin 2020); used in BigVGAN audio models.") \
  X(exponential, Kind::pointwise, 0, {}, "(0, inf)",                                  \
    kMonotonic | kSmooth | kBoundedBelow, Init::xavier, 1, 1,                         \
    "f(x) = exp(x)", "f(x) = e^x", "f'(x) = exp(x)",                                  \
    "Keras 'exponential': positive outputs such as Poisson rates; overflows above x = 88.72.") \
  X(softmax, Kind::rowwise, 0, {}, "(0, 1), rows sum to 1",                           \
    kBoundedBelow | kBoundedAbove | kSaturating | kSmooth, Init::xavier, 1, 1,        \
    "y_i = exp(x_i - max(x)) / sum_j exp(x_j - max(x))",                              \
    "y_i = \\frac{e^{x_i - m}}{\\sum_j e^{x_j - m}}",                                   \
    "dx_i = y_i * (dy_i - sum_j dy_j y_j)",                                           \
    "Output layer for single-label classification (with cross-entropy); max-subtracted for stability.") \
  X(log_softmax, Kind::rowwise, 0, {}, "(-inf, 0)",                                   \
    kBoundedAbove | kSmooth, Init::xavier, 1, 1,                                      \
    "y_i = x_i - max(x) - log(sum_j exp(x_j - max(x)))",                              \
    "y_i = x_i - m - \\log \\sum_j e^{x_j - m}",                                       \
    "dx_i = dy_i - exp(y_i) * sum_j dy_j",                                            \
    "Log-probabilities for the negative log-likelihood loss; stabler than log(softmax).") \
  X(softmin, Kind::rowwise, 0, {}, "(0, 1), rows sum to 1",                           \
    kBoundedBelow | kBoundedAbove | kSaturating | kSmooth, Init::xavier, 1, 1,        \
    "y = softmax(-x)", "y_i = \\frac{e^{-x_i + m}}{\\sum_j e^{-x_j + m}}",             \
    "dx_i = -y_i * (dy_i - sum_j dy_j y_j)",                                          \
    "Softmax of -x: weights the smallest inputs most (attention over distances).")
// clang-format on

enum class Act : std::uint8_t {
#define ACTLAB_X_ENUM(id, ...) id,
  ACTLAB_ACTIVATIONS(ACTLAB_X_ENUM)
#undef ACTLAB_X_ENUM
};

inline constexpr std::size_t kNumActs = 0
#define ACTLAB_X_COUNT(id, ...) +1
    ACTLAB_ACTIVATIONS(ACTLAB_X_COUNT)
#undef ACTLAB_X_COUNT
    ;

// Every activation the issues require: a catalogue that shrinks is a bug.
static_assert(kNumActs == 33, "update the count (and docs) when the list changes");

// Parameter values for one activation, in the order of ActInfo::params.
struct Params {
  float v[kMaxParams] = {0.f, 0.f, 0.f};
};

const ActInfo& info(Act a);
inline const char* name(Act a) { return info(a).name; }
inline bool is_rowwise(Act a) { return info(a).kind == Kind::rowwise; }
inline bool has(Act a, Prop p) { return (info(a).props & p) != 0; }
const char* init_name(Init i);

// Looks an activation up by name (also accepts "gelu_erf" for gelu and
// "swish" spellings PyTorch users type); nullopt when unknown.
std::optional<Act> find(std::string_view name);
// All names, comma separated, for error messages ("expected one of: ...").
std::string all_names();

// Default parameters of `a`.
Params defaults(Act a);
// Index of parameter `pname` of `a`, or -1.
int param_index(Act a, std::string_view pname);
// Checks every parameter against its domain and the cross-parameter rules
// (hardtanh min_val < max_val, rrelu lower <= upper). Returns an error text
// naming the parameter, the value and the valid domain, or an empty string.
std::string validate(Act a, const Params& p);
// Parses "NAME=VALUE" into `p`; returns an error text or an empty string.
std::string set_param(Act a, Params& p, std::string_view assignment);
// Applies every "NAME=VALUE" of a list in order (set_param each); a name
// given twice is an error ("alpha is given twice (alpha=1, alpha=2)"), never
// last-one-wins. Returns an error text or an empty string.
std::string set_params(Act a, Params& p, const std::vector<std::string>& assignments);
// The domain of one parameter as text, e.g. "(0, inf)".
std::string domain_text(const ParamInfo& pi);

}  // namespace actlab::act
