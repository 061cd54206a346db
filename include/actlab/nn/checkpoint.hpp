// Checkpoints: a versioned binary file with everything needed to evaluate a
// model or continue its training exactly.
//
// Layout (little-endian):
//   "ACTLABCK"                     8-byte magic
//   u32 version                    kCheckpointVersion
//   u32 meta_bytes                 <= 1 MiB
//   meta                           JSON: model spec, input geometry, optimizer
//                                  config, run position (epoch, step, batch
//                                  position, running sums, history) and the
//                                  caller's "extra" object (data options...)
//   u32 tensor_count               <= 65536
//   per tensor: u16 name_bytes (<= 256), name, u8 ndim (<= 8), i64 dims,
//               float32 data
//   u32 crc32                      zlib CRC-32 of every preceding byte
// Written to a temporary file and renamed (AtomicFile). The reader checks the
// size, magic, version and checksum before parsing, and every count and
// dimension against the bytes that remain before allocating; the model the
// spec describes must match the stored tensors name by name and shape by
// shape. Any failure: DataError naming the file and the problem.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "actlab/nn/model.hpp"
#include "actlab/nn/optim.hpp"
#include "actlab/nn/train.hpp"

namespace actlab::nn {

inline constexpr std::uint32_t kCheckpointVersion = 1;

// `extra_json` is a JSON object text stored verbatim (e.g. the data options).
void save_checkpoint(const std::string& path, Model& m, Optimizer& opt, const RunState& st,
                     std::uint64_t seed, const std::string& extra_json = "{}");

struct Checkpoint {
  std::unique_ptr<Model> model;
  std::unique_ptr<Optimizer> opt;
  RunState state;
  std::uint64_t seed = 0;
  std::string extra_json;
};

Checkpoint load_checkpoint(const std::string& path);

// Upper bound of the parameters a spec would allocate, computed without
// allocating (used to validate a stored spec against the file size).
std::size_t estimate_params(const ModelSpec& s, const InputGeom& g);

// Upper bound of the bytes training the spec needs: parameters, gradients
// and two optimizer moments (16 bytes per parameter) plus, for batch > 0,
// the activations of one batch (forward values, pre-activations, gradients
// and masks of every layer). Computed without allocating.
double estimate_train_bytes(const ModelSpec& s, const InputGeom& g, std::size_t batch);

// Throws UsageError when estimate_train_bytes() exceeds the memory this
// process can allocate, naming the model, the batch, how much it needs and
// how much there is ("--model 'mlp:65536,65536' (4.3e+09 parameters) with
// --batch 128 needs about 64.1 GiB of memory, but only 11.2 GiB is
// available; use smaller widths or a smaller --batch").
void check_memory(const ModelSpec& s, const InputGeom& g, std::size_t batch);

}  // namespace actlab::nn
