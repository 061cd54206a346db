import mpmath as mp, numpy as np
mp.mp.dps = 40
a = mp.log(2)/32 * mp.mpf('1.02')
M = 400
xs = [a*mp.cos(mp.pi*(k+0.5)/M) for k in range(M)]
def Q(r): return (mp.expm1(r) - r)/r**2
# weight for relative error of expm1: r^2 / expm1(r)
fixed = []
for step in range(3):
    k = 3 - len(fixed)
    A = mp.matrix(M, k); b = mp.matrix(M, 1)
    for i, r in enumerate(xs):
        w = r**2/mp.expm1(r)
        for j in range(k): A[i, j] = w*r**(len(fixed)+j)
        b[i] = w*(Q(r) - sum(fixed[j]*r**j for j in range(len(fixed))))
    sol = mp.lu_solve(A.T*A, A.T*b)
    fixed.append(mp.mpf(float(np.float32(float(sol[0])))))
mx = 0; mx2 = 0
for t in range(4001):
    r = -a + 2*a*t/4000
    if r == 0: continue
    v = r + r**2*(fixed[0] + fixed[1]*r + fixed[2]*r*r)
    mx = max(mx, abs(v - mp.expm1(r))/abs(mp.expm1(r)))
    mx2 = max(mx2, abs((1+v) - mp.exp(r))/mp.exp(r))
print("Q:", ", ".join(float.hex(float(f))+"f" for f in fixed))
print("expm1 rel err 2^%.2f, exp rel err 2^%.2f" % (float(mp.log(mx,2)), float(mp.log(mx2,2))))
