import mpmath as mp, numpy as np, struct, sys
mp.mp.dps = 40
N = int(sys.argv[1]) if len(sys.argv)>1 else 16
deg = int(sys.argv[2]) if len(sys.argv)>2 else 3
a = mp.log(2)/(2*N) * mp.mpf('1.01')
def Q(r):
    if abs(r) < mp.mpf('1e-12'): return mp.mpf(1)/2 + r/6
    return (mp.exp(r)-1-r)/r**2
M=400
xs=[a*mp.cos(mp.pi*(k+0.5)/M) for k in range(M)]
k=deg-1
A=mp.matrix(M,k); b=mp.matrix(M,1)
for i,r in enumerate(xs):
    w=r**2/mp.exp(r)
    for j in range(k): A[i,j]=w*r**j
    b[i]=w*Q(r)
c=mp.lu_solve(A.T*A,A.T*b)
cf=[float(np.float32(float(c[j]))) for j in range(k)]
mx=0
for t in range(2001):
    r=-a+2*a*t/2000
    P=sum(mp.mpf(cf[j])*r**j for j in range(k))
    mx=max(mx,abs((1+r+r**2*P)-mp.exp(r))/mp.exp(r))
print("Q coeffs:", ", ".join(float.hex(v)+"f" for v in cf))
print("max rel err 2^", mp.nstr(mp.log(mx,2),4))
f2u=lambda f: struct.unpack('<I',struct.pack('<f',f))[0]
tb=[];tc=[]
for j in range(N):
    v=mp.mpf(2)**(mp.mpf(j)/N); h=float(np.float32(float(v)))
    tb.append(f2u(h)-(j<<(23-int(mp.log(N,2)))))
    tc.append(float(np.float32(float((v-h)/h))))
print("bits:", ", ".join("0x%08x"%x for x in tb))
print("corr:", ", ".join(float.hex(x)+"f" for x in tc))
