"""What the calculators share about models and hardware, each fact once.

facts.py     published facts used by more than one calculator (data/facts.json), as sourced Facts
hardware.py  GPUs: dense peaks, memory, bandwidth (data/gpus.json)
flops.py     training FLOPs per token: 6N plus attention
derived.py   constants derived from the facts (V3's implied MFU, ...), computed once, on first use
configs.py   reading a Hugging Face config.json
"""
