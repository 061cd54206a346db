#include "actlab/nn/checkpoint.hpp"

#include <zlib.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>

#include "actlab/core/atomic_file.hpp"
#include "actlab/core/error.hpp"
#include "actlab/core/resources.hpp"

namespace actlab::nn {
namespace {

constexpr char kMagic[8] = {'A', 'C', 'T', 'L', 'A', 'B', 'C', 'K'};
constexpr std::uint32_t kMaxMeta = 1u << 20;
constexpr std::uint32_t kMaxTensors = 1u << 16;
constexpr std::uint16_t kMaxName = 256;
constexpr std::uint8_t kMaxDims = 8;
// The largest model a spec allows is far smaller; a bigger file is not ours.
constexpr std::uint64_t kMaxCheckpointBytes = std::uint64_t{16} << 30;

template <class T>
void put(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

// All named tensors of a model + optimizer, in a fixed order.
std::vector<std::pair<std::string, Tensor*>> all_tensors(Model& m, Optimizer& opt) {
  std::vector<std::pair<std::string, Tensor*>> t;
  auto ps = m.params();
  for (auto& p : ps) t.emplace_back(p.name, p.w);
  for (auto& b : m.buffers()) t.push_back(b);
  for (auto& s : opt.state(ps)) t.emplace_back("opt." + s.first, s.second);
  return t;
}

nlohmann::json opt_json(const OptConfig& c) {
  return {{"name", c.name}, {"lr", c.lr}, {"momentum", c.momentum}, {"nesterov", c.nesterov},
          {"weight_decay", c.weight_decay}, {"beta1", c.beta1}, {"beta2", c.beta2},
          {"eps", c.eps}, {"alpha", c.alpha}, {"schedule", c.schedule},
          {"step_epochs", c.step_epochs}, {"gamma", c.gamma}, {"total_epochs", c.total_epochs}};
}

OptConfig opt_from(const nlohmann::json& j) {
  OptConfig c;
  c.name = j.at("name").get<std::string>();
  c.lr = j.at("lr").get<float>();
  c.momentum = j.at("momentum").get<float>();
  c.nesterov = j.at("nesterov").get<bool>();
  c.weight_decay = j.at("weight_decay").get<float>();
  c.beta1 = j.at("beta1").get<float>();
  c.beta2 = j.at("beta2").get<float>();
  c.eps = j.at("eps").get<float>();
  c.alpha = j.at("alpha").get<float>();
  c.schedule = j.at("schedule").get<std::string>();
  c.step_epochs = j.at("step_epochs").get<int>();
  c.gamma = j.at("gamma").get<float>();
  c.total_epochs = j.at("total_epochs").get<int>();
  return c;
}

nlohmann::json record_json(const EpochRecord& r) {
  return {{"epoch", r.epoch}, {"train_loss", r.train_loss}, {"train_acc", r.train_acc},
          {"test_loss", r.test_loss}, {"test_acc", r.test_acc}, {"val_loss", r.val_loss},
          {"val_acc", r.val_acc}, {"train_s", r.train_s}, {"lr", r.lr},
          {"test_ece", r.test_ece}, {"val_ece", r.val_ece}};
}

// JSON has no NaN: nlohmann writes a NaN metric (a NaN evaluation loss) as
// null; read it back as NaN.
double metric(const nlohmann::json& j, const char* key) {
  const auto& v = j.at(key);
  return v.is_null() ? NAN : v.get<double>();
}
// A metric that older checkpoints lack.
double metric_or(const nlohmann::json& j, const char* key, double missing) {
  return j.contains(key) ? metric(j, key) : missing;
}

EpochRecord record_from(const nlohmann::json& j) {
  EpochRecord r;
  r.epoch = j.at("epoch").get<int>();
  r.train_loss = metric(j, "train_loss");
  r.train_acc = metric(j, "train_acc");
  r.test_loss = metric(j, "test_loss");
  r.test_acc = metric(j, "test_acc");
  r.val_loss = metric(j, "val_loss");
  r.val_acc = metric(j, "val_acc");
  r.train_s = metric(j, "train_s");
  r.lr = metric(j, "lr");
  // Absent from checkpoints written before ECE was recorded.
  r.test_ece = metric_or(j, "test_ece", -1);
  r.val_ece = metric_or(j, "val_ece", -1);
  return r;
}

// Bounds-checked reader over the file bytes.
struct Reader {
  const std::string& buf;
  std::size_t pos;
  std::size_t end;
  const std::string& path;
  void need(std::size_t n, const char* what) const {
    if (n > end - pos)
      throw DataError("checkpoint '" + path + "' is truncated or corrupt: " + what +
                      " runs past the end of the file");
  }
  template <class T>
  T get(const char* what) {
    need(sizeof(T), what);
    T v;
    std::memcpy(&v, buf.data() + pos, sizeof v);
    pos += sizeof v;
    return v;
  }
};

}  // namespace

std::size_t estimate_params(const ModelSpec& s, const InputGeom& g) {
  // Dense/conv weights + biases, norm parameters (x2) and PReLU slopes; an
  // upper bound is all the caller needs.
  const auto dense = [](double in, double out) { return in * out + 3 * out + 1; };
  double n = 0, in = static_cast<double>(g.features);
  if (s.arch == "mlp") {
    for (auto w : s.widths) n += dense(in, static_cast<double>(w)), in = static_cast<double>(w);
  } else if (s.arch == "resmlp") {
    const double w = static_cast<double>(s.widths.at(0));
    n += dense(in, w) + s.depth * dense(w, w);
    in = w;
  } else if (s.arch == "cnn") {
    double c = static_cast<double>(g.channels), h = static_cast<double>(g.height),
           wd = static_cast<double>(g.width);
    for (int i = 0; i < 2; ++i) {
      n += dense(c * 25, static_cast<double>(s.widths[i]));
      c = static_cast<double>(s.widths[i]);
      h = std::floor(h / 2);
      wd = std::floor(wd / 2);
    }
    n += dense(c * h * wd, static_cast<double>(s.widths[2]));
    in = static_cast<double>(s.widths[2]);
  }
  n += dense(in, g.classes);
  return n > 1e15 ? static_cast<std::size_t>(1e15) : static_cast<std::size_t>(n);
}

double estimate_train_bytes(const ModelSpec& s, const InputGeom& g, std::size_t batch) {
  double bytes = 16.0 * static_cast<double>(estimate_params(s, g));
  if (batch == 0) return bytes;
  // Elements one input row produces through the stack.
  double per_row = static_cast<double>(g.features) + g.classes;
  if (s.arch == "mlp") {
    for (auto w : s.widths) per_row += static_cast<double>(w);
  } else if (s.arch == "resmlp") {
    per_row += (s.depth + 1.0) * static_cast<double>(s.widths.at(0));
  } else if (s.arch == "cnn") {
    const double hw = static_cast<double>(g.height) * static_cast<double>(g.width);
    per_row += s.widths[0] * hw * 1.25 + s.widths[1] * hw / 4 * 1.25 + s.widths[2];
  }
  // Values, pre-activations, gradients and a mask per element, float32.
  return bytes + 4.0 * 4.0 * per_row * static_cast<double>(batch);
}

void check_memory(const ModelSpec& s, const InputGeom& g, std::size_t batch) {
  const double need = estimate_train_bytes(s, g, batch);
  const std::string why = memory_shortfall(need);
  if (why.empty()) return;
  char params[32];
  std::snprintf(params, sizeof params, "%.3g", static_cast<double>(estimate_params(s, g)));
  const std::string text = to_text(s);
  throw UsageError("--model '" + text.substr(0, text.find(' ')) + "' (" + params + " parameters)" +
                   (batch ? " with --batch " + std::to_string(batch) : std::string()) + " " + why +
                   "; use smaller widths" + (batch ? " or a smaller --batch" : std::string()));
}

void save_checkpoint(const std::string& path, Model& m, Optimizer& opt, const RunState& st,
                     std::uint64_t seed, const std::string& extra_json) {
  nlohmann::json meta;
  meta["model"] = to_text(m.spec());
  const auto& g = m.geom();
  meta["geom"] = {{"features", g.features}, {"channels", g.channels}, {"height", g.height},
                  {"width", g.width}, {"classes", g.classes}};
  meta["optimizer"] = opt_json(opt.config());
  meta["optimizer_steps"] = opt.steps();
  meta["seed"] = seed;
  nlohmann::json hist = nlohmann::json::array();
  for (auto& r : st.history) hist.push_back(record_json(r));
  meta["state"] = {{"epoch", st.epoch}, {"pos", st.pos}, {"batch", st.batch}, {"step", st.step},
                   {"sum_loss", st.sum_loss}, {"correct", st.correct}, {"seen", st.seen},
                   {"train_s", st.train_s}, {"history", hist}};
  meta["extra"] = nlohmann::json::parse(extra_json);
  const std::string mj = meta.dump();
  std::string out(kMagic, 8);
  put<std::uint32_t>(out, kCheckpointVersion);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(mj.size()));
  out += mj;
  auto ts = all_tensors(m, opt);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(ts.size()));
  for (auto& [name, t] : ts) {
    put<std::uint16_t>(out, static_cast<std::uint16_t>(name.size()));
    out += name;
    put<std::uint8_t>(out, static_cast<std::uint8_t>(t->ndim()));
    for (auto d : t->shape) put<std::int64_t>(out, d);
    out.append(reinterpret_cast<const char*>(t->data()), t->size() * sizeof(float));
  }
  const auto crc = static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(out.data()), static_cast<uInt>(out.size())));
  put<std::uint32_t>(out, crc);
  write_file_atomic(path, out);
}

Checkpoint load_checkpoint(const std::string& path) {
  const auto bad = [&](const std::string& what) {
    return DataError("checkpoint '" + path + "': " + what);
  };
  // The reader standard (as the IDX reader): a regular file only (a device or
  // FIFO is refused by kind, never read), its magic checked from the first
  // bytes, its size capped and compared with the memory available before
  // the whole file is read.
  const std::uint64_t size = regular_file_size(path, "checkpoint", kMaxCheckpointBytes);
  if (read_file_head(path, "checkpoint", 8) != std::string(kMagic, 8) && size >= 8)
    throw bad("not an actlab checkpoint (wrong magic); pass a file written by 'actlab train --save'");
  // The file's bytes, the model and optimizer built from them, gradients.
  if (const std::string why = memory_shortfall(2.5 * static_cast<double>(size)); !why.empty())
    throw bad("is " + human_bytes(static_cast<double>(size)) + "; loading it " + why);
  const std::string buf = read_file(path, "checkpoint", kMaxCheckpointBytes);
  if (buf.size() < 8 + 4 + 4 + 4 + 4) throw bad("file too short to be an actlab checkpoint");
  if (std::memcmp(buf.data(), kMagic, 8) != 0)
    throw bad("not an actlab checkpoint (wrong magic); pass a file written by 'actlab train --save'");
  std::uint32_t stored_crc;
  std::memcpy(&stored_crc, buf.data() + buf.size() - 4, 4);
  const auto crc = static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(buf.data()), static_cast<uInt>(buf.size() - 4)));
  Reader r{buf, 8, buf.size() - 4, path};
  const auto version = r.get<std::uint32_t>("version");
  if (version != kCheckpointVersion)
    throw bad("version " + std::to_string(version) + " is not supported (this actlab reads version " +
              std::to_string(kCheckpointVersion) + ")");
  if (crc != stored_crc) throw bad("checksum mismatch: the file is corrupt or truncated");
  const auto mlen = r.get<std::uint32_t>("metadata length");
  if (mlen > kMaxMeta) throw bad("metadata length " + std::to_string(mlen) + " exceeds 1 MiB");
  r.need(mlen, "metadata");
  nlohmann::json meta;
  Checkpoint ck;
  ModelSpec spec;
  InputGeom g;
  try {
    meta = nlohmann::json::parse(buf.substr(r.pos, mlen));
    r.pos += mlen;
    spec = from_text(meta.at("model").get<std::string>());
    const auto& gj = meta.at("geom");
    g.features = gj.at("features").get<std::int64_t>();
    g.channels = gj.at("channels").get<std::int64_t>();
    g.height = gj.at("height").get<std::int64_t>();
    g.width = gj.at("width").get<std::int64_t>();
    g.classes = gj.at("classes").get<int>();
    ck.seed = meta.at("seed").get<std::uint64_t>();
    const auto& sj = meta.at("state");
    ck.state.epoch = sj.at("epoch").get<int>();
    ck.state.pos = sj.at("pos").get<std::size_t>();
    ck.state.batch = sj.at("batch").get<std::size_t>();
    ck.state.step = sj.at("step").get<std::uint64_t>();
    ck.state.sum_loss = sj.at("sum_loss").get<double>();
    ck.state.correct = sj.at("correct").get<std::size_t>();
    ck.state.seen = sj.at("seen").get<std::size_t>();
    ck.state.train_s = sj.at("train_s").get<double>();
    for (auto& h : sj.at("history")) ck.state.history.push_back(record_from(h));
    ck.extra_json = meta.at("extra").dump();
    ck.opt = std::make_unique<Optimizer>(opt_from(meta.at("optimizer")));
    ck.opt->set_steps(meta.at("optimizer_steps").get<std::uint64_t>());
  } catch (const nlohmann::json::exception& e) {
    throw bad(std::string("metadata is malformed: ") + e.what());
  } catch (const UsageError& e) {
    throw bad(std::string("stored optimizer settings are invalid: ") + e.what());
  } catch (const DataError& e) {
    throw bad(e.what());
  }
  const std::int64_t kMaxDim = std::int64_t{1} << 24;
  if (g.features < 1 || g.features > kMaxDim || g.classes < 2 || g.classes > (1 << 16) ||
      g.channels < 0 || g.channels > 4096 || g.height < 0 || g.height > 65536 || g.width < 0 ||
      g.width > 65536 || (g.channels && g.channels * g.height * g.width != g.features))
    throw bad("input geometry is out of range or inconsistent");
  if (ck.state.epoch < 0) throw bad("negative epoch");
  // The model must fit in the file before it is allocated.
  if (estimate_params(spec, g) > (buf.size() / sizeof(float)) * 2)
    throw bad("the stored model spec needs more parameters than the file holds");
  try {
    ck.model = std::make_unique<Model>(spec, g, 0);
  } catch (const UsageError& e) {
    throw bad(std::string("the stored model does not fit its stored input: ") + e.what());
  }
  auto ts = all_tensors(*ck.model, *ck.opt);
  std::map<std::string, Tensor*> want(ts.begin(), ts.end());
  const auto count = r.get<std::uint32_t>("tensor count");
  if (count > kMaxTensors || count != ts.size())
    throw bad("holds " + std::to_string(count) + " tensors; the model '" + to_text(spec) +
              "' with its optimizer needs " + std::to_string(ts.size()));
  for (std::uint32_t k = 0; k < count; ++k) {
    const auto nlen = r.get<std::uint16_t>("tensor name length");
    if (nlen > kMaxName) throw bad("tensor name longer than 256 bytes");
    r.need(nlen, "tensor name");
    const std::string name = buf.substr(r.pos, nlen);
    r.pos += nlen;
    const auto nd = r.get<std::uint8_t>("tensor rank");
    if (nd > kMaxDims) throw bad("tensor '" + name + "' has rank " + std::to_string(nd));
    Shape sh;
    for (int d = 0; d < nd; ++d) {
      const auto v = r.get<std::int64_t>("tensor dimension");
      if (v < 0 || v > kMaxDim) throw bad("tensor '" + name + "' has dimension " + std::to_string(v));
      sh.push_back(v);
    }
    auto it = want.find(name);
    if (it == want.end())
      throw bad("tensor '" + name + "' does not belong to the model '" + to_text(spec) + "'");
    if (it->second->shape != sh)
      throw bad("tensor '" + name + "' has shape " + shape_text(sh) + ", the model needs " +
                shape_text(it->second->shape));
    const std::size_t bytes = numel(sh) * sizeof(float);
    r.need(bytes, "tensor data");
    std::memcpy(it->second->data(), buf.data() + r.pos, bytes);
    r.pos += bytes;
    want.erase(it);
  }
  if (r.pos != r.end) throw bad("trailing bytes after the last tensor");
  return ck;
}

}  // namespace actlab::nn
