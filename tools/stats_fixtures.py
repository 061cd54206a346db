#!/usr/bin/python3
"""Generates tests/lab/fixtures/stats.json, the SciPy reference values for
the statistics of `actlab study` (include/actlab/lab/stats.hpp).

Run with Debian's interpreter (python3-scipy 1.10, python3-numpy):
    /usr/bin/python3 tools/stats_fixtures.py
tests/lab/test_stats.cpp reads the samples stored in the fixture, runs the
C++ functions on them and compares with the values below.

Sources of the reference values:
  t quantiles         SciPy 1.10's t.ppf (cephes stdtrit) is accurate to
      only ~4e-9 relative (e.g. t.ppf(0.9, 3) = 1.6377443572 where the
      closed form gives 1.6377443537), so tppf() below polishes it with
      Newton steps on SciPy's t.cdf / t.sf (stdtr, accurate to ~1e-15) and,
      when mpmath is importable (python3-mpmath), checks the result against
      a 50-digit root of the incomplete-beta form of the t cdf;
  mean and paired intervals   mean -+ tppf * sd / sqrt(n), cross-checked
      against scipy.stats.t.interval and ttest_rel(...).confidence_interval
      to SciPy's accuracy;
  p-values            scipy.stats.ttest_rel, ttest_ind(equal_var=False);
  Welch interval      mean difference -+ tppf at the Welch-Satterthwaite df
      (SciPy 1.10 has no interval for ttest_ind), df cross-checked against
      the t statistic and p-value SciPy reports;
  skewness            scipy.stats.skew(bias=False);
  BCa bootstrap       scipy.stats.bootstrap(method="BCa") with many resamples
      (a different random stream from the C++ one, so compared loosely);
  Cohen's d, d_z, Holm, seeds_to_decide   written out here from the
      textbook definitions (no statsmodels), with tppf.
"""
import json
import math
import os

import numpy as np
import scipy
from scipy import stats

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "lab", "fixtures",
                   "stats.json")
LEVELS = [0.8, 0.9, 0.95, 0.99]
BOOT_RESAMPLES = 200000


def f(x):
    """A float for JSON: NaN and infinities as strings (the C++ side maps them back)."""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def fl(v):
    return [f(x) for x in v]


def samples():
    """Named samples: normal-ish accuracies, small n, heavy right skew."""
    rng = np.random.RandomState(20240614)
    out = {
        "acc5": 0.87 + 0.01 * rng.randn(5),
        "acc10": 0.62 + 0.03 * rng.randn(10),
        "wide30": 5.0 + 2.0 * rng.randn(30),
        "two": np.array([1.25, 1.5]),
        "three": np.array([-0.5, 0.25, 2.0]),
        "lognormal12": np.exp(rng.randn(12) * 1.2),
        "lognormal40": np.exp(rng.randn(40)),
        "exp25": rng.exponential(2.0, 25),
        "leftskew16": 1.0 - np.exp(rng.randn(16)),
        "neg8": -3.0 + rng.randn(8),
    }
    return {k: [float(x) for x in v] for k, v in out.items()}


try:
    import mpmath
except ImportError:  # the cross-check is optional
    mpmath = None


def tppf(p, df, check=True):
    """Student t quantile to ~1e-15: SciPy's t.ppf, then Newton on the tail
    probability (p itself below the median, 1 - p, exact in binary, above).
    check: compare with mpmath (slow; off in the seeds_to_decide search)."""
    if p == 0.5:
        return 0.0
    q = stats.t.ppf(p, df)
    for _ in range(30):
        if p < 0.5:
            step = (stats.t.cdf(q, df) - p) / stats.t.pdf(q, df)
        else:
            step = -(stats.t.sf(q, df) - (1.0 - p)) / stats.t.pdf(q, df)
        q -= step
        if abs(step) <= 1e-17 * abs(q):
            break
    if check and mpmath is not None:
        ref = tppf_mp(p, df, q)
        assert abs(ref - q) <= 1e-14 * abs(q), (p, df, q, ref)
    return float(q)


def tppf_mp(p, df, guess):
    """50-digit root of P(T <= t) = p with P(T <= t) = I_{df/(df+t^2)}(df/2, 1/2) / 2 for t < 0."""
    with mpmath.workdps(50):
        nu = mpmath.mpf(df)
        tail = mpmath.mpf(p) if p < 0.5 else 1 - mpmath.mpf(p)

        def lower_tail(t):  # P(T <= -|t|)
            return mpmath.betainc(nu / 2, mpmath.mpf(1) / 2, 0, nu / (nu + t * t), regularized=True) / 2

        t = mpmath.findroot(lambda t: lower_tail(t) - tail, mpmath.mpf(abs(guess)))
        return float(t) if p > 0.5 else -float(t)


def t_quantiles():
    ps = [1e-9, 1e-6, 0.001, 0.025, 0.1, 0.4, 0.5, 0.6, 0.9, 0.95, 0.975, 0.995, 0.999999]
    dfs = [0.5, 1, 1.5, 2, 3, 4.7, 7, 9, 19, 29.3, 100, 1e4, 1e7]
    out = []
    for p in ps:
        for df in dfs:
            q = tppf(p, df)
            assert abs(q - stats.t.ppf(p, df)) <= 1e-7 * abs(q) + 1e-15  # SciPy's own accuracy
            out.append({"p": p, "df": df, "q": f(q)})
    # Closed forms as a check of the check: df = 1 (Cauchy), df = 2.
    assert abs(tppf(0.9, 1) - math.tan(math.pi * 0.4)) <= 1e-14 * math.tan(math.pi * 0.4)
    assert abs(tppf(0.9, 2) - 0.8 / math.sqrt(2 * 0.9 * 0.1)) <= 1e-14
    return out


def mean_cis(smp):
    out = []
    for name, v in smp.items():
        x = np.array(v)
        n = len(x)
        sd = x.std(ddof=1)
        for level in LEVELS:
            h = tppf(0.5 + level / 2, n - 1) * sd / math.sqrt(n)
            lo, hi = x.mean() - h, x.mean() + h
            slo, shi = stats.t.interval(level, n - 1, loc=x.mean(), scale=sd / math.sqrt(n))
            assert abs(slo - lo) <= 1e-7 * h and abs(shi - hi) <= 1e-7 * h
            out.append({"sample": name, "level": level, "mean": f(x.mean()), "sd": f(sd),
                        "lo": f(lo), "hi": f(hi), "df": n - 1})
    return out


def skewness(smp):
    return [{"sample": k, "skew": f(stats.skew(np.array(v), bias=False)) if len(v) >= 3 else "nan"}
            for k, v in smp.items()]


def bootstraps(smp):
    out = []
    for name in ["acc10", "lognormal12", "lognormal40", "exp25", "leftskew16", "wide30"]:
        x = np.array(smp[name])
        for level in [0.9, 0.95]:
            r = stats.bootstrap((x,), np.mean, confidence_level=level, n_resamples=BOOT_RESAMPLES,
                                method="BCa", random_state=np.random.RandomState(7))
            ci = r.confidence_interval
            out.append({"sample": name, "level": level, "lo": f(ci.low), "hi": f(ci.high),
                        "boot_se": f(r.standard_error), "resamples": BOOT_RESAMPLES})
    return out


def pairs(smp):
    """Paired comparisons: equal-length a, b (b = a - effect + noise)."""
    rng = np.random.RandomState(99)
    cases = []
    for name, n, effect, noise in [("small_effect", 6, 0.004, 0.01), ("clear", 10, 0.05, 0.01),
                                   ("none", 8, 0.0, 0.02), ("large_n", 40, 0.3, 1.0),
                                   ("tiny_p", 12, 1.0, 0.001)]:
        a = 0.8 + 0.02 * rng.randn(n)
        b = a - effect + noise * rng.randn(n)
        cases.append((name, a, b))
    out = []
    for name, a, b in cases:
        d = a - b
        n = len(d)
        r = stats.ttest_rel(a, b)
        rec = {"name": name, "a": fl(a), "b": fl(b), "p": f(r.pvalue),
               "mean": f(d.mean()), "sd": f(d.std(ddof=1)),
               "dz": f(d.mean() / d.std(ddof=1)), "ci": []}
        for level in LEVELS:
            h = tppf(0.5 + level / 2, n - 1) * d.std(ddof=1) / math.sqrt(n)
            lo, hi = d.mean() - h, d.mean() + h
            ci = r.confidence_interval(confidence_level=level)
            assert abs(ci.low - lo) <= 1e-7 * h and abs(ci.high - hi) <= 1e-7 * h
            rec["ci"].append({"level": level, "lo": f(lo), "hi": f(hi)})
        out.append(rec)
    return out


def welch_cases():
    rng = np.random.RandomState(5)
    cases = [("unequal_n", 0.9 + 0.01 * rng.randn(5), 0.88 + 0.03 * rng.randn(9)),
             ("unequal_var", 10 + rng.randn(12), 9 + 4 * rng.randn(12)),
             ("no_diff", rng.randn(7), rng.randn(6)),
             ("min_n", np.array([1.0, 2.0]), np.array([0.5, 0.7, 0.2])),
             ("separated", 0.95 + 0.002 * rng.randn(10), 0.70 + 0.02 * rng.randn(10))]
    out = []
    for name, a, b in cases:
        na, nb = len(a), len(b)
        va, vb = a.var(ddof=1), b.var(ddof=1)
        qa, qb = va / na, vb / nb
        se = math.sqrt(qa + qb)
        df = (qa + qb) ** 2 / (qa ** 2 / (na - 1) + qb ** 2 / (nb - 1))
        diff = a.mean() - b.mean()
        r = stats.ttest_ind(a, b, equal_var=False)
        # Cross-check the hand-written df and se against SciPy's own test.
        assert abs(r.statistic - diff / se) <= 1e-12 * abs(r.statistic) + 1e-15
        assert abs(r.pvalue - 2 * stats.t.sf(abs(diff / se), df)) <= 1e-12 * r.pvalue
        pooled = math.sqrt(((na - 1) * va + (nb - 1) * vb) / (na + nb - 2))
        rec = {"name": name, "a": fl(a), "b": fl(b), "p": f(r.pvalue), "mean": f(diff),
               "se": f(se), "df": f(df), "sd": f(math.sqrt(va + vb)), "d": f(diff / pooled),
               "ci": []}
        for level in LEVELS:
            h = tppf(0.5 + level / 2, df) * se
            rec["ci"].append({"level": level, "lo": f(diff - h), "hi": f(diff + h)})
        out.append(rec)
    return out


def holm_textbook(p):
    """Holm (1979): sort ascending, p_(j) * (m - j + 1), running max, cap 1.
    NaN entries are not tests: left NaN, not counted in m."""
    idx = [i for i in range(len(p)) if not math.isnan(p[i])]
    idx.sort(key=lambda i: p[i])  # stable, like the C++ side
    m = len(idx)
    out = [float("nan")] * len(p)
    running = 0.0
    for j, i in enumerate(idx, start=1):
        running = max(running, min(1.0, (m - j + 1) * p[i]))
        out[i] = running
    return out


def holm_cases():
    cases = [
        [0.01, 0.04, 0.03, 0.005],
        [0.5],
        [0.001, 0.001, 0.2, 0.6, 0.04],         # ties
        [0.3, 0.4, 0.45, 0.6],                   # all capped at 1
        [0.04, 0.01, float("nan"), 0.02],        # NaN: not a test
        [0.0, 1.0, 0.012, 0.0125, 0.013, 0.5],   # exact 0 and 1; a non-monotone raw scale
        [],
    ]
    rng = np.random.RandomState(3)
    cases.append(list(rng.uniform(0, 0.2, 15)))
    return [{"p": fl(c), "adj": fl(holm_textbook(c))} for c in cases]


def seeds_cases():
    """Smallest n' in [2, 1000] with t.ppf((1+level)/2, n'-1) * sd / sqrt(n') < |mean - thr|."""
    out = []
    for mean, sd, thr, level in [(0.01, 0.02, 0.0, 0.95), (0.01, 0.02, 0.0, 0.99),
                                 (0.5, 0.1, 0.0, 0.95), (-0.3, 1.0, 0.0, 0.9),
                                 (0.001, 0.05, 0.0, 0.95), (0.02, 0.01, 0.015, 0.95),
                                 (3.0, 0.1, 0.0, 0.95), (0.0005, 0.05, 0.0, 0.95),
                                 (0.0033, 0.05, 0.0, 0.95), (-0.2, 0.3, 0.1, 0.8)]:
        gap = abs(mean - thr)
        ans = 1001
        for m in range(2, 1001):
            if tppf(0.5 + level / 2, m - 1, check=False) * sd / math.sqrt(m) < gap:
                ans = m
                break
        out.append({"mean": mean, "sd": sd, "threshold": thr, "level": level, "seeds": ans})
    return out


def ranking_case():
    """Four items, paired by seed: two near-equal good ones, a middle one,
    a clearly worse one. Reference: pairwise ttest_rel, then Holm."""
    rng = np.random.RandomState(11)
    base = 0.01 * rng.randn(8)  # seed effect shared by every item
    items = [0.90 + base + 0.002 * rng.randn(8), 0.899 + base + 0.002 * rng.randn(8),
             0.85 + base + 0.002 * rng.randn(8), 0.60 + base + 0.002 * rng.randn(8)]
    k = len(items)
    raw, where = [], []
    for i in range(k):
        for j in range(i + 1, k):
            raw.append(stats.ttest_rel(items[i], items[j]).pvalue)
            where.append((i, j))
    adj = holm_textbook(raw)
    p = [[float("nan")] * k for _ in range(k)]
    for (i, j), v in zip(where, adj):
        p[i][j] = p[j][i] = v
    means = [float(np.mean(x)) for x in items]
    order = sorted(range(k), key=lambda i: (-means[i], i))
    return {"items": [fl(x) for x in items], "p_adj": [fl(r) for r in p], "order": order}


def main():
    smp = samples()
    fx = {
        "generator": "tools/stats_fixtures.py",
        "scipy": scipy.__version__, "numpy": np.__version__,
        "samples": smp,
        "t_quantile": t_quantiles(),
        "mean_ci": mean_cis(smp),
        "skewness": skewness(smp),
        "bootstrap": bootstraps(smp),
        "paired": pairs(smp),
        "welch": welch_cases(),
        "holm": holm_cases(),
        "seeds_to_decide": seeds_cases(),
        "ranking": ranking_case(),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as fo:
        json.dump(fx, fo, indent=1)
        fo.write("\n")
    print("wrote", os.path.relpath(OUT), "with scipy", scipy.__version__)


if __name__ == "__main__":
    main()
