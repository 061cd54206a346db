#include "actlab/nn/train.hpp"
#include "actlab/core/error.hpp"

#include <chrono>
#include <cmath>
#include <sstream>

#include "actlab/nn/loss.hpp"

namespace actlab::nn {

EvalResult evaluate(Model& m, const EvalSet& s, std::size_t batch) {
  EvalResult r;
  if (s.rows == 0) return r;
  const std::size_t f = static_cast<std::size_t>(m.geom().features);
  double loss = 0;
  std::size_t correct = 0;
  for (std::size_t r0 = 0; r0 < s.rows; r0 += batch) {
    const std::size_t n = std::min(batch, s.rows - r0);
    const Tensor& z = m.forward(s.x + r0 * f, static_cast<std::int64_t>(n), Ctx{false});
    std::size_t c = 0;
    loss += head_loss(m.spec().head, z, s.y + r0, nullptr, &c, &r.cal) * static_cast<double>(n);
    correct += c;
  }
  r.loss = loss / static_cast<double>(s.rows);
  r.acc = static_cast<double>(correct) / static_cast<double>(s.rows);
  r.ece = r.cal.ece();
  return r;
}

double grad_norm(const std::vector<Param>& ps) {
  double s = 0;
  for (auto& p : ps)
    for (float g : p.g->v) s += static_cast<double>(g) * g;
  return std::sqrt(s);
}

TrainResult train(Model& m, Optimizer& opt, BatchSource& src, const EvalSet& test,
                  const EvalSet& val, RunState& st, const TrainConfig& cfg) {
  using clock = std::chrono::steady_clock;
  if (!(cfg.clip_grad >= 0) || !std::isfinite(cfg.clip_grad))
    throw UsageError("--clip-grad " + std::to_string(cfg.clip_grad) +
                     ": must be a finite number >= 0 (0: no clipping)");
  TrainResult res;
  auto ps = m.params();
  std::vector<float> x;
  std::vector<std::int32_t> y;
  Tensor dz;
  const std::size_t batches = src.batches_per_epoch();
  const auto at_limit = [&] { return cfg.max_steps && st.step >= cfg.max_steps; };
  for (; st.epoch < cfg.epochs && !at_limit(); ++st.epoch) {
    src.start_epoch(static_cast<std::uint64_t>(st.epoch));
    if (st.pos) src.seek(st.pos);
    const float lr = scheduled_lr(opt.config(), st.epoch);
    auto t0 = clock::now();
    const double base_s = st.train_s;
    for (;;) {
      if (at_limit() && st.batch < batches) return res;  // stop inside the epoch (a full one ends below)
      const std::size_t n = src.next(x, y);
      if (n == 0) break;
      const Ctx ctx{true, cfg.seed, st.step};
      const Tensor& z = m.forward(x.data(), static_cast<std::int64_t>(n), ctx);
      std::size_t correct = 0;
      const double loss = head_loss(m.spec().head, z, y.data(), &dz, &correct);
      const auto diverge = [&](const std::string& what) {
        std::ostringstream os;
        os << "diverged at epoch " << st.epoch + 1 << ", step " << st.step + 1 << ": " << what
           << "; lower --lr or set --clip-grad";
        res = {true, st.epoch + 1, st.step + 1, os.str()};
        return res;
      };
      if (!std::isfinite(loss)) return diverge("loss is " + std::to_string(loss));
      m.backward(dz);
      const double gn = grad_norm(ps);
      if (!std::isfinite(gn)) return diverge("gradient norm is " + std::to_string(gn));
      if (cfg.after_backward) cfg.after_backward(m, st);
      if (cfg.clip_grad > 0 && gn > cfg.clip_grad) {
        const float sc = static_cast<float>(cfg.clip_grad / gn);
        for (auto& p : ps)
          for (auto& g : p.g->v) g *= sc;
      }
      opt.step(ps, lr);
      ++st.step;
      ++st.batch;
      st.sum_loss += loss * static_cast<double>(n);
      st.correct += correct;
      st.seen += n;
      st.pos = src.position();
      st.train_s = base_s + std::chrono::duration<double>(clock::now() - t0).count();
      if (cfg.on_step)
        cfg.on_step({st.epoch + 1, st.batch, batches, st.step, st.sum_loss / st.seen,
                     static_cast<double>(st.correct) / st.seen, st.train_s});
      if (cfg.checkpoint_every && st.step % cfg.checkpoint_every == 0 && cfg.on_checkpoint)
        cfg.on_checkpoint(st);
    }
    EpochRecord rec;
    rec.epoch = st.epoch + 1;
    rec.train_loss = st.seen ? st.sum_loss / st.seen : 0;
    rec.train_acc = st.seen ? static_cast<double>(st.correct) / st.seen : 0;
    rec.train_s = st.train_s;
    rec.lr = lr;
    const auto te = evaluate(m, test, cfg.eval_batch);
    rec.test_loss = te.loss;
    rec.test_acc = te.acc;
    rec.test_ece = te.ece;
    if (val.rows) {
      const auto va = evaluate(m, val, cfg.eval_batch);
      rec.val_loss = va.loss;
      rec.val_acc = va.acc;
      rec.val_ece = va.ece;
    }
    st.history.push_back(rec);
    st.pos = st.batch = st.seen = st.correct = 0;
    st.sum_loss = st.train_s = 0;
    if (cfg.on_epoch) cfg.on_epoch(rec);
    if (cfg.on_checkpoint) {
      ++st.epoch;  // the checkpoint says "start at the next epoch"
      cfg.on_checkpoint(st);
      --st.epoch;
    }
  }
  return res;
}

}  // namespace actlab::nn
