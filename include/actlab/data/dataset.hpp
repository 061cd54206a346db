// Data sets for the engine: Fashion-MNIST (or any MNIST-format directory)
// and synthetic 2-D sets generated from a seed. Everything is float32
// features, row-major, with integer class labels.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace actlab::data {

struct Dataset {
  std::string name;
  std::vector<float> x;         // rows x features, row-major
  std::vector<std::int32_t> y;  // rows labels in [0, classes)
  std::size_t rows = 0;
  std::size_t features = 0;
  int classes = 0;
  // Image geometry when the features are an image (features == c * h * w),
  // 0 for tabular/synthetic data.
  int channels = 0, height = 0, width = 0;
};

struct Split {
  Dataset train;  // used for fitting
  Dataset val;    // held out from the training files (may be empty)
  Dataset test;   // the official test files, or a generated test set
};

// Options shared by every loader.
struct LoadOptions {
  // In [0, 1): taken from the end of the shuffled (and limited) training
  // set. Synthetic sets draw round(synthetic_rows * val_fraction) extra rows.
  double val_fraction = 0.1;
  std::uint64_t seed = 1;      // shuffling before the split; synthetic generation
  // 0: all rows; else keep the first N rows of the shuffled training file
  // (the validation rows are then taken from these N).
  std::size_t limit_train = 0;
  std::size_t limit_test = 0;  // 0: all rows; else the first N in file order
  std::size_t synthetic_rows = 2000;  // synthetic sets: training rows (test: half)
  double noise = 0.1;          // synthetic sets: Gaussian noise
  int arms = 3;                // spiral: number of arms (= classes)
};

// Default location of Debian's dataset-fashion-mnist package.
inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

// Reads train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
// t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz] from `dir`.
// Pixels are scaled to [0, 1]; normalise() is applied separately. Throws
// DataError naming the file and the problem (missing, truncated, wrong magic,
// dimensions that do not match the size, label/image count mismatch...).
Split load_mnist_dir(const std::string& dir, const LoadOptions& opt);

// Synthetic 2-D sets: "xor", "spiral", "moons", "circles". Deterministic for
// a seed, balanced, rows shuffled; train, val and test are independent draws
// (test: synthetic_rows / 2 rows). Throws UsageError for an unknown name or
// an option out of range (noise < 0, arms outside [2, 64], ...).
Split make_synthetic(const std::string& name, const LoadOptions& opt);

// Any of the above by name: "fashion-mnist" (from `dir`, default
// kFashionMnistDir), a synthetic name, or the user's own files:
// "csv:PATH[,label=NAME][,test=PATH2 | ,test_fraction=F]" or
// "npy:X.npy,Y.npy[,test_x=PATH,test_y=PATH | ,test_fraction=F]" (relative
// paths from `dir` when it is given; see actlab/data/tabular.hpp).
Split load(const std::string& name, const std::string& dir, const LoadOptions& opt);

// Per-feature standardisation with the training set's mean/std (global for
// images: one mean/std over all pixels), applied in place to all three sets.
void normalise(Split& s);

// Deterministic mini-batches: a permutation per epoch from (seed, epoch).
// Throws UsageError for batch 0; the Dataset must outlive the Batcher. The
// constructor starts epoch 0.
class Batcher {
 public:
  Batcher(const Dataset& d, std::size_t batch, std::uint64_t seed, bool shuffle = true);
  // Starts epoch `epoch` (reshuffles when shuffle is on).
  void start_epoch(std::uint64_t epoch);
  // Copies the next batch into x (batch x features) and y; returns its size,
  // 0 at the end of the epoch. The last batch may be smaller.
  std::size_t next(std::vector<float>& x, std::vector<std::int32_t>& y);
  std::size_t batches_per_epoch() const;
  // Position inside the epoch in rows (for resuming mid-epoch: call
  // start_epoch(e) then seek(pos)).
  std::size_t position() const { return pos_; }
  void seek(std::size_t pos) { pos_ = pos; }

 private:
  const Dataset& d_;
  std::size_t batch_;
  std::uint64_t seed_;
  bool shuffle_;
  std::vector<std::uint32_t> order_;
  std::size_t pos_ = 0;
};

}  // namespace actlab::data
