/// # NN — parameters, layers, language models, optimizers, tokenizers, checkpoints
///
/// Part 2 of taalm (DESIGN.md). Depends only on TensorCore (and the Interrupts flag).
///
/// ## The shape of the API
/// - `ParameterSet`: an ordered path → tensor map (`blocks.0.attn.wq.weight`); models are
///   applied functionally (`model.logits(params:tokens:)`, `model.apply(θ, tokens)`), so an
///   updated θ' = θ − αg (`sgdStep`, `adamwStep`, or `map`/`zip`) is just another set.
/// - Layers (`Linear`, `Norm`, `Embedding`, `MLP`, `SelfAttention`, `TransformerBlock`,
///   `TransformerBody`) are descriptions holding a path and sizes; they read their tensors
///   from whatever set they are given.
/// - `LanguageModel` (a class: bindings mutate it in place) = body + head + optional LoRA
///   and adapters + tokenizer, with `trainStep`, `fit`, `generate`, `score`, `nll`,
///   `perplexity`, `spanAccuracy`, `save`/`load`.
/// - `Optimizer` (SGD/Adam/AdamW, clipping, schedules; state inspectable by path).
/// - `WordTokenizer`, `BPETokenizer`, wrapped as `TextTokenizer` for storage.
/// - `Safetensors`/`Checkpoint` for files.
///
/// ## Decisions
/// - Weights are stored [in, out] so `x W` on a [B, T, in] input is one GEMM with no
///   transpose (PyTorch stores [out, in]; a converter must transpose).
/// - Linear layers are named `<path>.weight`/`<path>.bias`; LoRA adds `<path>.lora_a`
///   [in, r] and `<path>.lora_b` [r, out] next to them, and `Linear` applies them whenever
///   they are present, so LoRA needs no second code path.
/// - Pre-norm GPT-2 blocks; GELU is the tanh approximation; RoPE uses the half-split
///   layout with rotate_half as a fixed matrix (one GEMM instead of slices and a concat).
/// - Attention masks are additive (−1e9, finite); right padding needs no key mask under
///   the causal mask; with a key mask a query always sees itself, so no row is empty.
/// - Losses are per token and masked; `weightedLoss` is Train-Attention's
///   Σ w·m·ℓ / (Σ w·m + ε) per sequence, averaged over the batch.
/// - Texts are scored and trained as `<bos>` text `<eos>`; special tokens are ids 0–3 in
///   both tokenizers.
/// - `fit` returns `interrupted: true` on Ctrl-C (after a completed step) and throws
///   `NNError.nonFiniteLoss`/`.nonFiniteGradient` naming the step, leaving the model at the
///   previous step.
/// - Checkpoints are safetensors with config/tokenizer JSON in `__metadata__` and a
///   `taalm.checksum` (FNV-1a of the data) so bit flips in tensor data are detected.
public enum NNModule {
    /// Version of the NN API (bumped on breaking changes).
    public static let version = "0.1"
}
