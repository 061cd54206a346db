// Weight initialisers. For a layer with fan_in inputs and fan_out outputs:
//   xavier_uniform  U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out))
//   xavier_normal   N(0, s^2), s = gain * sqrt(2 / (fan_in + fan_out))
//   he              N(0, 2 / fan_in)                (Kaiming normal, ReLU)
//   lecun           N(0, 1 / fan_in)                (LeCun normal, SELU)
//   auto            N(0, g^2 / fan_in), g = auto_gain(act) of the activation
//                   feeding the layer (Model passes the previous layer's; 1
//                   for the data): Var(z) = g^2 E[f(z_prev)^2] = 1, so the
//                   pre-activations keep unit variance through any depth for
//                   ANY catalogue entry, not only the six that
//                   torch.nn.init.calculate_gain knows.
//   torch           PyTorch's default for nn.Linear / nn.Conv2d (Glorot &
//                   Bengio's "standard" initialisation): weights U(-b, b),
//                   b = 1 / sqrt(fan_in) (kaiming_uniform_ with a = sqrt(5):
//                   gain sqrt(2 / (1 + 5)) times sqrt(3 / fan_in)), variance
//                   1 / (3 fan_in); biases U(-b, b) as well.
// fan_in is in for Dense, C*KH*KW for Conv2D. Biases start at 0 for every
// kind except torch (init_bias draws nothing then, so the weights of the
// other kinds are what they were before torch existed).
#pragma once

#include <cstddef>
#include <string>

#include "actlab/act/catalogue.hpp"
#include "actlab/nn/rng.hpp"

namespace actlab::nn {

enum class InitKind { recommended, xavier_uniform, xavier_normal, he, lecun, auto_gain, torch };

// Parses "recommended|xavier_uniform|xavier_normal|he|lecun|auto|torch"; throws
// UsageError naming the value and the choices.
InitKind parse_init(const std::string& s);
const char* init_text(InitKind k);

// The catalogue's recommendation for an activation (ActInfo::init).
InitKind recommended_init(act::Act a);

// g = 1 / sqrt(E[f(z)^2]) for z ~ N(0, 1), by quadrature on the long double
// reference (Simpson's rule on [-12, 12], 4001 points). E[relu^2] = 1/2 gives
// sqrt(2) (He); identity gives 1; tanh 1.59 (PyTorch uses 5/3). Rowwise
// entries and degenerate cases (E = 0, non-finite) return 1.
double auto_gain(act::Act a, const act::Params& p);

// Fills w[0..n) for a layer with the given fans.
void init_weights(float* w, std::size_t n, std::size_t fan_in, std::size_t fan_out, InitKind kind,
                  act::Act a, const act::Params& p, Rng& rng);

// Fills the biases b[0..n) of a layer with fan_in inputs: U(-1/sqrt(fan_in),
// 1/sqrt(fan_in)) for torch, 0 (no draws) for every other kind. Called after
// init_weights with the same generator.
void init_bias(float* b, std::size_t n, std::size_t fan_in, InitKind kind, Rng& rng);

}  // namespace actlab::nn
