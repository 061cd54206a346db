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
// Biases start at 0.
#pragma once

#include <cstddef>
#include <string>

#include "actlab/act/catalogue.hpp"
#include "actlab/nn/rng.hpp"

namespace actlab::nn {

enum class InitKind { recommended, xavier_uniform, xavier_normal, he, lecun, auto_gain };

// Parses "recommended|xavier_uniform|xavier_normal|he|lecun|auto"; throws
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

}  // namespace actlab::nn
