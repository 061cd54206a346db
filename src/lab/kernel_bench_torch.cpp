// The PyTorch side of actlab bench: writes the inputs and a JSON spec to a
// scratch directory, runs bench/torch_eltwise.py once with the configured
// python, and reads back its timings and correctness samples. Every way this
// can fail becomes a reason string (printed by the report), never a silent skip.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "actlab/act/catalogue.hpp"
#include "src/lab/kernel_bench_internal.hpp"

namespace actlab::lab::detail {
namespace fs = std::filesystem;
namespace {

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

bool write_raw(const fs::path& p, const float* v, std::size_t n) {
  std::FILE* f = std::fopen(p.c_str(), "wb");
  if (!f) return false;
  const bool ok = std::fwrite(v, sizeof(float), n, f) == n;
  return std::fclose(f) == 0 && ok;
}

std::vector<float> read_raw(const fs::path& p) {
  const std::string s = slurp(p);
  std::vector<float> v(s.size() / sizeof(float));
  std::memcpy(v.data(), s.data(), v.size() * sizeof(float));
  return v;
}

std::string sh_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// The last non-empty line of a tool's stderr: the error, not the traceback.
std::string last_line(const std::string& s) {
  std::istringstream is(s);
  std::string line, last;
  while (std::getline(is, line))
    if (!line.empty()) last = line;
  return last.empty() ? "(no message)" : last;
}

// bench/torch_eltwise.py: explicit option, $ACTLAB_TORCH_SCRIPT, or the
// source tree above the running binary (build/actlab -> bench/).
std::string find_script(const BenchOptions& o, std::string& why) {
  if (!o.torch_script.empty()) {
    if (fs::is_regular_file(o.torch_script)) return o.torch_script;
    why = "PyTorch script " + o.torch_script + " not found (--torch-script)";
    return {};
  }
  if (const char* e = std::getenv("ACTLAB_TORCH_SCRIPT"); e && *e) {
    if (fs::is_regular_file(e)) return e;
    why = std::string("PyTorch script ") + e + " not found ($ACTLAB_TORCH_SCRIPT)";
    return {};
  }
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec)
    for (fs::path d = exe.parent_path(); !d.empty() && d != d.root_path(); d = d.parent_path())
      if (fs::is_regular_file(d / "bench" / "torch_eltwise.py")) return (d / "bench" / "torch_eltwise.py").string();
  why = "bench/torch_eltwise.py not found above " + exe.string() + "; pass --torch-script PATH";
  return {};
}

}  // namespace

TorchRun run_torch(const BenchOptions& o, const float* x, const float* dy, std::size_t n_max,
                   std::size_t check_n) {
  TorchRun r;
  r.check_y.resize(o.acts.size());
  r.check_dx.resize(o.acts.size());
  if (access(o.python.c_str(), X_OK) != 0) {
    r.why = "python interpreter " + o.python + " not found or not executable";
    return r;
  }
  const std::string script = find_script(o, r.why);
  if (script.empty()) return r;

  const fs::path dir = fs::temp_directory_path() / ("actlab-bench-" + std::to_string(::getpid()));
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) {
    r.why = "cannot create scratch directory " + dir.string() + ": " + ec.message();
    return r;
  }
  struct Cleanup {
    fs::path d;
    ~Cleanup() {
      std::error_code e;
      fs::remove_all(d, e);
    }
  } cleanup{dir};

  if (!write_raw(dir / "x.f32", x, n_max) || !write_raw(dir / "dy.f32", dy, n_max)) {
    r.why = "cannot write the inputs to " + dir.string() + " (disk full?)";
    return r;
  }
  nlohmann::json spec;
  spec["x"] = (dir / "x.f32").string();
  spec["dy"] = (dir / "dy.f32").string();
  spec["n_max"] = n_max;
  spec["sizes"] = o.sizes;
  spec["threads"] = o.threads;
  spec["repeats"] = o.repeats;
  spec["min_seconds"] = o.min_seconds;
  spec["median"] = o.median;
  spec["check_n"] = check_n;
  spec["check_dir"] = dir.string();
  spec["acts"] = nlohmann::json::array();
  for (const auto& e : o.acts) {
    const auto& in = act::info(e.act);
    nlohmann::json params = nlohmann::json::object();
    for (int i = 0; i < in.nparams; ++i) params[in.params[i].name] = e.params.v[i];
    spec["acts"].push_back({{"name", in.name}, {"params", params}});
  }
  {
    std::ofstream f(dir / "spec.json");
    f << spec.dump();
  }

  const std::string cmd = sh_quote(o.python) + " " + sh_quote(script) + " " + sh_quote((dir / "spec.json").string()) +
                          " >" + sh_quote((dir / "out.json").string()) + " 2>" + sh_quote((dir / "err.txt").string());
  const int status = std::system(cmd.c_str());
  const int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (rc != 0) {
    r.why = o.python + " " + script + " failed (exit " + std::to_string(rc) + "): " + last_line(slurp(dir / "err.txt"));
    return r;
  }
  nlohmann::json out;
  try {
    out = nlohmann::json::parse(slurp(dir / "out.json"));
    r.version = out.at("torch_version").get<std::string>();
    for (const auto& n : out.at("notes")) r.notes.push_back(n.get<std::string>());
    for (const auto& j : out.at("results")) {
      TorchResult t;
      t.act = j.at("act").get<std::string>();
      t.n = j.at("n").get<std::size_t>();
      t.threads = j.at("threads").get<int>();
      if (!j.at("fwd").is_null()) t.fwd = j.at("fwd").get<double>();
      if (!j.at("bwd").is_null()) t.bwd = j.at("bwd").get<double>();
      r.results.push_back(t);
    }
  } catch (const std::exception& e) {
    r.why = "unreadable output from " + script + ": " + e.what();
    return r;
  }
  for (std::size_t k = 0; k < o.acts.size(); ++k) {
    const fs::path py = dir / (std::to_string(k) + ".y.f32"), pdx = dir / (std::to_string(k) + ".dx.f32");
    if (fs::exists(py)) r.check_y[k] = read_raw(py);
    if (fs::exists(pdx)) r.check_dx[k] = read_raw(pdx);
  }
  r.ok = true;
  return r;
}

}  // namespace actlab::lab::detail
