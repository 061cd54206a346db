// Data sets by name, as the CLI's --data flag names them.
#include <string>

#include "actlab/core/error.hpp"
#include "actlab/data/dataset.hpp"

namespace actlab::data {

Split load(const std::string& name, const std::string& dir, const LoadOptions& opt) {
  if (name == "fashion-mnist") return load_mnist_dir(dir.empty() ? kFashionMnistDir : dir, opt);
  if (name == "xor" || name == "spiral" || name == "moons" || name == "circles")
    return make_synthetic(name, opt);
  throw UsageError("--data '" + name + "': unknown data set; choose fashion-mnist, xor, spiral, moons or circles");
}

}  // namespace actlab::data
