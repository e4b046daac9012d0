"""What the calculators share about models and hardware, each fact once.

facts.py     published facts used by more than one calculator (data/facts.json), as sourced Facts
hardware.py  GPUs: dense peaks, memory, bandwidth (data/gpus.json)
flops.py     training FLOPs per token: 6N plus attention
derived.py   constants derived from the facts (V3's implied MFU, ...), computed once, on first use
configs.py   reading a Hugging Face config.json (and the published ones, data/models.json)
param_count.py  a config's parameters, counted weight by weight (params, your-model)
kv.py        the key/value cache per token, by attention type (kv-cache, your-model)
step_time.py    where a step's time goes at measured kernel speeds: FP8's share of time, a layer's compute (fp8, ...)
profile.py      speeds and shares derived from DeepSeek's published training profile (fp8, communication, attribution)
expert_parallel.py  the all-to-all's bytes and time per MoE layer over InfiniBand and NVLink (communication)
"""
