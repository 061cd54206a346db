#!/usr/bin/python3
"""Prints the PyTorch golden values pasted into tests/act/test_kernels_golden.cpp.
Run: /usr/bin/python3 tools/golden_torch.py"""
import torch, math
import torch.nn.functional as F
torch.set_default_dtype(torch.float64)
xs=[-3.5,-1.25,-0.5,0.25,1.0,2.75]
x=torch.tensor(xs,dtype=torch.float64)
cases = {
 'identity': ('', lambda x: x),
 'step': ('', lambda x: torch.heaviside(x, torch.tensor(0.0))),
 'sigmoid': ('', torch.sigmoid),
 'hardsigmoid': ('', F.hardsigmoid),
 'logsigmoid': ('', F.logsigmoid),
 'tanh': ('', torch.tanh),
 'hardtanh': ('', F.hardtanh),
 'softsign': ('', F.softsign),
 'tanhshrink': ('', F.tanhshrink),
 'relu': ('', F.relu),
 'relu6': ('', F.relu6),
 'leaky_relu': ('', F.leaky_relu),
 'prelu': ('', lambda x: F.prelu(x, torch.tensor([0.25]))),
 'rrelu': ('', lambda x: F.rrelu(x, training=False)),
 'elu': ('', F.elu),
 'celu': ('', F.celu),
 'selu': ('', F.selu),
 'gelu': ('', F.gelu),
 'gelu_tanh': ('', lambda x: F.gelu(x, approximate='tanh')),
 'silu': ('', F.silu),
 'swish': ('', lambda x: x*torch.sigmoid(1.0*x)),
 'mish': ('', F.mish),
 'softplus': ('', F.softplus),
 'hardswish': ('', F.hardswish),
 'hardshrink': ('', F.hardshrink),
 'softshrink': ('', F.softshrink),
 'threshold': ('', lambda x: F.threshold(x, 0.0, 0.0)),
 'squareplus': ('', lambda x: (x + torch.sqrt(x*x + 4.0))/2),
 'snake': ('', lambda x: x + torch.sin(x)**2),
 'exponential': ('', torch.exp),
}
print("// Golden values computed with PyTorch %s in float64 by tools/golden_torch.py" % torch.__version__)
print("// (torch.nn.functional with default arguments; swish, squareplus and snake,")
print("// which PyTorch 1.13 lacks, from their formulas in torch ops).")
print("const double kGoldenX[6] = {%s};" % ", ".join(repr(v) for v in xs))
print("const GoldenRow kGolden[] = {")
for name,(_,f) in cases.items():
    xx = x.clone().requires_grad_(True)
    y = f(xx)
    if name == 'step':  # torch.heaviside has no autograd; its derivative is 0 a.e.
        y, g = y.detach(), torch.zeros_like(x)
    else:
        g, = torch.autograd.grad(y.sum(), xx)
    print('    {"%s", {%s}, {%s}},' % (name, ", ".join("%.17g"%v for v in y.tolist()), ", ".join("%.17g"%v for v in g.tolist())))
print("};")
# softmax family
r = torch.tensor([[-1.5, 0.25, 2.0, 0.5]])
print("const double kGoldenRowX[4] = {-1.5, 0.25, 2.0, 0.5};")
print("const GoldenSoftmax kGoldenRows[] = {")
for name,f in [('softmax', lambda r: F.softmax(r,-1)), ('log_softmax', lambda r: F.log_softmax(r,-1)), ('softmin', lambda r: F.softmin(r,-1))]:
    print('    {"%s", {%s}},' % (name, ", ".join("%.17g"%v for v in f(r)[0].tolist())))
print("};")
