"""What the calculators share about models and hardware, each fact once.

facts.py     published facts used by more than one calculator (data/facts.json), as sourced Facts
hardware.py  GPUs: dense peaks, memory, bandwidth (data/gpus.json)
flops.py     training FLOPs per token: 6N plus attention
derived.py   constants derived from the facts (V3's implied MFU, ...), computed once, on first use
configs.py   reading a Hugging Face config.json (and the published ones, data/models.json)
param_count.py  a config's parameters, counted weight by weight (params, your-model)
kv.py        the key/value cache per token, by attention type (kv-cache, your-model)
"""
