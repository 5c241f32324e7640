"""PyTorch reference trainer for `npm run parity` (scripts/parity.ts).

Our own minimal S4D classifier in the shape of state-spaces/s4 example.py (linear encoder, residual
S4D blocks with LayerNorm, mean pooling, linear decoder; AdamW with the SSM parameter group and a
per-step cosine schedule with warm-up), written to the same parameterization as src/nn/ so that it
can start from OUR initial weights and see OUR batches:

  recipe.json         model and training config, the parameter list (name, shape, group, trainable),
                      each layer's constant mode weights, steps per epoch
  params/NNN.npy      initial value of parameter NNN (float64 of the float32 values)
  {train,val,test}_{x,y}.npy, perm.npy [epochs, n_train]   the data and each epoch's batch order

Kernel (ZOH, as src/kernels/ssmKernel.ts): Δ = exp(log_dt), λ = −exp(A_log_neg_re) + i·A_im,
c = w·C·(exp(Δλ) − 1)/λ, K[h, l] = Σ_m Re(c·exp(l·Δλ)); bilinear: c = w·C·Δ/(1 − Δλ/2), z = (1 + Δλ/2)/(1 − Δλ/2).
Layer: y = GELU(K * u + D·u), then [a; g] = W·y + b and a·σ(g). Dropout is tied over the sequence
(its masks come from torch's RNG, so they differ from ours: parity presets use dropout 0 or say so).

Usage: python3 bench/torch_train.py DIR   → prints one JSON line (history, best, test, step losses).
Device: $TORCH_DEVICE (default cpu). Threads: $TORCH_THREADS (default 2).
Precision: $TORCH_DTYPE, float64 on CPU by default and float32 on CUDA. The reference runs in float64
on CPU because Debian's python3-torch 1.13.0a0 computes wrong float32 gradients for this model
(measured: dL/dD 7.90e-3 against 9.99e-3 from float64 torch, our tfjs and finite differences, and
thread-count dependent); float64 makes the reference exact to rounding, so the parity gap is ours.
"""
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(int(os.environ.get("TORCH_THREADS", "2")))
DEVICE = torch.device(os.environ.get("TORCH_DEVICE", "cpu"))
DTYPES = {"float32": torch.float32, "float64": torch.float64}
_dtype = os.environ.get("TORCH_DTYPE", "float32" if DEVICE.type == "cuda" else "float64")
if _dtype not in DTYPES:
    raise SystemExit(f"torch_train.py: TORCH_DTYPE must be one of {', '.join(DTYPES)}, got {_dtype!r}")
DTYPE = DTYPES[_dtype]


def load(d, name):
    return np.load(os.path.join(d, name))


class Model:
    def __init__(self, recipe, d):
        self.r = recipe
        m = recipe["model"]
        if m["norm"] != "layer":
            raise SystemExit(f"torch_train.py: norm {m['norm']!r} is not implemented (layer only)")
        if m["bidirectional"]:
            raise SystemExit("torch_train.py: bidirectional layers are not implemented")
        self.p = {}
        for i, spec in enumerate(recipe["params"]):
            t = torch.tensor(load(d, f"params/{i:03d}.npy"), dtype=DTYPE, device=DEVICE).reshape(spec["shape"])
            t.requires_grad_(spec["trainable"])
            self.p[spec["name"]] = t
        self.weights = [torch.tensor(w, dtype=DTYPE, device=DEVICE) for w in recipe["modeWeights"]]

    def kernel(self, i, L):
        p, pre = self.p, f"layers.{i}/kernel"
        dt = torch.exp(p[f"{pre}/log_dt"]).unsqueeze(1)  # [H, 1]
        lam = torch.complex(-torch.exp(p[f"{pre}/A_log_neg_re"]), p[f"{pre}/A_im"])
        c = torch.complex(p[f"{pre}/C_re"], p[f"{pre}/C_im"]) * self.weights[i]
        dtl = dt * lam
        if self.r["model"]["disc"] == "zoh":
            c = c * (torch.exp(dtl) - 1) / lam
            logz = dtl
        else:
            c = c * dt / (1 - dtl / 2)
            logz = torch.log((1 + dtl / 2) / (1 - dtl / 2))
        ar = torch.arange(L, device=DEVICE, dtype=DTYPE)
        return torch.einsum("hm,hml->hl", c, torch.exp(logz.unsqueeze(-1) * ar)).real

    def layer(self, i, u, training):
        p, pre = self.p, f"layers.{i}"
        B, H, L = u.shape
        k = self.kernel(i, L)
        n = 2 * L
        y = torch.fft.irfft(torch.fft.rfft(u, n=n) * torch.fft.rfft(k, n=n), n=n)[..., :L]
        y = F.gelu(y + u * p[f"{pre}/D"].unsqueeze(-1))
        y = self.dropout(y, training)
        z = torch.einsum("oh,bhl->bol", p[f"{pre}/output_linear/weight"], y) + p[f"{pre}/output_linear/bias"]
        return z[:, :H] * torch.sigmoid(z[:, H:])

    def dropout(self, x, training):
        rate = self.r["model"]["dropout"]
        if not training or rate == 0:
            return x
        mask = (torch.rand(x.shape[0], x.shape[1], 1, device=DEVICE) < 1 - rate).to(DTYPE) / (1 - rate)
        return x * mask

    def norm(self, i, h):
        p = self.p
        return F.layer_norm(h.transpose(1, 2), (h.shape[1],), p[f"norms.{i}/weight"], p[f"norms.{i}/bias"], 1e-5).transpose(1, 2)

    def __call__(self, x, training):
        m, p = self.r["model"], self.p
        if m["input"]["kind"] == "tokens":
            h = p["encoder/embedding"][x].transpose(1, 2)  # [B, H, L]
        else:
            h = torch.einsum("bld,hd->bhl", x, p["encoder/weight"]) + p["encoder/bias"].view(1, -1, 1)
        for i in range(m["nLayers"]):
            z = self.norm(i, h) if m["prenorm"] else h
            z = self.dropout(self.layer(i, z, training), training)
            h = z + h
            if not m["prenorm"]:
                h = self.norm(i, h)
        pooled = h.mean(2) if m["pooling"] == "mean" else h[:, :, -1]
        return pooled @ p["decoder/weight"] + p["decoder/bias"]


def schedule(total, warm, lo):
    """src/nn/schedule.ts cosineWithWarmup: linear warm-up, then cosine to `lo`; step counts from 0."""
    def f(step):
        if step < warm:
            return (step + 1) / (warm + 1)
        q = min(1.0, (step - warm) / max(1, total - warm))
        return lo + (1 - lo) * 0.5 * (1 + math.cos(math.pi * q))
    return f


def evaluate(model, x, y, bs):
    loss, correct = 0.0, 0
    with torch.no_grad():
        for s in range(0, len(y), bs):
            logits = model(x[s:s + bs], training=False)
            loss += F.cross_entropy(logits, y[s:s + bs], reduction="sum").item()
            correct += (logits.argmax(1) == y[s:s + bs]).sum().item()
    return loss / len(y), correct / len(y)


def main():
    d = sys.argv[1]
    r = json.load(open(os.path.join(d, "recipe.json")))
    t0 = time.perf_counter()
    torch.manual_seed(r["train"]["seed"])
    tokens = r["model"]["input"]["kind"] == "tokens"

    def split(name):
        x = torch.tensor(load(d, f"{name}_x.npy"), device=DEVICE)
        x = x.long() if tokens else x.to(DTYPE)
        return x, torch.tensor(load(d, f"{name}_y.npy"), device=DEVICE).long()

    (trx, try_), (vax, vay), (tex, tey) = split("train"), split("val"), split("test")
    perm = load(d, "perm.npy").astype(np.int64)
    model = Model(r, d)
    tc = r["train"]
    groups = {"default": (tc["lr"], tc["weightDecay"]), "no_decay": (tc["lr"], 0.0), "ssm": (tc["ssmLr"], 0.0)}
    params = [(spec, model.p[spec["name"]]) for spec in r["params"] if spec["trainable"]]
    opt_groups = [{"params": [t for s, t in params if s["group"] == g], "lr": lr, "weight_decay": wd, "base_lr": lr} for g, (lr, wd) in groups.items()]
    opt = torch.optim.AdamW([g for g in opt_groups if g["params"]], betas=(0.9, 0.999), eps=1e-8)
    spe, epochs, bs = r["stepsPerEpoch"], tc["epochs"], tc["batchSize"]
    sched = schedule(spe * epochs, min(tc["warmupSteps"], spe * epochs), tc["minLrScale"])
    history, steps, best, best_state, step = [], [], {"epoch": -1, "valAcc": -1.0}, None, 0
    # Validation points as src/nn/trainer.ts: after these step counts within each epoch.
    evals = min(tc.get("evalsPerEpoch", 1), spe)
    eval_after = {int(math.floor((j + 1) * spe / evals + 0.5)) for j in range(evals)}
    for ep in range(epochs):
        tl, tc_, cnt = 0.0, 0, 0
        for b in range(spe):
            idx = torch.tensor(perm[ep, b * bs:(b + 1) * bs], device=DEVICE)
            for g in opt.param_groups:
                g["lr"] = g["base_lr"] * sched(step)
            logits = model(trx[idx], training=True)
            loss = F.cross_entropy(logits, try_[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            if tc["gradClip"] > 0:
                torch.nn.utils.clip_grad_norm_([t for _, t in params], tc["gradClip"])
            opt.step()
            lv = loss.item()
            steps.append(lv)
            tl += lv * len(idx)
            tc_ += (logits.argmax(1) == try_[idx]).sum().item()
            cnt += len(idx)
            step += 1
            if b + 1 not in eval_after:
                continue
            vl, va = evaluate(model, vax, vay, tc["evalBatchSize"])
            at = ep + 1 if b + 1 == spe else round(ep + (b + 1) / spe, 4)
            history.append({"epoch": at, "trainLoss": tl / cnt, "trainAcc": tc_ / cnt, "valLoss": vl, "valAcc": va})
            if va > best["valAcc"]:
                best = {"epoch": at, "valLoss": vl, "valAcc": va}
                best_state = {k: v.detach().clone() for k, v in model.p.items()}
            tl, tc_, cnt = 0.0, 0, 0
    for k, v in best_state.items():
        model.p[k].data.copy_(v)
    te_loss, te_acc = evaluate(model, tex, tey, tc["evalBatchSize"])
    print(json.dumps({"torch": torch.__version__, "device": DEVICE.type, "dtype": _dtype, "history": history, "best": best,
                      "test": {"loss": te_loss, "acc": te_acc}, "stepLosses": steps, "seconds": time.perf_counter() - t0}))


if __name__ == "__main__":
    main()
