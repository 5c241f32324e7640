#!/usr/bin/python3
"""Standalone PyTorch S4D for side-by-side timings (CPU), written for this benchmark.

Implements the minimal diagonal SSM layer described in state-spaces/s4 `models/s4/s4d.py`
(log-uniform dt, N/2 complex modes, B absorbed in C, ZOH, naive Vandermonde kernel,
FFT convolution with n = 2L, D skip, GELU, 1x1 conv to 2H + GLU) so the same operations
can be timed on Debian's python3-torch.

usage: torch_s4d.py CASES_JSON   (a JSON list of {op, shape} objects; prints a JSON list of
{op, shape, ms} with ms the median over repeats, after warm-up.)
"""
import json, math, sys, time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(int(__import__("os").environ.get("TORCH_THREADS", "2")))
torch.manual_seed(0)


class S4DKernel(nn.Module):
    def __init__(self, H, N=64, dt_min=1e-3, dt_max=1e-1):
        super().__init__()
        log_dt = torch.rand(H) * (math.log(dt_max) - math.log(dt_min)) + math.log(dt_min)
        self.log_dt = nn.Parameter(log_dt)
        self.C = nn.Parameter(torch.view_as_real(torch.randn(H, N // 2, dtype=torch.cfloat)))
        self.log_A_real = nn.Parameter(torch.log(0.5 * torch.ones(H, N // 2)))
        self.A_imag = nn.Parameter(math.pi * torch.arange(N // 2).float().repeat(H, 1))

    def forward(self, L):
        dt = torch.exp(self.log_dt)
        C = torch.view_as_complex(self.C)
        A = -torch.exp(self.log_A_real) + 1j * self.A_imag
        dtA = A * dt.unsqueeze(-1)
        K = dtA.unsqueeze(-1) * torch.arange(L, device=A.device)
        C = C * (torch.exp(dtA) - 1.0) / A
        return 2 * torch.einsum("hn,hnl->hl", C, torch.exp(K)).real


def fft_conv(u, k):
    L = u.shape[-1]
    k_f = torch.fft.rfft(k, n=2 * L)
    u_f = torch.fft.rfft(u, n=2 * L)
    return torch.fft.irfft(u_f * k_f, n=2 * L)[..., :L]


class S4D(nn.Module):
    def __init__(self, H, N=64):
        super().__init__()
        self.D = nn.Parameter(torch.randn(H))
        self.kernel = S4DKernel(H, N)
        self.activation = nn.GELU()
        self.output_linear = nn.Sequential(nn.Conv1d(H, 2 * H, kernel_size=1), nn.GLU(dim=-2))

    def forward(self, u):  # (B, H, L)
        L = u.size(-1)
        k = self.kernel(L)
        y = fft_conv(u, k) + u * self.D.unsqueeze(-1)
        return self.output_linear(self.activation(y))


def median_ms(fn, repeats, warmup=2):
    for _ in range(warmup):
        fn()
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t0) * 1e3)
    ts.sort()
    return ts[len(ts) // 2]


def run_case(case):
    op, s = case["op"], case["shape"]
    rep = case.get("repeats", 5)
    if op == "matmul":
        n = s["n"]
        a, b = torch.randn(n, n), torch.randn(n, n)
        return median_ms(lambda: a @ b, rep)
    if op == "kernel":
        kern = S4DKernel(s["H"], s["N"])
        with torch.no_grad():
            return median_ms(lambda: kern(s["L"]), rep)
    if op == "kernel_fwd_bwd":
        kern = S4DKernel(s["H"], s["N"])
        return median_ms(lambda: kern(s["L"]).square().sum().backward(), rep)
    if op in ("conv", "conv_fwd_bwd"):
        u = torch.randn(s["B"], s["H"], s["L"], requires_grad=(op == "conv_fwd_bwd"))
        k = torch.randn(s["H"], s["L"], requires_grad=(op == "conv_fwd_bwd"))
        if op == "conv":
            with torch.no_grad():
                return median_ms(lambda: fft_conv(u, k), rep)
        return median_ms(lambda: fft_conv(u, k).square().sum().backward(), rep)
    if op == "layer_fwd_bwd":
        layer = S4D(s["H"], s["N"])
        u = torch.randn(s["B"], s["H"], s["L"], requires_grad=True)
        return median_ms(lambda: layer(u).square().sum().backward(), rep)
    raise ValueError(f"unknown op {op}")


def main():
    cases = json.loads(open(sys.argv[1]).read() if len(sys.argv) > 1 else sys.stdin.read())
    out = []
    for c in cases:
        out.append({"op": c["op"], "shape": c["shape"], "ms": run_case(c)})
        print(f"  torch {c['op']} {c['shape']}: {out[-1]['ms']:.1f} ms", file=sys.stderr, flush=True)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "results": out}))


if __name__ == "__main__":
    main()
