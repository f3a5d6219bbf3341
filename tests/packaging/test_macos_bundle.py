"""The macOS .app the spec describes (not built here: PyInstaller cannot cross-build for macOS).
Read from packaging/ftrag.spec itself: the BUNDLE() call's bundle id, document type and icon."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "ftrag.spec"


def _bundle_call() -> tuple[ast.Call, dict[str, Any]]:
    tree = ast.parse(SPEC.read_text(), filename=str(SPEC))
    constants: dict[str, Any] = {}
    for node in tree.body:  # top-level NAME = "literal"
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and isinstance(node.value, ast.Constant):
                constants[target.id] = node.value.value
    constants["VERSION"] = "<version>"  # computed from the package metadata at build time
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "BUNDLE"
    ]
    assert len(calls) == 1, "the spec makes one macOS app bundle"
    return calls[0], constants


def _value(node: ast.expr, constants: dict[str, Any]) -> Any:
    class Inline(ast.NodeTransformer):
        def visit_Name(self, name: ast.Name) -> ast.AST:
            if name.id in ("True", "False"):
                return name
            return ast.copy_location(ast.Constant(constants[name.id]), name)

        def visit_JoinedStr(self, joined: ast.JoinedStr) -> ast.AST:
            parts = []
            for part in joined.values:
                if isinstance(part, ast.FormattedValue):
                    assert isinstance(part.value, ast.Name)
                    parts.append(str(constants[part.value.id]))
                else:
                    assert isinstance(part, ast.Constant)
                    parts.append(str(part.value))
            return ast.copy_location(ast.Constant("".join(parts)), joined)

    return ast.literal_eval(Inline().visit(node))


def test_app_bundle_settings() -> None:
    call, constants = _bundle_call()
    kwargs = {k.arg: k.value for k in call.keywords if k.arg}
    assert _value(kwargs["name"], constants) == "FTRAG Advisor.app"
    assert _value(kwargs["bundle_identifier"], constants) == "org.ftrag-advisor.FTRAGAdvisor"
    icon = ast.unparse(kwargs["icon"])
    assert "'icons' / 'ftrag-advisor.icns'" in icon
    plist = _value(kwargs["info_plist"], constants)
    assert plist["CFBundleName"] == "FTRAG Advisor"
    assert plist["NSHighResolutionCapable"] is True
    (doc_type,) = plist["CFBundleDocumentTypes"]
    assert doc_type["CFBundleTypeExtensions"] == ["ftrag"]
    assert doc_type["CFBundleTypeRole"] == "Editor"
    assert doc_type["LSItemContentTypes"] == ["org.ftrag-advisor.ftrag"]
    assert doc_type["CFBundleTypeIconFile"] == "ftrag-advisor.icns"
    (uti,) = plist["UTExportedTypeDeclarations"]
    assert uti["UTTypeIdentifier"] == "org.ftrag-advisor.ftrag"
    assert uti["UTTypeTagSpecification"]["public.filename-extension"] == ["ftrag"]
    assert "public.json" in uti["UTTypeConformsTo"]


def test_the_icons_the_bundles_name_are_real_icon_files() -> None:
    icns = (ROOT / "resources" / "icons" / "ftrag-advisor.icns").read_bytes()
    assert icns[:4] == b"icns"
    assert int.from_bytes(icns[4:8], "big") == len(icns)  # the header's length is the file's
    ico = (ROOT / "resources" / "icons" / "ftrag-advisor.ico").read_bytes()
    assert ico[:4] == b"\0\0\1\0"  # ICO: reserved 0, type 1 (icon)
    assert int.from_bytes(ico[4:6], "little") >= 4  # several sizes (16 … 256 px)
