"""The engine knows no web: it must import and evaluate with Django impossible to import."""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_engine_evaluates_every_policy_with_django_absent() -> None:
    script = textwrap.dedent(
        """
        import importlib.abc, sys

        class NoDjango(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path, target=None):
                if name == "django" or name.startswith("django."):
                    raise ImportError("the engine must not import Django")

        sys.meta_path.insert(0, NoDjango())
        import pkgutil, zhongchuang.engine, zhongchuang.facts
        for module in pkgutil.walk_packages(zhongchuang.engine.__path__, "zhongchuang.engine."):
            __import__(module.name)
        from zhongchuang.engine.evaluate import evaluate
        from zhongchuang.engine.policy import policy_ids
        from zhongchuang.facts import load_facts
        facts = load_facts("examples/xiamen-comprehensive-pass.json")
        for policy_id in policy_ids():
            evaluate(facts, policy_id)
        assert not [name for name in sys.modules if name.split(".")[0] == "django"]
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
