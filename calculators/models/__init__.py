"""What the calculators share about models and hardware, each fact once.

facts.py     published facts used by more than one calculator (data/facts.json), as sourced Facts
hardware.py  GPUs: dense peaks, memory, bandwidth (data/gpus.json)
flops.py     training FLOPs per token: 6N plus attention (per layer kind, window-capped, from an Architecture)
derived.py   constants derived from the facts (V3's implied MFU, ...), computed once, on first use
architecture.py  the one description every model reduces to: layers (attention kind, MLP kind), embedding, extras
readers/     a Hugging Face config.json of any family in use -> an Architecture (one module per family group)
configs.py   the published configs (data/models.json) and the uniform shapes a config reduces to
param_count.py  parameters, counted weight by weight from an Architecture (params, your-model, derived)
kv.py        the key/value cache from an Architecture, by context length (kv-cache, your-model)
step_time.py    where a step's time goes at measured kernel speeds: FP8's share of time, a layer's compute (fp8, ...)
profile.py      speeds and shares derived from DeepSeek's published training profile (fp8, communication, attribution)
expert_parallel.py  the all-to-all's bytes and time per MoE layer over InfiniBand and NVLink (communication)
"""
