#!/usr/bin/python3
"""Standalone PyTorch S4D for side-by-side timings, written for this benchmark (npm run bench).

The minimal diagonal SSM layer described in state-spaces/s4 `models/s4/s4d.py` (log-uniform dt,
N/2 complex modes, B absorbed in C, ZOH, naive Vandermonde kernel, FFT convolution with n = 2L,
D skip, GELU, tied dropout, 1x1 conv to 2H + GLU), and the classifier of `example.py` around it
(linear encoder, residual blocks with post-LayerNorm, mean pooling, linear decoder; AdamW with the
SSM parameters in their own group: lr 1e-3, no weight decay).

It runs as a server so the benchmark can alternate ours and PyTorch call by call on an idle machine:
one JSON object per stdin line, one JSON answer per stdout line.
  {"cmd": "setup", "case": {"op": ..., "shape": {...}}}  -> {"ok": true}
  {"cmd": "run", "n": k}   -> {"ms": mean of k calls timed back to back, after one untimed call}
  {"cmd": "quit"}
On start it prints {"torch": version, "threads": n, "device": "cpu"|"cuda"}.
Threads: $TORCH_THREADS (default 2, the CI machine's cores). Device: $TORCH_DEVICE (default cpu).
"""
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(int(os.environ.get("TORCH_THREADS", "2")))
DEVICE = torch.device(os.environ.get("TORCH_DEVICE", "cpu"))
torch.manual_seed(0)


class S4DKernel(nn.Module):
    def __init__(self, H, N=64, dt_min=1e-3, dt_max=1e-1):
        super().__init__()
        log_dt = torch.rand(H) * (math.log(dt_max) - math.log(dt_min)) + math.log(dt_min)
        self.log_dt = nn.Parameter(log_dt)
        self.C = nn.Parameter(torch.view_as_real(torch.randn(H, N // 2, dtype=torch.cfloat)))
        self.log_A_real = nn.Parameter(torch.log(0.5 * torch.ones(H, N // 2)))
        self.A_imag = nn.Parameter(math.pi * torch.arange(N // 2).float().repeat(H, 1))
        for p in (self.log_dt, self.log_A_real, self.A_imag):
            p._ssm = True  # the example.py optimizer group

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
    def __init__(self, H, N=64, dropout=0.0):
        super().__init__()
        self.D = nn.Parameter(torch.randn(H))
        self.kernel = S4DKernel(H, N)
        self.activation = nn.GELU()
        self.dropout = nn.Dropout1d(dropout) if dropout > 0 else nn.Identity()  # mask tied over L
        self.output_linear = nn.Sequential(nn.Conv1d(H, 2 * H, kernel_size=1), nn.GLU(dim=-2))

    def forward(self, u):  # (B, H, L)
        L = u.size(-1)
        k = self.kernel(L)
        y = fft_conv(u, k) + u * self.D.unsqueeze(-1)
        return self.output_linear(self.dropout(self.activation(y)))


class Classifier(nn.Module):
    """example.py's S4Model: encoder, n residual S4D blocks (post-norm), mean pooling, decoder."""

    def __init__(self, d_input, d_output, H, n_layers, N, dropout):
        super().__init__()
        self.encoder = nn.Linear(d_input, H)
        self.layers = nn.ModuleList([S4D(H, N, dropout) for _ in range(n_layers)])
        self.norms = nn.ModuleList([nn.LayerNorm(H) for _ in range(n_layers)])
        self.dropouts = nn.ModuleList([nn.Dropout1d(dropout) if dropout > 0 else nn.Identity() for _ in range(n_layers)])
        self.decoder = nn.Linear(H, d_output)

    def forward(self, x):  # (B, L, d_input)
        x = self.encoder(x).transpose(-1, -2)
        for layer, norm, drop in zip(self.layers, self.norms, self.dropouts):
            z = drop(layer(x))
            x = norm((z + x).transpose(-1, -2)).transpose(-1, -2)
        return self.decoder(x.mean(dim=-1))


def optimizer_for(model, lr=0.01, weight_decay=0.01, ssm_lr=1e-3):
    ssm = [p for p in model.parameters() if getattr(p, "_ssm", False)]
    rest = [p for p in model.parameters() if not getattr(p, "_ssm", False)]
    return torch.optim.AdamW([{"params": rest}, {"params": ssm, "lr": ssm_lr, "weight_decay": 0.0}], lr=lr, weight_decay=weight_decay)


def sync():
    if DEVICE.type == "cuda":
        torch.cuda.synchronize()


def gelu_skip(y, u, D):
    return F.gelu(y + u * D.unsqueeze(-1))


def prepare(case):
    """A zero-argument function doing one call of the case (forward, or forward + backward, or a step)."""
    op, s = case["op"], case["shape"]
    dev = DEVICE
    rn = lambda *shape, grad=False: torch.randn(*shape, device=dev, requires_grad=grad)
    if op == "matmul":
        a, b = rn(s["n"], s["n"]), rn(s["n"], s["n"])
        return lambda: a @ b
    if op in ("kernel", "kernel_fwd_bwd"):
        kern = S4DKernel(s["H"], s["N"]).to(dev)
        if op == "kernel":
            return lambda: kern(s["L"]).detach()
        return lambda: kern(s["L"]).square().sum().backward()
    if op in ("conv", "conv_fwd_bwd"):
        u, k = rn(s["B"], s["H"], s["L"], grad=True), rn(s["H"], s["L"], grad=True)
        if op == "conv":
            return lambda: fft_conv(u.detach(), k.detach())
        return lambda: fft_conv(u, k).square().sum().backward()
    if op == "layer_fwd_bwd":
        layer = S4D(s["H"], s["N"]).to(dev)
        u = rn(s["B"], s["H"], s["L"], grad=True)
        return lambda: layer(u).square().sum().backward()
    if op.startswith("layer:"):  # the layer's components, fwd + bwd against a fixed cotangent
        B, H, N, L = s["B"], s["H"], s["N"], s["L"]
        layer = S4D(H, N).to(dev)
        u, g = rn(B, H, L, grad=True), rn(B, H, L)
        part = op.split(":", 1)[1]
        if part == "kernel":
            return lambda: (layer.kernel(L) * g[0]).sum().backward()
        if part == "conv":
            k = rn(H, L, grad=True)
            return lambda: (fft_conv(u, k) * g).sum().backward()
        if part == "skip_gelu":
            y = rn(B, H, L, grad=True)
            return lambda: (gelu_skip(y, u, layer.D) * g).sum().backward()
        if part == "proj_glu":
            return lambda: (layer.output_linear(u) * g).sum().backward()
    if op in ("train_step", "train_throughput"):
        model = Classifier(s["dIn"], s["C"], s["H"], s["layers"], s["N"], s.get("dropout", 0.0)).to(dev)
        model.train()
        opt = optimizer_for(model)
        x = rn(s["B"], s["L"], s["dIn"])
        y = torch.randint(0, s["C"], (s["B"],), device=dev)

        def step():
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(model(x), y).backward()
            opt.step()

        return step
    raise ValueError(f"unknown op {op}")


def main():
    out = sys.stdout
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "device": DEVICE.type}), file=out, flush=True)
    fn = None
    for line in sys.stdin:
        msg = json.loads(line)
        if msg["cmd"] == "setup":
            fn = None
            fn = prepare(msg["case"])
            print(json.dumps({"ok": True}), file=out, flush=True)
        elif msg["cmd"] == "run":  # one untimed call, then n timed back to back: their mean
            n = int(msg.get("n", 1))
            fn()
            sync()
            t0 = time.perf_counter()
            for _ in range(n):  # each call waits for the device, as ours does (an awaited read)
                fn()
                sync()
            print(json.dumps({"ms": (time.perf_counter() - t0) * 1e3 / n}), file=out, flush=True)
        elif msg["cmd"] == "quit":
            break


if __name__ == "__main__":
    main()
