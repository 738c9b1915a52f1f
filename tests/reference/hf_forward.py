#!/usr/bin/python3
"""Independent reference forward pass for the lab's pretrained students, in plain PyTorch.

Usage: hf_forward.py < JOBS_JSON, JOBS_JSON = [{"dir": MODEL_DIR, "ids": [B][T]}, ...]
       -> prints [{"logits": [B][T][V], "hidden": [B][T][d]}, ...] (one torch start for many models);
       BertModel jobs also give "mask": [B][T] and get {"hidden", "pooled": [B][d]} instead.

Reads a Hugging Face folder (config.json, model.safetensors or shards + index) with its own
small safetensors reader and computes, in float64, what transformers' GPT2LMHeadModel,
LlamaForCausalLM, Qwen2ForCausalLM and BertModel (+ sentence-transformers pooling) compute (written from their definitions, not from the lab's
code). Needs only Debian's python3-torch (no transformers, no safetensors package).
"""
import json
import math
import os
import struct
import sys

import torch
import torch.nn.functional as F

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I32": torch.int32, "I64": torch.int64}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        t = torch.frombuffer(bytearray(data[base + start : base + end]), dtype=DTYPES[info["dtype"]])
        out[name] = t.reshape(info["shape"]).to(torch.float64)
    return out


def read_weights(folder):
    index = os.path.join(folder, "model.safetensors.index.json")
    if os.path.exists(index):
        with open(index) as f:
            shards = sorted(set(json.load(f)["weight_map"].values()))
    else:
        shards = ["model.safetensors"]
    w = {}
    for s in shards:
        w.update(read_safetensors(os.path.join(folder, s)))
    return w


def causal_attention(q, k, v):
    """q, k, v: [B, H, T, hd] -> [B, T, H*hd]."""
    b, h, t, hd = q.shape
    scores = q @ k.transpose(-1, -2) / math.sqrt(hd)
    mask = torch.triu(torch.ones(t, t, dtype=torch.bool), 1)
    p = torch.softmax(scores.masked_fill(mask, float("-inf")), -1)
    return (p @ v).transpose(1, 2).reshape(b, t, h * hd)


def gpt2(cfg, w, ids):
    pre = "transformer." if "transformer.wte.weight" in w else ""
    g = lambda n: w[pre + n]
    d, nh, eps = cfg["n_embd"], cfg["n_head"], cfg.get("layer_norm_epsilon", 1e-5)
    b, t = ids.shape
    x = g("wte.weight")[ids] + g("wpe.weight")[:t]
    gelu_new = lambda z: 0.5 * z * (1 + torch.tanh(math.sqrt(2 / math.pi) * (z + 0.044715 * z**3)))
    for i in range(cfg["n_layer"]):
        h = F.layer_norm(x, (d,), g(f"h.{i}.ln_1.weight"), g(f"h.{i}.ln_1.bias"), eps)
        # Conv1D: y = x @ W + b with W [in, out].
        q, k, v = (h @ g(f"h.{i}.attn.c_attn.weight") + g(f"h.{i}.attn.c_attn.bias")).split(d, -1)
        heads = lambda z: z.reshape(b, t, nh, d // nh).transpose(1, 2)
        y = causal_attention(heads(q), heads(k), heads(v))
        x = x + y @ g(f"h.{i}.attn.c_proj.weight") + g(f"h.{i}.attn.c_proj.bias")
        h = F.layer_norm(x, (d,), g(f"h.{i}.ln_2.weight"), g(f"h.{i}.ln_2.bias"), eps)
        m = gelu_new(h @ g(f"h.{i}.mlp.c_fc.weight") + g(f"h.{i}.mlp.c_fc.bias"))
        x = x + m @ g(f"h.{i}.mlp.c_proj.weight") + g(f"h.{i}.mlp.c_proj.bias")
    hidden = F.layer_norm(x, (d,), g("ln_f.weight"), g("ln_f.bias"), eps)
    tied = cfg.get("tie_word_embeddings", True)
    head = g("wte.weight") if tied else w["lm_head.weight"]
    return hidden, hidden @ head.T


def rope_inv_freq(cfg, hd):
    base = cfg.get("rope_theta", 10000.0)
    inv = 1.0 / (base ** (torch.arange(0, hd, 2, dtype=torch.float64) / hd))
    sc = cfg.get("rope_scaling") or {}
    kind = sc.get("rope_type", sc.get("type", "default"))
    if kind == "linear":
        inv = inv / sc["factor"]
    elif kind == "llama3":
        factor, lo, hi, old = sc["factor"], sc["low_freq_factor"], sc["high_freq_factor"], sc["original_max_position_embeddings"]
        wavelen = 2 * math.pi / inv
        scaled = torch.where(wavelen > old / lo, inv / factor, inv)
        smooth = (old / wavelen - lo) / (hi - lo)
        smoothed = (1 - smooth) * scaled / factor + smooth * scaled
        medium = ~(wavelen < old / hi) & ~(wavelen > old / lo)
        inv = torch.where(medium, smoothed, scaled)
    elif kind != "default":
        raise SystemExit(f"reference: rope type {kind} not implemented")
    return inv


def llama(cfg, w, ids):
    d, nh = cfg["hidden_size"], cfg["num_attention_heads"]
    nkv = cfg.get("num_key_value_heads", nh)
    hd = cfg.get("head_dim", d // nh)
    eps = cfg.get("rms_norm_eps", 1e-6)
    b, t = ids.shape

    def rms(z, weight):
        return z * torch.rsqrt(z.pow(2).mean(-1, keepdim=True) + eps) * weight

    def lin(z, name):  # nn.Linear: y = z @ W^T + b, W [out, in]
        y = z @ w[name + ".weight"].T
        return y + w[name + ".bias"] if name + ".bias" in w else y

    freqs = torch.outer(torch.arange(t, dtype=torch.float64), rope_inv_freq(cfg, hd))
    emb = torch.cat([freqs, freqs], -1)
    cos, sin = emb.cos(), emb.sin()

    def rotate_half(z):
        z1, z2 = z[..., : hd // 2], z[..., hd // 2 :]
        return torch.cat([-z2, z1], -1)

    x = w["model.embed_tokens.weight"][ids]
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        h = rms(x, w[p + "input_layernorm.weight"])
        q = lin(h, p + "self_attn.q_proj").reshape(b, t, nh, hd).transpose(1, 2)
        k = lin(h, p + "self_attn.k_proj").reshape(b, t, nkv, hd).transpose(1, 2)
        v = lin(h, p + "self_attn.v_proj").reshape(b, t, nkv, hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(nh // nkv, dim=1)
        v = v.repeat_interleave(nh // nkv, dim=1)
        x = x + lin(causal_attention(q, k, v), p + "self_attn.o_proj")
        h = rms(x, w[p + "post_attention_layernorm.weight"])
        x = x + lin(F.silu(lin(h, p + "mlp.gate_proj")) * lin(h, p + "mlp.up_proj"), p + "mlp.down_proj")
    hidden = rms(x, w["model.norm.weight"])
    head = w["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings", False) else w["lm_head.weight"]
    return hidden, hidden @ head.T


def bert(cfg, w, ids, mask, folder):
    """BertModel token states (post-LayerNorm blocks, exact GELU), then sentence-transformers pooling."""
    w = {k[5:] if k.startswith("bert.") else k: v for k, v in w.items()}
    d, nh, eps = cfg["hidden_size"], cfg["num_attention_heads"], cfg.get("layer_norm_eps", 1e-12)
    b, t = ids.shape
    lin = lambda z, n: z @ w[n + ".weight"].T + w[n + ".bias"]
    ln = lambda z, n: F.layer_norm(z, (d,), w[n + ".weight"], w[n + ".bias"], eps)
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:t] + w["embeddings.token_type_embeddings.weight"][0]
    x = ln(x, "embeddings.LayerNorm")
    bias = (1.0 - mask)[:, None, None, :] * torch.finfo(torch.float64).min
    heads = lambda z: z.reshape(b, t, nh, d // nh).transpose(1, 2)
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        q, k, v = (heads(lin(x, p + "attention.self." + n)) for n in ("query", "key", "value"))
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d // nh) + bias, -1) @ v
        x = ln(lin(att.transpose(1, 2).reshape(b, t, d), p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
        h = lin(F.gelu(lin(x, p + "intermediate.dense")), p + "output.dense")
        x = ln(h + x, p + "output.LayerNorm")
    pool_file = os.path.join(folder, "1_Pooling", "config.json")
    pool = json.load(open(pool_file)) if os.path.exists(pool_file) else {"pooling_mode_mean_tokens": True}
    if pool.get("pooling_mode_cls_token"):
        pooled = x[:, 0]
    else:
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True)
    modules_file = os.path.join(folder, "modules.json")
    modules = json.load(open(modules_file)) if os.path.exists(modules_file) else []
    if any(m["type"].endswith(".Normalize") for m in modules):
        pooled = F.normalize(pooled, dim=-1)
    return x, pooled


def forward(folder, ids, mask=None):
    with open(os.path.join(folder, "config.json")) as f:
        cfg = json.load(f)
    ids = torch.tensor(ids, dtype=torch.long)
    w = read_weights(folder)
    arch = cfg["architectures"][0]
    if arch == "GPT2LMHeadModel":
        hidden, logits = gpt2(cfg, w, ids)
    elif arch in ("LlamaForCausalLM", "Qwen2ForCausalLM"):
        hidden, logits = llama(cfg, w, ids)
    elif arch == "BertModel":
        hidden, pooled = bert(cfg, w, ids, torch.tensor(mask, dtype=torch.float64), folder)
        return {"hidden": hidden.tolist(), "pooled": pooled.tolist()}
    else:
        raise SystemExit(f"reference: architecture {arch} not implemented")
    return {"logits": logits.tolist(), "hidden": hidden.tolist()}


def main():
    jobs = json.load(sys.stdin)
    json.dump([forward(j["dir"], j["ids"], j.get("mask")) for j in jobs], sys.stdout)


if __name__ == "__main__":
    main()
