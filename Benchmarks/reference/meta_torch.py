# PyTorch reference for `taalm-bench meta`. For comparison only: taalm itself does not
# need Python or PyTorch; this script just makes the README's reference figures reproducible.
#
# One Train-Attention meta-step as in Sources/taalm-bench/MetaBench.swift: theta = small LM
# (vocab 512, d128, 4 layers, 4 heads, ctx 64, untied head), phi = 2 layers d128 ctx 65 + d->1 head
# (bias 4, sigmoid), docs 8x64 sharing one SGD inner step (lr 1e-2), tasks 8x16 (objects = targets 14,15).
# Second-order: grad of the meta-loss wrt phi through theta' = theta - lr * grad(create_graph=True).
# Prints the median ms per meta-step over 30 steps (after 3 warm-up steps) and the
# working-set growth: peak RSS minus RSS before the first step.
# Usage: python3 meta_torch.py [THREADS] [create_graph|jvp]
import time, resource, statistics, sys, torch, torch.nn.functional as F
sys_threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
mode = sys.argv[2] if len(sys.argv) > 2 else "create_graph"
torch.set_num_threads(sys_threads)
torch.manual_seed(0)
def init_lm(V, d, L, C, head_out):
    p = {"e": torch.randn(V, d) * .02, "p": torch.randn(C, d) * .02}
    for l in range(L):
        for n in ["q", "k", "v", "o"]:
            p[f"{l}{n}w"] = torch.randn(d, d) * .02; p[f"{l}{n}b"] = torch.zeros(d)
        p[f"{l}f1w"] = torch.randn(d, 4 * d) * .02; p[f"{l}f1b"] = torch.zeros(4 * d)
        p[f"{l}f2w"] = torch.randn(4 * d, d) * .02; p[f"{l}f2b"] = torch.zeros(d)
        for n in ["n1", "n2"]:
            p[f"{l}{n}g"] = torch.ones(d); p[f"{l}{n}b"] = torch.zeros(d)
    p["ng"] = torch.ones(d); p["nb"] = torch.zeros(d)
    p["head"] = torch.randn(d, head_out) * .02
    if head_out == 1: p["hb"] = torch.full((1,), 4.0)
    return p
def body(p, x, L, h):
    B, T = x.shape; d = p["e"].shape[1]
    z = p["e"][x] + p["p"][:T]
    mask = torch.triu(torch.ones(T, T, dtype=torch.bool), 1)
    for l in range(L):
        y = F.layer_norm(z, (d,), p[f"{l}n1g"], p[f"{l}n1b"])
        q = (y @ p[f"{l}qw"] + p[f"{l}qb"]).view(B, T, h, -1).transpose(1, 2)
        k = (y @ p[f"{l}kw"] + p[f"{l}kb"]).view(B, T, h, -1).transpose(1, 2)
        v = (y @ p[f"{l}vw"] + p[f"{l}vb"]).view(B, T, h, -1).transpose(1, 2)
        a = (q @ k.transpose(-1, -2)) / (q.shape[-1] ** .5)
        a = a.masked_fill(mask, float("-inf")).softmax(-1)
        z = z + (a @ v).transpose(1, 2).reshape(B, T, d) @ p[f"{l}ow"] + p[f"{l}ob"]
        y = F.layer_norm(z, (d,), p[f"{l}n2g"], p[f"{l}n2b"])
        z = z + F.gelu(y @ p[f"{l}f1w"] + p[f"{l}f1b"], approximate="tanh") @ p[f"{l}f2w"] + p[f"{l}f2b"]
    return F.layer_norm(z, (d,), p["ng"], p["nb"])
def token_losses(th, seq):
    inp, tgt = seq[:, :-1], seq[:, 1:]
    lg = body(th, inp, 4, 4) @ th["head"]
    return F.cross_entropy(lg.reshape(-1, 512), tgt.reshape(-1), reduction="none").view(tgt.shape)
theta = {k: v.requires_grad_() for k, v in init_lm(512, 128, 4, 64, 512).items()}
phi = {k: v.requires_grad_() for k, v in init_lm(512, 128, 2, 65, 1).items()}
docs = torch.randint(4, 512, (8, 65)); tasks = torch.randint(4, 512, (8, 17))
obj = torch.zeros(8, 16); obj[:, 14:16] = 1
names = list(theta)
def meta_step():
    w = torch.sigmoid((body(phi, docs, 2, 4) @ phi["head"]).squeeze(-1) + phi["hb"])[:, 1:]
    if mode == "create_graph":
        lw = ((w * token_losses(theta, docs)).sum(1) / (w.sum(1) + 1e-8)).mean()
        G = torch.autograd.grad(lw, [theta[n] for n in names], create_graph=True)
        th2 = {n: theta[n] - 1e-2 * g for n, g in zip(names, G)}
        meta = ((token_losses(th2, tasks) * obj).sum(1) / obj.sum(1)).mean()
        gphi = torch.autograd.grad(meta, list(phi.values()))
    else:  # forward-mode form (engine b) with torch.func.jvp
        wd = w.detach()
        lw = ((wd * token_losses(theta, docs)).sum(1) / (wd.sum(1) + 1e-8)).mean()
        G = torch.autograd.grad(lw, [theta[n] for n in names])
        th2 = {n: (theta[n] - 1e-2 * g).detach().requires_grad_() for n, g in zip(names, G)}
        meta = ((token_losses(th2, tasks) * obj).sum(1) / obj.sum(1)).mean()
        g = torch.autograd.grad(meta, [th2[n] for n in names])
        prim = tuple(theta[n].detach() for n in names); tang = tuple(-1e-2 * gi for gi in g)
        _, s = torch.func.jvp(lambda *t: token_losses(dict(zip(names, t)), docs), prim, tang)
        S = wd.sum(1, keepdim=True) + 1e-8
        dw = (s - (wd * s).sum(1, keepdim=True) / S) / (S * 8)
        gphi = torch.autograd.grad(w, list(phi.values()), dw)
    return meta.item()
def rss_mb(): return int(open('/proc/self/statm').read().split()[1]) * 4096 / 1048576
base = rss_mb()
for _ in range(3): meta_step()
ts, cpu = [], []
for _ in range(30):
    t = time.perf_counter(); c = time.thread_time(); meta_step()
    ts.append((time.perf_counter() - t) * 1000); cpu.append((time.thread_time() - c) * 1000)
growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - base
print(f"torch meta {mode} threads {sys_threads}: median ms {statistics.median(ts):.1f} (min {min(ts):.1f}), "
      f"calling-thread cpu ms {statistics.median(cpu):.1f} (min {min(cpu):.1f}), working-set growth (peak RSS - RSS before the first step) {growth:.1f} MB, torch {torch.__version__}")
