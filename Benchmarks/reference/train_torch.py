# PyTorch reference for `taalm-bench train`. For comparison only: taalm itself does not
# need Python or PyTorch; this script just makes the README's reference figures reproducible.
#
# One AdamW step (forward, mean next-token loss, backward, update; lr 1e-4, weight decay 0.01)
# of the same decoder-only LMs as Sources/taalm-bench/TrainBench.swift:
#   small: vocab 512, d_model 128, 4 layers, 4 heads, MLP 4x GELU (tanh), pre-LayerNorm,
#          learned positions, untied head, biases, context 64, batch 16
#   tiny:  the same with d_model 64, 2 layers, 2 heads, context 32, batch 8
# Batches are full windows of random tokens. Prints the median ms per step over 60 steps
# (after 3 warm-up steps) and the working-set growth: peak RSS minus RSS before the first step.
#
# Usage: python3 train_torch.py [small|tiny] [THREADS] [manual|sdpa]
#   manual (default): attention written as masked_fill + softmax, the same ops as taalm's;
#   sdpa: torch's fused F.scaled_dot_product_attention(is_causal=True).
import resource, statistics, sys, time
import torch, torch.nn.functional as F

case = sys.argv[1] if len(sys.argv) > 1 else "small"
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
attention = sys.argv[3] if len(sys.argv) > 3 else "manual"
torch.set_num_threads(threads)
torch.manual_seed(0)
V, d, L, H, T, B = {"small": (512, 128, 4, 4, 64, 16), "tiny": (512, 64, 2, 2, 32, 8)}[case]

def init():
    p = {"e": torch.randn(V, d) * .02, "p": torch.randn(T, d) * .02}
    out_std = .02 / (2 * L) ** .5
    for l in range(L):
        for n in ["q", "k", "v", "o"]:
            p[f"{l}{n}w"] = torch.randn(d, d) * (out_std if n == "o" else .02); p[f"{l}{n}b"] = torch.zeros(d)
        p[f"{l}f1w"] = torch.randn(d, 4 * d) * .02; p[f"{l}f1b"] = torch.zeros(4 * d)
        p[f"{l}f2w"] = torch.randn(4 * d, d) * out_std; p[f"{l}f2b"] = torch.zeros(d)
        for n in ["n1", "n2"]:
            p[f"{l}{n}g"] = torch.ones(d); p[f"{l}{n}b"] = torch.zeros(d)
    p["ng"] = torch.ones(d); p["nb"] = torch.zeros(d)
    p["head"] = torch.randn(d, V) * .02
    return {k: v.requires_grad_() for k, v in p.items()}

mask = torch.triu(torch.ones(T, T, dtype=torch.bool), 1)

def logits(p, x):
    b, t = x.shape
    z = p["e"][x] + p["p"][:t]
    for l in range(L):
        y = F.layer_norm(z, (d,), p[f"{l}n1g"], p[f"{l}n1b"])
        q = (y @ p[f"{l}qw"] + p[f"{l}qb"]).view(b, t, H, -1).transpose(1, 2)
        k = (y @ p[f"{l}kw"] + p[f"{l}kb"]).view(b, t, H, -1).transpose(1, 2)
        v = (y @ p[f"{l}vw"] + p[f"{l}vb"]).view(b, t, H, -1).transpose(1, 2)
        if attention == "sdpa":
            o = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            a = (q @ k.transpose(-1, -2)) / (q.shape[-1] ** .5)
            o = a.masked_fill(mask[:t, :t], float("-inf")).softmax(-1) @ v
        z = z + o.transpose(1, 2).reshape(b, t, d) @ p[f"{l}ow"] + p[f"{l}ob"]
        y = F.layer_norm(z, (d,), p[f"{l}n2g"], p[f"{l}n2b"])
        z = z + F.gelu(y @ p[f"{l}f1w"] + p[f"{l}f1b"], approximate="tanh") @ p[f"{l}f2w"] + p[f"{l}f2b"]
    return F.layer_norm(z, (d,), p["ng"], p["nb"]) @ p["head"]

params = init()
opt = torch.optim.AdamW(params.values(), lr=1e-4, weight_decay=0.01)
seq = torch.randint(4, V, (B, T + 1))
inp, tgt = seq[:, :-1], seq[:, 1:]

def step():
    loss = F.cross_entropy(logits(params, inp).reshape(-1, V), tgt.reshape(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss.item()

def rss_mb(): return int(open("/proc/self/statm").read().split()[1]) * 4096 / 1048576
base = rss_mb()
for _ in range(3): step()
ts, cpu = [], []
for _ in range(60):
    t0, c0 = time.perf_counter(), time.thread_time(); step()
    ts.append((time.perf_counter() - t0) * 1000); cpu.append((time.thread_time() - c0) * 1000)
growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - base
# The calling thread's CPU time is the steadier figure on a shared machine with 1 thread
# (compare taalm-bench with TAALM_BENCH_THREADS=1 TAALM_BENCH_CPU=1).
print(f"torch train {case} {attention} threads {threads}: median ms {statistics.median(ts):.2f} "
      f"(min {min(ts):.2f}), calling-thread cpu ms {statistics.median(cpu):.2f} (min {min(cpu):.2f}), "
      f"working-set growth (peak RSS - RSS before the first step) {growth:.1f} MB, torch {torch.__version__}")
