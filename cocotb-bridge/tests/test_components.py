"""Every registered component kind through the whole bridge: `mxgen cocotb <kind>/<example>`
writes the RTL, the golden vectors (TypeScript reference models) and the cocotb directory; the
generated test module runs on Icarus under seeded random gaps and back-pressure. A corrupted
expected value must fail with a report naming beat, port and both values.

The designs are listed at collection time from the registry (`src/components`), so a new kind
is tested without editing this file. MXGEN_FUZZ_N scales the number of beats."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import pytest

from mxgen_cocotb.runner import RunResult, run

REPO = Path(__file__).resolve().parents[2]
BEATS = 60 * max(1, int(os.environ.get("MXGEN_FUZZ_N", "1") or 1))
LIST_KINDS = (
    "const m = await import('./src/components/index.ts');"
    "console.log(JSON.stringify(m.listComponents().map(k => [k.kind, k.examples.map(e => e.name)])))"
)


def registered() -> List[Tuple[str, List[str]]]:
    out = subprocess.run(
        ["node", "--import", "tsx", "-e", LIST_KINDS], cwd=REPO, check=True, capture_output=True, text=True
    ).stdout
    return [(k, list(ex)) for k, ex in json.loads(out)]


KINDS = registered()
# The bundled dataflow designs (the default accelerator among them): `mxgen cocotb <name>`. The
# real-size ones (ffn-gpt2*: ~9 200 cycles per token per layer) would take hours on Icarus; they
# are checked natively and in Verilator by test/e2e/real-size.test.ts.
DATAFLOW = sorted(
    p.stem for p in (REPO / "templates" / "designs").glob("*.yaml") if not p.stem.startswith("ffn-gpt2")
)
DESIGNS = [f"{k}/{e}" for k, examples in KINDS for e in examples] + DATAFLOW
FIRST = [f"{k}/{examples[0]}" for k, examples in KINDS if examples] + DATAFLOW[:1]


def test_every_component_kind_has_an_example_to_test() -> None:
    assert KINDS, "no component kind is registered in src/components/index.ts"
    assert [k for k, examples in KINDS if not examples] == []
    assert "default" in DATAFLOW, "templates/designs/default.yaml (the default accelerator) is missing"


class Generated:
    def __init__(self, dest: Path) -> None:
        self.dir = dest
        self.cocotb = dest / "cocotb"
        self.manifest: Dict[str, Any] = json.loads((dest / "manifest.json").read_text())
        self.vectors: Dict[str, Any] = json.loads((self.cocotb / "vectors.json").read_text())
        self.module = next(p.stem for p in self.cocotb.glob("test_*.py"))

    def run(self, vectors: Path, **kw: Any) -> RunResult:
        sys.path.insert(0, str(self.cocotb))  # the runner passes sys.path on as PYTHONPATH
        try:
            kw.setdefault("build_dir", self.cocotb / "sim_build_icarus")
            return run(
                [self.dir / f for f in self.manifest["files"]],
                self.manifest["top"],
                vectors,
                test_module=self.module,
                **kw,
            )
        finally:
            sys.path.remove(str(self.cocotb))


@pytest.fixture(scope="session")
def generate(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Generated]:
    out = tmp_path_factory.mktemp("rtl-out")
    cache: Dict[str, Generated] = {}

    def get(design: str) -> Generated:
        if design not in cache:
            # dataflow designs: --count is input tensors (each `tokens` beats)
            count = BEATS if "/" in design else max(2, BEATS // 12)
            cmd = ["node", "bin/mxgen.js", "cocotb", design, "--out", str(out), "--count", str(count), "--seed", "17"]
            p = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
            if p.returncode != 0:
                pytest.fail(f"`{' '.join(cmd[1:])}` exited {p.returncode}:\n{p.stderr}", pytrace=False)
            written = p.stdout.split("wrote ", 1)[1].split("/cocotb/", 1)[0]  # "wrote <dir>/cocotb/ (run: ...)"
            cache[design] = Generated((REPO / written).resolve())
        return cache[design]

    return get


@pytest.mark.parametrize("design", DESIGNS)
def test_design_matches_the_golden_model_under_random_stalls(
    generate: Callable[[str], Generated], design: str
) -> None:
    g = generate(design)
    assert len(g.vectors["outBeats"]) > 0
    r = g.run(g.cocotb / "vectors.json", gap_probability=0.3, stall_probability=0.4)
    assert r.ok, r.report
    assert f"PASS, {len(g.vectors['outBeats'])} output beats match" in r.report
    assert r.stats["outBackpressureCycles"] > 0, r.stats
    assert r.stats["inIdleCycles"] > 0, r.stats


@pytest.mark.parametrize("design", FIRST)
def test_a_corrupted_expected_value_fails_naming_beat_port_and_values(
    generate: Callable[[str], Generated], design: str, tmp_path: Path
) -> None:
    g = generate(design)
    data = json.loads(json.dumps(g.vectors))
    beat = len(data["outBeats"]) // 2
    field = data["streams"]["out"]["fields"][0]
    good = data["outBeats"][beat][field["name"]]
    value = int(good, 16) ^ 1  # flip the least significant bit of one expected field
    digits = len(good) - 2
    bad = f"0x{value:0{digits}x}"
    data["outBeats"][beat][field["name"]] = bad
    path = tmp_path / "corrupted.json"
    path.write_text(json.dumps(data))
    r = g.run(path, gap_probability=0.3, stall_probability=0.4)
    assert not r.ok
    lines = r.report.splitlines()
    assert "FAIL, 1 of" in lines[0], r.report
    wrong = [l for l in lines if l.startswith(f"  beat {beat}, cycle ")]
    assert len(wrong) == 1, r.report
    assert wrong[0].endswith(f", port {field['port']}: expected {bad}, actual {good}"), r.report


@pytest.mark.parametrize("design", DATAFLOW[:1])
def test_the_default_accelerator_also_passes_on_verilator(
    generate: Callable[[str], Generated], design: str
) -> None:
    # One Verilator build (10-30 s of CPU) shows that cocotb 1.8.1 + Verilator 5.006 run mxgen's
    # generated accelerator; every other design runs on Icarus only, to keep the suite fast.
    g = generate(design)
    r = g.run(
        g.cocotb / "vectors.json",
        simulator="verilator",
        build_dir=g.cocotb / "sim_build_verilator",
        gap_probability=0.3,
        stall_probability=0.4,
    )
    assert r.ok, r.report
    assert "  verilator, seed 17, input gaps 0.30, output stalls 0.40" in r.report
    assert r.stats["outBackpressureCycles"] > 0, r.stats
