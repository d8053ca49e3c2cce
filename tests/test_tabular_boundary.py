"""The workbook package knows no web: the command line checks a workbook with Django impossible to import."""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_tabular_writes_and_reads_a_workbook_with_django_absent() -> None:
    script = textwrap.dedent(
        """
        import importlib.abc, io, json, sys

        class NoDjango(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path, target=None):
                if name == "django" or name.startswith("django."):
                    raise ImportError("zhongchuang.tabular must not import Django")

        sys.meta_path.insert(0, NoDjango())
        import pkgutil, zhongchuang.tabular
        for module in pkgutil.walk_packages(zhongchuang.tabular.__path__, "zhongchuang.tabular."):
            __import__(module.name)
        from zhongchuang.tabular import read_workbook, write_workbook
        data = json.load(open("examples/xiamen-comprehensive-pass.json", encoding="utf-8"))
        buffer = io.BytesIO()
        write_workbook(buffer, data)
        assert not read_workbook(buffer.getvalue()).problems
        from zhongchuang.cli import main
        assert main(["check-workbook", "tests/fixtures/workbooks/messy.xlsx"]) == 0
        assert not [name for name in sys.modules if name.split(".")[0] == "django"]
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")
