"""Reading config.json files: how a config's family is resolved, and bad configs.

Resolution: by model_type, then by architectures (a known class under a new model_type is read as that class), then
through a nested text_config, then, with the standard field names, by the generic reader with a notice; otherwise one
line naming every missing field. Bad values anywhere, in nested objects too, are one InputError on "config" naming
the field, on the page and the command line alike, never a traceback. The files are tests/configs/published and
tests/configs/derived (see their SOURCES.json).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import calculators
from calculators import InputError
from calculators.models import param_count, readers
from calculators.page.compute import compute

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "tests" / "configs"
PARAMS = calculators.get("params")
KV = calculators.get("kv-cache")
# Ernie4_5_MoeConfig's defaults ("... similar configuration to that of baidu/ERNIE-4.5-21B-A3B-PT"): a test double
ERNIE = {
    "model_type": "ernie4_5_moe", "architectures": ["Ernie4_5_MoeForCausalLM"], "vocab_size": 103424,
    "hidden_size": 2560, "intermediate_size": 12288, "num_hidden_layers": 28, "num_attention_heads": 20,
    "num_key_value_heads": 4, "tie_word_embeddings": True, "moe_intermediate_size": 1536, "moe_k": 6,
    "moe_num_experts": 64, "moe_num_shared_experts": 2,
}  # fmt: skip


def config(name: str) -> dict:
    return json.loads((CONFIGS / f"{name}.json").read_text())


def count(name: str) -> dict:
    return PARAMS.run({"config": config(name)})


def results(cfg: dict):
    return PARAMS.evaluate(PARAMS.validate({"config": cfg}))


def test_a_known_class_under_a_new_model_type_is_read_as_that_class():
    cfg = config("published/kimi-k2-instruct") | {"model_type": "some_new_deepseek"}
    out = results(cfg)
    assert out["total_params"].value == count("published/kimi-k2-instruct")["total_params"]
    assert "read as the class its architectures list declares" in out["layers"].working
    # a class whose name holds digits (Ernie4_5_MoeForCausalLM) reads the same way
    ernie = ERNIE | {"model_type": "ernie_next"}
    assert PARAMS.run({"config": ernie})["total_params"] == PARAMS.run({"config": ERNIE})["total_params"]


def test_a_nested_text_config_is_read():
    cfg = {"model_type": "some_vlm", "architectures": ["SomeVlmForConditionalGeneration"],
           "text_config": config("published/qwen3-8b")}  # fmt: skip
    out = results(cfg)
    assert out["total_params"].value == count("published/qwen3-8b")["total_params"]
    assert "text_config" in out["layers"].working


def test_an_unknown_family_with_standard_fields_is_read_with_a_notice():
    cfg = config("published/llama-3.1-8b") | {"model_type": "brand_new_lm", "architectures": ["BrandNewLM"]}
    out = results(cfg)
    assert out["total_params"].value == count("published/llama-3.1-8b")["total_params"]
    assert "generic reader" in out["layers"].working


def test_an_unknown_family_without_them_gets_one_line_naming_every_missing_field():
    with pytest.raises(InputError) as e:
        readers.read({"model_type": "gpt2", "n_embd": 768, "n_layer": 12, "vocab_size": 50257})
    msg = e.value.message
    assert e.value.field == "config" and "\n" not in msg
    for key in ("hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size"):
        assert key in msg
    assert "vocab_size" not in msg.split("supported")[0]


def test_every_family_is_listed_for_the_page():
    for mt in ("llama", "mistral", "qwen2", "qwen3", "gemma2", "gemma3", "mixtral", "phimoe", "olmoe", "qwen2_moe",
               "qwen3_moe", "qwen3_next", "deepseek_v2", "deepseek_v3", "deepseek_v32", "kimi_k2", "glm4_moe",
               "gpt_oss", "llama4", "dbrx", "ernie4_5_moe"):  # fmt: skip
        assert mt in readers.FAMILIES and mt in PARAMS.input("config").help


def test_conventions_cover_the_publishers_whose_convention_is_known():
    for family in ("deepseek_v3", "gpt_oss", "qwen3_moe", "mixtral", "olmoe", "llama4"):
        assert family in param_count.CONVENTIONS


# ---------------------------------------------------------------------------------------------- bad configs


def _bad(name: str, edit) -> dict:
    cfg = config(name)
    edit(cfg)
    return cfg


BAD = [
    ("text_config.hidden_size", "derived/llama-4-scout-17b-16e-instruct.TRIMMED",
     lambda c: c["text_config"].update(hidden_size="5120")),
    ("text_config.num_hidden_layers", "derived/llama-4-scout-17b-16e-instruct.TRIMMED",
     lambda c: c["text_config"].update(num_hidden_layers=-48)),
    ("'text_config' must be an object", "derived/llama-4-scout-17b-16e-instruct.TRIMMED",
     lambda c: c.update(text_config=[1, 2])),
    ("text_config.num_experts_per_tok", "derived/llama-4-scout-17b-16e-instruct.TRIMMED",
     lambda c: c["text_config"].update(num_experts_per_tok=17)),
    ("text_config.attention_chunk_size", "derived/llama-4-scout-17b-16e-instruct.TRIMMED",
     lambda c: c["text_config"].update(attention_chunk_size=20_000_000)),
    ("'attn_config' must be an object", "published/dbrx-instruct", lambda c: c.update(attn_config=8)),
    ("ffn_config.moe_top_k", "published/dbrx-instruct", lambda c: c["ffn_config"].update(moe_top_k=17)),
    ("attn_config.kv_n_heads", "published/dbrx-instruct", lambda c: c["attn_config"].update(kv_n_heads="8")),
    ("layer_types", "published/gpt-oss-20b", lambda c: c["layer_types"].pop()),
    ("layer_types", "published/gpt-oss-20b", lambda c: c["layer_types"].__setitem__(0, "global_attention")),
    ("num_experts_per_tok", "published/gpt-oss-20b", lambda c: c.update(num_experts_per_tok=33)),
    ("sliding_window", "published/gpt-oss-20b", lambda c: c.update(sliding_window=1_000_000)),
    ("linear_num_value_heads", "published/qwen3-next-80b-a3b-thinking", lambda c: c.pop("linear_num_value_heads")),
    ("index_n_heads", "published/deepseek-v3.2", lambda c: c.update(index_n_heads=0)),
    ("n_routed_experts", "published/kimi-k2-instruct", lambda c: c.update(n_routed_experts="384")),
    ("max_position_embeddings", "published/olmoe-1b-7b-0924", lambda c: c.update(max_position_embeddings=-1)),
]  # fmt: skip


@pytest.mark.parametrize("key,name,edit", BAD, ids=[f"{n.split('/')[1]}:{k}" for k, n, _ in BAD])
def test_bad_configs_give_one_clear_line(key, name, edit):
    cfg = _bad(name, edit)
    for calc in (PARAMS, KV, calculators.get("your-model")):
        with pytest.raises(InputError) as e:
            calc.run({"config": cfg})
        assert e.value.field == "config" and key in e.value.message and "\n" not in e.value.message, e.value.message


def test_bad_configs_on_the_page_and_the_command_line(tmp_path):
    cfg = _bad("published/gpt-oss-20b", lambda c: c["layer_types"].pop())
    for name in ("params", "kv-cache", "your-model"):
        d = compute(name, {"config": json.dumps(cfg)})
        assert not d["ok"] and d["outputs"] == {} and [e["field"] for e in d["errors"]] == ["config"]
    path = tmp_path / "config.json"
    path.write_text(json.dumps(cfg))
    for name in ("params", "kv-cache", "your-model"):
        r = subprocess.run([sys.executable, "-m", "calculators", name, "--config", str(path)], cwd=ROOT,
                           capture_output=True, text=True, timeout=60)  # fmt: skip
        lines = r.stderr.strip().splitlines()
        assert r.returncode == 2 and len(lines) == 1 and "Traceback" not in r.stderr and "layer_types" in lines[0]


@pytest.mark.parametrize(
    "name",
    sorted(
        f"{p.parent.name}/{p.stem}" for d in ("published", "derived") for p in (CONFIGS / d).glob("*.json")
        if p.name != "SOURCES.json"
    ),
)  # fmt: skip
def test_every_file_is_accepted_everywhere(name, tmp_path):
    cfg = config(name)
    for calc in ("params", "kv-cache", "your-model"):
        out = calculators.get(calc).run({"config": cfg})
        assert all(v >= 0 for v in out.values())
