// Fashion-MNIST (or any MNIST-format directory): four IDX files, plain or
// gzip-compressed, checked against each other.
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

#include "actlab/core/error.hpp"
#include "actlab/data/dataset.hpp"
#include "actlab/data/idx.hpp"
#include "src/data/internal.hpp"

namespace actlab::data {
namespace {

const char* kInstall =
    "install Debian's dataset-fashion-mnist (sudo apt-get install dataset-fashion-mnist) or "
    "point --data-dir at a directory holding train-images-idx3-ubyte[.gz], "
    "train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]";

// `dir/base` if it exists (even as a directory, so the reader can say so),
// else `dir/base.gz`; throws naming both when neither exists.
std::string locate(const std::string& dir, const std::string& base) {
  const std::string plain = dir + "/" + base, gz = plain + ".gz";
  struct stat st {};
  if (::lstat(plain.c_str(), &st) == 0) return plain;
  if (::lstat(gz.c_str(), &st) == 0) return gz;
  throw DataError("data file '" + gz + "' not found (nor '" + plain + "'); " + kInstall);
}

}  // namespace

Dataset idx_to_dataset(const IdxArray& images, const IdxArray& labels, const std::string& images_name,
                       const std::string& labels_name, int classes, std::size_t limit) {
  if (images.dims.size() != 3 || labels.dims.size() != 1)
    throw DataError("'" + images_name + "' / '" + labels_name +
                    "': expected a 3-dimensional images file and a 1-dimensional labels file");
  const std::size_t n = images.dims[0];
  if (labels.dims[0] != n)
    throw DataError("'" + images_name + "' holds " + std::to_string(n) + " images but '" + labels_name +
                    "' holds " + std::to_string(labels.dims[0]) +
                    " labels; the files do not belong together (use the matching pair)");
  if (n > std::size_t{UINT32_MAX} / 2)
    throw DataError("'" + images_name + "' holds " + std::to_string(n) + " images, more than supported");
  const std::size_t h = images.dims[1], w = images.dims[2];
  const std::uint8_t* lab = labels.data();
  for (std::size_t i = 0; i < n; ++i)
    if (lab[i] >= classes)
      throw DataError("'" + labels_name + "': label " + std::to_string(lab[i]) + " of row " +
                      std::to_string(i) + " is outside [0, " + std::to_string(classes) +
                      "); the file is corrupted or not a " + std::to_string(classes) + "-class labels file");
  const std::size_t rows = limit && limit < n ? limit : n;
  Dataset d;
  d.rows = rows;
  d.features = h * w;
  d.classes = classes;
  d.channels = 1;
  d.height = static_cast<int>(h);
  d.width = static_cast<int>(w);
  d.x.resize(rows * d.features);
  d.y.resize(rows);
  const std::uint8_t* px = images.data();
  for (std::size_t i = 0; i < rows * d.features; ++i) d.x[i] = px[i] * (1.0f / 255.0f);
  for (std::size_t i = 0; i < rows; ++i) d.y[i] = lab[i];
  return d;
}

Split load_mnist_dir(const std::string& dir, const LoadOptions& opt) {
  detail::check_options(opt);
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0)
    throw DataError("data directory '" + dir + "' cannot be opened: " + std::strerror(errno) + "; " +
                    kInstall);
  if (!S_ISDIR(st.st_mode))
    throw DataError("data directory '" + dir + "' is not a directory; " + kInstall);
  const std::string tri = locate(dir, "train-images-idx3-ubyte");
  const std::string trl = locate(dir, "train-labels-idx1-ubyte");
  const std::string tei = locate(dir, "t10k-images-idx3-ubyte");
  const std::string tel = locate(dir, "t10k-labels-idx1-ubyte");
  std::string name = std::filesystem::path(dir).lexically_normal().filename().string();
  if (name.empty()) name = std::filesystem::path(dir).lexically_normal().parent_path().filename().string();
  if (name.empty()) name = dir;

  Split s;
  {
    // Images are dropped as soon as they are converted (peak memory).
    Dataset all = idx_to_dataset(read_idx(tri, 3), read_idx(trl, 1), tri, trl);
    all.name = name;
    detail::split_train_val(all, opt, s.train, s.val);
  }
  s.test = idx_to_dataset(read_idx(tei, 3), read_idx(tel, 1), tei, tel, 10, opt.limit_test);
  s.test.name = name;
  if (s.test.height != s.train.height || s.test.width != s.train.width)
    throw DataError("'" + tei + "' holds " + std::to_string(s.test.height) + "x" +
                    std::to_string(s.test.width) + " images but '" + tri + "' holds " +
                    std::to_string(s.train.height) + "x" + std::to_string(s.train.width) +
                    "; the training and test files come from different data sets");
  return s;
}

}  // namespace actlab::data
