// actlab evaluate: test accuracy of a saved model.
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "actlab/core/error.hpp"
#include "actlab/core/resources.hpp"
#include "actlab/nn/checkpoint.hpp"
#include "src/cli/command.hpp"
#include "src/cli/train_setup.hpp"

namespace actlab::cli {
namespace {

const Registrar reg{"evaluate", "Report the test accuracy of a model saved by 'actlab train --save'",
                    [](CLI::App& app) {
  struct O {
    std::string file, data, dir;
    int threads = 1;
  };
  auto o = std::make_shared<O>();
  app.add_option("--model-file", o->file, "Checkpoint written by actlab train --save")->required();
  app.add_option("--data", o->data, "Data set (default: the one the model was trained on)");
  app.add_option("--data-dir", o->dir, "Directory of MNIST-format files");
  app.add_option("--threads", o->threads, "Threads")->check(CLI::Range(1, kMaxThreads));
  return std::function<int()>([o] {
    nn::set_num_threads(o->threads);
    auto ck = nn::load_checkpoint(o->file);
    DataArgs d;
    try {
      d = DataArgs::from_json(nlohmann::json::parse(ck.extra_json).at("data"));
    } catch (const nlohmann::json::exception& e) {
      throw DataError("checkpoint '" + o->file + "': data settings are missing (" + e.what() + ")");
    }
    if (!o->data.empty() && o->data != d.name) {
      d.name = o->data;
      d.dir.clear();
    }
    if (!o->dir.empty()) d.dir = o->dir;
    data::Split s;
    try {
      s = load_data(d);
    } catch (const std::runtime_error& e) {
      if (!o->data.empty() || !o->dir.empty()) throw;  // the user's own flags: their message stands
      throw DataError("checkpoint '" + o->file + "' stores data settings that cannot be loaded here (" +
                      e.what() + "); give --data-dir DIR (or --data NAME) to point at the data");
    }
    const auto g = lab::geom_of(s.test);
    if (g.features != ck.model->geom().features || g.classes != ck.model->geom().classes)
      throw DataError("data set '" + d.name + "' has " + std::to_string(g.features) + " features / " +
                      std::to_string(g.classes) + " classes; the model in '" + o->file + "' expects " +
                      std::to_string(ck.model->geom().features) + " / " +
                      std::to_string(ck.model->geom().classes));
    const auto r = nn::evaluate(*ck.model, eval_set(s.test));
    std::printf("test_acc=%.6f test_loss=%.6f test_ece=%.6f head=%s rows=%zu\n", r.acc, r.loss, r.ece,
                nn::head_text(ck.model->spec().head), s.test.rows);
    return 0;
  });
}};

}  // namespace
}  // namespace actlab::cli
