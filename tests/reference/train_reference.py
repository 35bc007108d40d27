#!/usr/bin/env python3
"""PyTorch reference for `gapkit train` (tests/test_train_reference.c).

Trains the same heads as gk_train() -- same initial weights, inputs and
batches, no dropout or mixup (their random draws differ between the two) --
with torch autograd and torch.optim.AdamW, and writes the mean loss of every
epoch and every final parameter to tests/train_reference_data.h.

Run (Debian's python3-torch; used by this script only, never at run time):
    /usr/bin/python3 tests/reference/train_reference.py > tests/train_reference_data.h

Everything is deterministic: the inputs and initial parameters are closed-form
formulas that the C test evaluates too (see inputs() and init_params()).
"""
import math
import sys

import torch

torch.set_num_threads(1)
torch.set_default_dtype(torch.float32)

N, B, EPOCHS, D = 16, 8, 4, 8
LR, WARMUP, WD, TEMP = 5e-3, 0.25, 0.1, 0.1
DINS = [12, 10, 9]
STEPS = EPOCHS * (N // B)

# (name, loss, head, views, learn_temperature)
CASES = [
    ("infonce_linear", "infonce", "linear", 2, 1),
    ("infonce_mlp", "infonce", "mlp", 2, 1),
    ("softclap_linear", "softclap", "linear", 2, 1),
    ("softclap_mlp", "softclap", "mlp", 2, 0),
    ("modgap_linear", "modgap", "linear", 2, 0),
    ("modgap_mlp", "modgap", "mlp", 2, 0),
    ("modgap3_linear", "modgap", "linear", 3, 0),
    ("infonce3_mlp", "infonce", "mlp", 3, 1),
]


def inputs(v):
    """x_v[i][k] = sin(0.37(i+1) + 0.91(k+1)(v+1) + 0.5v), float32."""
    x = [[math.sin(0.37 * (i + 1) + 0.91 * (k + 1) * (v + 1) + 0.5 * v)
          for k in range(DINS[v])] for i in range(N)]
    return torch.tensor(x, dtype=torch.float32)


def view_shapes(head, din):
    """gapkit's parameter layout of one view: (name, shape), W stored (Din, D)."""
    s = [("w1", (din, D)), ("b1", (D,))]
    if head == "mlp":
        s += [("w2", (D, D)), ("b2", (D,)), ("g", (D,)), ("be", (D,))]
    return s


def init_params(head, M):
    """p[j] = 0.3 sin(0.77 j + 0.1) over the flat vector; t = log(1/TEMP)."""
    views, j = [], 0
    for v in range(M):
        tens = {}
        for name, shape in view_shapes(head, DINS[v]):
            n = math.prod(shape)
            vals = [0.3 * math.sin(0.77 * (j + q) + 0.1) for q in range(n)]
            tens[name] = torch.tensor(vals, dtype=torch.float32).reshape(shape).requires_grad_()
            j += n
        views.append(tens)
    t = torch.tensor(math.log(1.0 / TEMP), dtype=torch.float32)
    return views, t


def head_forward(p, head, x):
    if head == "linear":
        y = x @ p["w1"] + p["b1"]
    else:
        e1 = x @ p["w1"] + p["b1"]
        e2 = torch.nn.functional.gelu(e1) @ p["w2"] + p["b2"]
        y = torch.nn.functional.layer_norm(e1 + e2, (D,), p["g"], p["be"], eps=1e-5)
    return torch.nn.functional.normalize(y, dim=1)


def contrastive(a, b, s, qa=None, qb=None):
    logits = s * a @ b.T
    lr = torch.log_softmax(logits, dim=1)
    lc = torch.log_softmax(logits.T, dim=1)
    if qa is None:
        idx = torch.arange(a.shape[0])
        return 0.5 * (torch.nn.functional.nll_loss(lr, idx) + torch.nn.functional.nll_loss(lc, idx))
    kl = torch.nn.functional.kl_div
    return 0.5 * (kl(lr, qa, reduction="batchmean") + kl(lc, qb, reduction="batchmean"))


def soft_targets(x, beta=0.3):
    """rownormalise((1-beta) I + beta max(x^ x^T, 0)): gapkit's decision."""
    xn = torch.nn.functional.normalize(x, dim=1)
    q = (1 - beta) * torch.eye(x.shape[0]) + beta * torch.clamp(xn @ xn.T, min=0)
    return q / q.sum(dim=1, keepdim=True)


def centroid_uniformity(zs):
    c = torch.nn.functional.normalize(sum(zs) / len(zs), dim=1)
    return torch.pdist(c, p=2).pow(2).mul(-2).exp().mean().log()


def modgap_weights(e):
    p = e / (EPOCHS - 1)
    alpha = 1.0 if p <= 0.5 else 1.0 + (p - 0.5) / 0.5
    beta = 1.0 if p <= 0.2 else 0.0 if p >= 0.7 else 1.0 - (p - 0.2) / 0.5
    return alpha, beta


def lr_at(step):
    w = round(WARMUP * STEPS)
    if step < w:
        return LR * (step + 1) / w
    return LR * 0.5 * (1 + math.cos(math.pi * (step - w) / (STEPS - w)))


def batch_loss(loss, head, views, t, xs, alpha, beta):
    s = torch.clamp(t.exp(), max=100.0)
    zs = [head_forward(views[v], head, xs[v]) for v in range(len(xs))]
    pairs = [(u, v) for u in range(len(zs)) for v in range(u + 1, len(zs))]
    if loss == "softclap":
        return contrastive(zs[0], zs[1], s, soft_targets(xs[0]), soft_targets(xs[1]))
    total = sum(contrastive(zs[u], zs[v], s) for u, v in pairs) / len(pairs)
    if loss == "modgap":
        atp = sum(((zs[u] - zs[v]) ** 2).sum(dim=1).mean() for u, v in pairs) / len(pairs)
        total = total + alpha * atp + beta * centroid_uniformity(zs)
    return total


def train(loss, head, M, learn_t):
    views, t = init_params(head, M)
    t.requires_grad_(bool(learn_t))
    decay = [views[v][n] for v in range(M) for n in ("w1", "w2") if n in views[v]]
    rest = [views[v][n] for v in range(M) for n in views[v] if n not in ("w1", "w2")]
    groups = [{"params": decay, "weight_decay": WD}, {"params": rest + [t], "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=LR, betas=(0.9, 0.999), eps=1e-8)
    xs_all = [inputs(v) for v in range(M)]
    curve, step = [], 0
    for e in range(EPOCHS):
        alpha, beta = modgap_weights(e) if loss == "modgap" else (1.0, 1.0)
        total = 0.0
        for k in range(N // B):
            xs = [x[k * B:(k + 1) * B] for x in xs_all]
            for g in opt.param_groups:
                g["lr"] = lr_at(step)
            opt.zero_grad()
            L = batch_loss(loss, head, views, t, xs, alpha, beta)
            L.backward()
            opt.step()
            with torch.no_grad():
                t.clamp_(max=math.log(100.0))
            total += L.item() / (N // B)
            step += 1
        curve.append(total)
    flat = [views[v][n].detach().reshape(-1) for v in range(M)
            for n, _ in view_shapes(head, DINS[v])]
    return curve, torch.cat(flat + [t.detach().reshape(1)]).tolist()


def main():
    out = sys.stdout
    out.write("/* Generated by tests/reference/train_reference.py (torch %s); do not edit. */\n"
              % torch.__version__)
    out.write("#define TR_N %d\n#define TR_B %d\n#define TR_EPOCHS %d\n#define TR_D %d\n"
              % (N, B, EPOCHS, D))
    out.write("#define TR_LR %r\n#define TR_WARMUP %r\n#define TR_WD %r\n#define TR_TEMP %r\n"
              % (LR, WARMUP, WD, TEMP))
    out.write("static const int64_t tr_dins[3] = {%s};\n" % ", ".join(map(str, DINS)))
    out.write("typedef struct tr_case {\n    const char *name, *loss, *head;\n"
              "    int views, learn_t;\n    double curve[%d];\n    int n_params;\n"
              "    const float *params;\n} tr_case;\n" % EPOCHS)
    results = []
    for name, loss, head, M, learn_t in CASES:
        curve, params = train(loss, head, M, learn_t)
        results.append((name, loss, head, M, learn_t, curve, params))
        out.write("static const float tr_%s[%d] = {\n" % (name, len(params)))
        for i in range(0, len(params), 6):
            out.write("    " + ", ".join("%.9gf" % p for p in params[i:i + 6]) + ",\n")
        out.write("};\n")
    out.write("static const tr_case tr_cases[] = {\n")
    for name, loss, head, M, learn_t, curve, params in results:
        out.write('    {"%s", "%s", "%s", %d, %d, {%s}, %d, tr_%s},\n'
                  % (name, loss, head, M, learn_t, ", ".join("%.12g" % c for c in curve),
                     len(params), name))
    out.write("};\n")


if __name__ == "__main__":
    main()
