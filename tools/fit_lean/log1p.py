# R(u) with log1p(E) = 2s + 2 s^3 R(s^2), s = E / (2 + E) in [0, 1/3]
import mpmath as mp, numpy as np
mp.mp.dps=40
S=mp.mpf(1)/3*mp.mpf('1.001')
M=300
us=[(S*(1-mp.cos(mp.pi*(k+0.5)/M))/2)**2 for k in range(M)]
for deg in (3,4,5):
    fixed=[]
    for step in range(deg+1):
        k=deg+1-len(fixed)
        A=mp.matrix(M,k); b=mp.matrix(M,1)
        for i,u in enumerate(us):
            s=mp.sqrt(u); L=2*mp.atanh(s); w=2*s**3/L
            for j in range(k): A[i,j]=w*u**(len(fixed)+j)
            b[i]=w*((L-2*s)/(2*s**3) - sum(fixed[j]*u**j for j in range(len(fixed))))
        sol=mp.lu_solve(A.T*A,A.T*b); fixed.append(mp.mpf(float(np.float32(float(sol[0])))))
    mx=0
    for t in range(1,2001):
        s=S*t/2000; u=s*s; L=2*mp.atanh(s)
        v=2*s+2*s**3*sum(fixed[j]*u**j for j in range(deg+1))
        mx=max(mx,abs(v-L)/L)
    print(deg, "R:", ", ".join(float.hex(float(f))+"f" for f in fixed), "rel 2^%.1f"%float(mp.log(mx,2)))
