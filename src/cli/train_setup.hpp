// Shared by `actlab train` and `actlab evaluate`: loading a data set by
// name (its geometry and the adapter from data::Batcher to the engine's
// BatchSource are the lab's: actlab/lab/batch_source.hpp).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "actlab/core/error.hpp"
#include "actlab/data/dataset.hpp"
#include "actlab/lab/batch_source.hpp"
#include "actlab/nn/model.hpp"
#include "actlab/nn/train.hpp"

namespace actlab::cli {

struct DataArgs {
  std::string name = "fashion-mnist";
  std::string dir;
  std::size_t limit_train = 0, limit_test = 0;
  double val_fraction = 0.1;
  std::size_t synthetic_rows = 2000;
  double noise = 0.1;
  int arms = 3;
  std::uint64_t seed = 1;

  nlohmann::json to_json() const {
    return {{"data", name}, {"data_dir", dir}, {"limit_train", limit_train},
            {"limit_test", limit_test}, {"val_fraction", val_fraction},
            {"synthetic_rows", synthetic_rows}, {"noise", noise}, {"arms", arms}, {"seed", seed}};
  }
  static DataArgs from_json(const nlohmann::json& j) {
    DataArgs d;
    d.name = j.at("data").get<std::string>();
    d.dir = j.at("data_dir").get<std::string>();
    d.limit_train = j.at("limit_train").get<std::size_t>();
    d.limit_test = j.at("limit_test").get<std::size_t>();
    d.val_fraction = j.at("val_fraction").get<double>();
    d.synthetic_rows = j.at("synthetic_rows").get<std::size_t>();
    d.noise = j.at("noise").get<double>();
    d.arms = j.at("arms").get<int>();
    d.seed = j.at("seed").get<std::uint64_t>();
    return d;
  }
};

inline data::Split load_data(const DataArgs& a) {
  data::LoadOptions o;
  o.val_fraction = a.val_fraction;
  o.seed = a.seed;
  o.limit_train = a.limit_train;
  o.limit_test = a.limit_test;
  o.synthetic_rows = a.synthetic_rows;
  o.noise = a.noise;
  o.arms = a.arms;
  data::Split s = data::load(a.name, a.dir, o);
  data::normalise(s);
  return s;
}

inline nn::EvalSet eval_set(const data::Dataset& d) { return {d.x.data(), d.y.data(), d.rows}; }

}  // namespace actlab::cli
