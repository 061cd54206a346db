// Data sets by name, as the CLI's --data flag names them.
#include <string>

#include "actlab/core/error.hpp"
#include "actlab/data/dataset.hpp"
#include "actlab/data/tabular.hpp"

namespace actlab::data {

Split load(const std::string& name, const std::string& dir, const LoadOptions& opt) {
  if (name == "fashion-mnist") return load_mnist_dir(dir.empty() ? kFashionMnistDir : dir, opt);
  if (name == "xor" || name == "spiral" || name == "moons" || name == "circles")
    return make_synthetic(name, opt);
  if (name.starts_with("csv:")) return load_csv(parse_csv_spec(name, dir), opt);
  if (name.starts_with("npy:")) return load_npy(parse_npy_spec(name, dir), opt);
  throw UsageError("--data '" + name +
                   "': unknown data set; choose fashion-mnist, xor, spiral, moons, circles, "
                   "csv:PATH[,label=NAME][,test=PATH2] or npy:X.npy,Y.npy[,test_x=PATH,test_y=PATH]");
}

}  // namespace actlab::data
